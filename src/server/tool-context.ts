// Builds the ToolContext a tool call runs with: the session's current context, the call's
// optional `context` argument, cancellation, and progress reporting.
import { KubeError, type KubeProvider } from "../kube/types.ts";
import type { ToolContext } from "../tools/tool.ts";

/** Per MCP session: which context it uses when a call names none. */
export interface SessionState {
  context: string | undefined;
}

export interface ToolContextInput {
  provider: KubeProvider;
  session: SessionState;
  /** The call's `context` argument, if the tool takes one and the caller gave it. */
  callContext?: string;
  maskSecrets: boolean;
  /** Default: no limit. */
  responseLimit?: number;
  signal: AbortSignal;
  progress?: ToolContext["progress"];
}

export function createToolContext(input: ToolContextInput): ToolContext {
  const { provider, session } = input;
  return {
    kube: (context) => provider.forContext(context ?? input.callContext ?? session.context, input.signal),
    async contexts() {
      const contexts = await provider.contexts();
      const current = session.context ?? (await provider.defaultContext());
      return contexts.map((context) => ({ ...context, current: context.name === current }));
    },
    async setContext(name) {
      const contexts = await provider.contexts();
      if (!contexts.some((context) => context.name === name)) {
        const known = contexts.map((context) => context.name).join(", ");
        throw new KubeError(
          "Config",
          `context "${name}" not found in the kubeconfig; known contexts: ${known || "none"}`,
        );
      }
      session.context = name;
    },
    maskSecrets: input.maskSecrets,
    responseLimit: input.responseLimit ?? Infinity,
    signal: input.signal,
    progress: input.progress ?? (() => {}),
  };
}
