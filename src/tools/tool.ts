// What a tool is: a plain value (name, title, description for a model, input schema, MCP
// annotations, and a handler) that can be listed, filtered and snapshot-tested. The server layer
// turns tools into MCP registrations; tools never see the MCP SDK or the Kubernetes client library.
import type { z } from "zod";
import type { DocsLibrary } from "../docs/library.ts";
import type { ContextInfo, Kube } from "../kube/types.ts";

interface ToolAnnotations {
  readOnlyHint: boolean;
  destructiveHint: boolean;
  idempotentHint: boolean;
  openWorldHint: boolean;
}

export interface ToolContext {
  /** The Kube of `context`, else of the call's `context` argument, else of the session's current context. */
  kube(context?: string): Promise<Kube>;
  /** Contexts of the kubeconfig, `current` marking this session's current context. */
  contexts(): Promise<ContextInfo[]>;
  /** Switches this session's current context (never the process's). */
  setContext(name: string): Promise<void>;
  /** The Flux documentation (with --docs-dir), built on the first docs call of the server. */
  docs(): Promise<DocsLibrary>;
  maskSecrets: boolean;
  /** The longest answer the server passes on, in characters (--response-limit); Infinity for no limit. */
  responseLimit: number;
  /** Aborted by --timeout and by the client's cancellation. */
  signal: AbortSignal;
  /** Sends an MCP progress notification when the client asked for them; a no-op otherwise. */
  progress(message: string, progress: number, total?: number): void;
}

export interface ToolResult {
  /** What the model reads: compact YAML or plain lines. */
  text: string;
  /** A failure the user can fix, in one line; the call itself went through. */
  isError?: boolean;
}

type ToolArea = "reporting" | "operations" | "clusters" | "docs" | "analysis";

export interface Tool<Shape extends z.ZodRawShape = z.ZodRawShape> {
  name: string;
  title: string;
  /** Written for a model: what it returns, when to use it, how to narrow it. */
  description: string;
  area: ToolArea;
  input: Shape;
  annotations: ToolAnnotations;
  /** Changes the cluster: absent from tools/list with --read-only. */
  writes: boolean;
  /** Works on the local kubeconfig: not offered when running in a pod. */
  kubeconfigOnly?: boolean;
  /**
   * Reads or changes a cluster: the server adds the optional `context` argument to its schema, and
   * `ctx.kube()` then answers for that context without the handler seeing the argument.
   */
  usesCluster: boolean;
  /**
   * Reads nothing from a cluster but CRD schemas, which hold no Secret values: its answer is scrubbed
   * like that of a tool that touches no cluster (with the session's cluster, when it can be read),
   * so a cluster that cannot be reached does not withhold it.
   */
  readsSchemasOnly?: boolean;
  handler(args: z.infer<z.ZodObject<Shape>>, ctx: ToolContext): Promise<ToolResult>;
}

/** Keeps the handler's argument type tied to the schema. */
export function defineTool<Shape extends z.ZodRawShape>(tool: Tool<Shape>): Tool<Shape> {
  return tool;
}

/** A one-line failure the model can act on, e.g. "no Kustomization flux-system/apps in context staging". */
export function toolError(text: string): ToolResult {
  return { text, isError: true };
}
