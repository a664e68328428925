// Calls tool handlers the way the server does (arguments parsed by the tool's schema, KubeErrors
// turned into isError results), with a real ToolContext over the in-memory API server.
import { Buffer } from "node:buffer";
import { gzipSync } from "node:zlib";
import { z } from "zod";
import { createKubeProvider } from "../../src/kube/provider.ts";
import { KubeError, type KubeObject, type KubeProvider } from "../../src/kube/types.ts";
import { createToolContext, DocsShelf } from "../../src/server/tool-context.ts";
import type { Tool, ToolContext, ToolResult } from "../../src/tools/tool.ts";
import type { TestApiServer } from "./apiserver.ts";

export interface ToolContextOptions {
  /** The kubeconfig context the calls use; default: the kubeconfig's current context. */
  context?: string;
  maskSecrets?: boolean;
  /** --response-limit; default: none. */
  responseLimit?: number;
  /** --docs-dir. */
  docsDir?: string;
  /** Acts as this user (and groups), the way --kube-as does. */
  impersonate?: { user: string; groups?: string[] };
}

export function testProvider(api: TestApiServer, options: ToolContextOptions = {}): KubeProvider {
  return createKubeProvider({
    kubeconfigPaths: [api.kubeconfigPath],
    readOnly: false,
    maskSecrets: options.maskSecrets ?? true,
    ...(options.impersonate && { impersonate: options.impersonate }),
  });
}

export function testToolContext(api: TestApiServer, options: ToolContextOptions = {}): ToolContext {
  return createToolContext({
    provider: testProvider(api, options),
    session: { context: options.context },
    maskSecrets: options.maskSecrets ?? true,
    ...(options.responseLimit !== undefined && { responseLimit: options.responseLimit }),
    signal: new AbortController().signal,
    docs: new DocsShelf(options.docsDir),
  });
}

/** Runs one call: arguments the schema refuses come back as an error result, as the server answers them. */
export async function callTool<Shape extends z.ZodRawShape>(
  tool: Tool<Shape>,
  args: Record<string, unknown>,
  ctx: ToolContext,
): Promise<ToolResult> {
  const parsed = z.object(tool.input).strict().safeParse(args);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
    return { text: `invalid arguments for ${tool.name}: ${issues.join("; ")}`, isError: true };
  }
  try {
    return await tool.handler(parsed.data, ctx);
  } catch (error) {
    if (error instanceof KubeError) return { text: error.message, isError: true };
    throw error;
  }
}

/**
 * A Helm storage Secret as helm-controller writes it: release JSON, gzipped, base64 (Helm), then
 * base64 again as Secret data.
 */
export function helmStorageSecret(release: {
  name: string;
  namespace: string;
  version: number;
  manifest: string;
  storageNamespace?: string;
}): KubeObject {
  const json = JSON.stringify({
    name: release.name,
    namespace: release.namespace,
    version: release.version,
    info: { status: "deployed" },
    config: {},
    manifest: release.manifest,
  });
  const helmEncoded = gzipSync(Buffer.from(json)).toString("base64");
  return {
    apiVersion: "v1",
    kind: "Secret",
    metadata: {
      name: `sh.helm.release.v1.${release.name}.v${release.version}`,
      namespace: release.storageNamespace ?? release.namespace,
      labels: { owner: "helm", name: release.name, status: "deployed", version: String(release.version) },
    },
    type: "helm.sh/release.v1",
    data: { release: Buffer.from(helmEncoded).toString("base64") },
  };
}
