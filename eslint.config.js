import js from "@eslint/js";
import tseslint from "typescript-eslint";

// The product's layers (ARCHITECTURE.md), top to bottom; each may import only the layers after it.
// test/architecture/layers.test.ts checks the same from the source, with or without this config.
const LAYERS = ["cli", "server", "tools", "docs", "flux", "format", "params", "kube"];
const MAY_IMPORT = {
  cli: ["server", "tools", "docs", "flux", "format", "params", "kube"],
  server: ["tools", "docs", "flux", "format", "params", "kube"],
  tools: ["docs", "flux", "format", "params", "kube"],
  docs: ["flux", "format", "params", "kube"],
  flux: ["format", "params", "kube"],
  format: ["params", "kube"],
  params: [],
  kube: [],
};
const SDK = { regex: "^@modelcontextprotocol/", message: "only src/server/ speaks MCP." };
const KUBERNETES_CLIENT = {
  regex: "^@kubernetes/client-node",
  message: "only src/kube/ uses the Kubernetes client library.",
};
const EMULATOR = {
  regex: "^@flux-mcp/kube-emulator",
  message: "only `serve --demo` (src/cli/serve.ts, lazily) and src/cli/apiserver.ts load the emulator.",
};

function layerRules(layer) {
  const forbidden = LAYERS.filter((other) => other !== layer && !MAY_IMPORT[layer].includes(other));
  const patterns = [EMULATOR];
  if (layer !== "server") patterns.push(SDK);
  if (layer !== "kube") patterns.push(KUBERNETES_CLIENT);
  if (forbidden.length > 0) {
    patterns.push({
      // Relative paths into a forbidden sibling folder of src/ ("../server/…", "../../tools/…").
      regex: `^(?:\\.\\./)+(?:${forbidden.join("|")})/`,
      message: `src/${layer}/ may import only ${MAY_IMPORT[layer].join(", ") || "itself"} (ARCHITECTURE.md).`,
    });
  }
  return {
    files: [`src/${layer}/**/*.ts`],
    rules: { "no-restricted-imports": ["error", { patterns }] },
  };
}

export default tseslint.config(
  { ignores: ["dist/", "dist-readonly/", "node_modules/", "coverage/", "packages/*/dist/"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      // stdout belongs to the stdio MCP transport; only src/cli may print.
      "no-console": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": "error",
    },
  },
  ...LAYERS.map(layerRules),
  {
    // The emulator's two entry points are the exception the layer rule names.
    files: ["src/cli/serve.ts", "src/cli/apiserver.ts"],
    rules: { "no-restricted-imports": ["error", { patterns: [SDK, KUBERNETES_CLIENT] }] },
  },
  {
    files: ["src/cli/**", "scripts/**", "bench/**", "test/**"],
    rules: { "no-console": "off" },
  },
);
