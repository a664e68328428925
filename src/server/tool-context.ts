// The one place that builds the ToolContext a tool call runs with: the session's current context,
// the call's optional `context` argument, the masker that learns what the call reads, cancellation,
// and progress reporting.
import { KubeError, type Kube, type KubeProvider } from "../kube/types.ts";
import type { DocsLibrary } from "../docs/library.ts";
import type { ToolContext } from "../tools/tool.ts";

/** A server's docs library: built once, on the first docs call (the docs code loads only then). */
export class DocsShelf {
  readonly #docsDir: string | undefined;
  #library: Promise<DocsLibrary> | undefined;

  constructor(docsDir?: string) {
    this.#docsDir = docsDir;
  }

  library(): Promise<DocsLibrary> {
    const docsDir = this.#docsDir;
    this.#library ??= import("../docs/library.ts").then(({ createDocsLibrary }) =>
      createDocsLibrary(docsDir === undefined ? {} : { docsDir }),
    );
    return this.#library;
  }
}

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
  /** Sees every Kube the call gets (the output masker learns its Secrets); default: none. */
  track?: (kube: Kube) => Kube;
  /** The server's docs library; default: the bundled knowledge base, for this context alone. */
  docs?: DocsShelf;
  /** A stateless connection has no session to switch the context of. */
  stateless?: boolean;
}

export function createToolContext(input: ToolContextInput): ToolContext {
  const { provider, session, track } = input;
  const docs = input.docs ?? new DocsShelf();
  return {
    docs: () => docs.library(),
    async kube(context) {
      const kube = await provider.forContext(context ?? input.callContext ?? session.context, input.signal);
      return track ? track(kube) : kube;
    },
    async contexts() {
      const contexts = await provider.contexts();
      const current = session.context ?? (await provider.defaultContext());
      return contexts.map((context) => ({ ...context, current: context.name === current }));
    },
    async setContext(name) {
      if (input.stateless) {
        throw new KubeError(
          "Config",
          `cannot switch to context "${name}": this connection is stateless (MCP 2026-07-28 over HTTP); pass context: "${name}" on each call instead`,
        );
      }
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
