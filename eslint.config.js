import js from "@eslint/js";
import tseslint from "typescript-eslint";
import layers from "./layers.json" with { type: "json" };

// The product's layers (ARCHITECTURE.md); layers.json says what each may import of the others.
// test/architecture/layers.test.ts checks the same from the source, with or without this config.
const MAY_IMPORT = layers;
const LAYERS = Object.keys(MAY_IMPORT);
const SDK = { regex: "^@modelcontextprotocol/", message: "only src/server/ speaks MCP." };
const KUBERNETES_CLIENT = {
  regex: "^@kubernetes/client-node",
  message: "only src/kube/ uses the Kubernetes client library.",
};
const EMULATOR = {
  regex: "^@flux-mcp/kube-emulator",
  message:
    "only the clusters serve brings (src/cli/in-memory-clusters.ts, lazily) and src/cli/apiserver.ts load the emulator.",
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
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
  },
  {
    rules: {
      // stdout belongs to the stdio MCP transport; only src/cli may print.
      "no-console": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": "error",
      // node:test's test() and describe() return promises the runner itself awaits.
      "@typescript-eslint/no-floating-promises": [
        "error",
        {
          allowForKnownSafeCalls: [
            {
              from: "package",
              package: "node:test",
              name: ["test", "it", "describe", "suite", "before", "after"],
            },
          ],
        },
      ],
      // Numbers and booleans read fine in text; objects and undefined are the mistakes worth catching.
      "@typescript-eslint/restrict-template-expressions": [
        "error",
        { allowNumber: true, allowBoolean: true },
      ],
      // `() => void work()` and arrow functions returning a void call are how callbacks read here.
      "@typescript-eslint/no-confusing-void-expression": [
        "error",
        { ignoreArrowShorthand: true, ignoreVoidOperator: true },
      ],
    },
  },
  {
    // Off: the cluster's JSON is typed as it should be, not as it may arrive, so the defensive checks
    // on it read as "unnecessary" (149 findings, none a bug).
    rules: {
      "@typescript-eslint/no-unnecessary-condition": "off",
      // Off: `return response.end()` in a request handler is how this code says "answer and stop";
      // braces and `void` around it would catch no bug.
      "@typescript-eslint/no-confusing-void-expression": "off",
      // Off: dropping a computed key from a parsed log line or kubeconfig entry is the point there.
      "@typescript-eslint/no-dynamic-delete": "off",
      // Off: async methods that implement a Promise-returning interface (the SDK's Transport) turn a
      // throw into a rejection, which is what their callers expect.
      "@typescript-eslint/require-await": "off",
      // Off: its autofix dropped narrowing casts (Condition to TimedCondition) and broke the types.
      "@typescript-eslint/no-unnecessary-type-assertion": "off",
      // Off: option objects declare their callbacks (log, write) in method syntax and are passed on
      // whole or in part; none of those callbacks uses `this`.
      "@typescript-eslint/unbound-method": "off",
      // Abort reasons and caught errors are passed on as they came, whatever they are.
      "@typescript-eslint/prefer-promise-reject-errors": [
        "error",
        { allowThrowingAny: true, allowThrowingUnknown: true },
      ],
    },
  },
  {
    // Tests and the emulator read parsed JSON and index fixtures they just built: `!` and `any` there
    // state what the test set up rather than hide a doubt.
    files: ["test/**", "packages/*/test/**", "packages/*/src/**", "bench/**", "scripts/**"],
    rules: {
      "@typescript-eslint/no-non-null-assertion": "off",
      "@typescript-eslint/no-unsafe-member-access": "off",
      "@typescript-eslint/no-unsafe-assignment": "off",
      "@typescript-eslint/no-unsafe-argument": "off",
      "@typescript-eslint/no-unsafe-call": "off",
      "@typescript-eslint/no-unsafe-return": "off",
      "@typescript-eslint/require-await": "off",
      "@typescript-eslint/no-dynamic-delete": "off",
      "@typescript-eslint/no-unsafe-class-instance-assignment": "off",
      "@typescript-eslint/use-unknown-in-catch-callback-variable": "off",
    },
  },
  {
    // Myers' diff indexes its arrays inside the bounds its loops keep.
    files: ["src/format/unified-diff.ts"],
    rules: { "@typescript-eslint/no-non-null-assertion": "off" },
  },
  ...LAYERS.map(layerRules),
  {
    // The emulator's two entry points are the exception the layer rule names.
    files: ["src/cli/in-memory-clusters.ts", "src/cli/apiserver.ts"],
    rules: { "no-restricted-imports": ["error", { patterns: [SDK, KUBERNETES_CLIENT] }] },
  },
  {
    files: ["src/cli/**", "scripts/**", "bench/**", "test/**"],
    rules: { "no-console": "off" },
  },
  // Plain JavaScript (this file) is not in the TypeScript project.
  { files: ["**/*.js", "**/*.mjs"], ...tseslint.configs.disableTypeChecked },
);
