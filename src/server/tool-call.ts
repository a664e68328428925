// One tools/call, from raw arguments to the text the client reads: argument validation, the
// ToolContext (session context, --timeout combined with the client's cancellation, progress), error
// mapping, the size guard, Secret masking as the very last pass (answers, errors, progress, the
// stderr line of a failure, the call log), and the call log line.
import { KubeError, type Kube, type KubeProvider } from "../kube/types.ts";
import { formatAge } from "../format/durations.ts";
import type { ToolResult } from "../tools/tool.ts";
import type { CallLog, CallOutcome } from "./call-log.ts";
import type { InFlight } from "./in-flight.ts";
import { guardResponseSize } from "./response-guard.ts";
import { OutputMasker } from "../kube/masking/output-masker.ts";
import { describeInvalidArguments, type OfferedTool } from "./tool-catalogue.ts";
import { createToolContext, type DocsShelf, type SessionState } from "./tool-context.ts";

/** What every call of the process shares. */
export interface CallRuntime {
  /** The Kubernetes provider, created on first use (after the MCP handshake). */
  provider(): Promise<KubeProvider>;
  docs: DocsShelf;
  maskSecrets: boolean;
  timeoutMs: number;
  responseLimit: number;
  callLog?: CallLog;
  calls: InFlight;
  /** Diagnostics for the operator, on stderr. */
  log(message: string): void;
}

/** One MCP session: its current context, and whether it outlives a single request. */
export interface McpSession {
  id?: string;
  state: SessionState;
  /**
   * A stateless exchange (2026-07-28 over HTTP) has no session to remember a context switch in:
   * set_kubeconfig_context is refused with a hint to pass `context` on each call instead.
   */
  stateless: boolean;
}

export interface CallRequest {
  arguments: Record<string, unknown> | undefined;
  /** The client's cancellation (notifications/cancelled, or a dropped HTTP request). */
  signal: AbortSignal;
  /** Sends a progress notification; absent when the client gave no progressToken. */
  progress?: (message: string, progress: number, total?: number) => void;
}

export interface CallAnswer {
  text: string;
  isError: boolean;
}

/** Thrown for a failure that is a bug, not something a user can fix; the protocol layer reports it. */
class ToolCallBug extends Error {}

export async function runToolCall(
  runtime: CallRuntime,
  session: McpSession,
  offered: OfferedTool,
  request: CallRequest,
): Promise<CallAnswer> {
  const done = runtime.calls.begin();
  const started = performance.now();
  const scrubber = new OutputMasker();
  // One deadline for the call and for the waits for Secret values to mask its answer with: the
  // client's cancellation and --timeout. Owned here, not AbortSignal.timeout(): the timer and every
  // listener on the signal are released when the call ends, so nothing of a finished call stays
  // reachable until its deadline.
  const timeout = new AbortController();
  const timer = setTimeout(
    () => timeout.abort(new DOMException("the call timed out", "TimeoutError")),
    runtime.timeoutMs,
  );
  const deadline: CallDeadline = {
    signal: AbortSignal.any([request.signal, timeout.signal]),
    timedOut: () => timeout.signal.aborted,
  };
  const maskProgress = async (text: string): Promise<string> => {
    const result = await masked(runtime, session, request, scrubber, deadline.signal, {
      text,
      isError: false,
    });
    if (result.isError) throw new Error("the Secret values to mask it with could not be read");
    return result.text;
  };
  const progress = request.progress && new MaskedProgress(request.progress, maskProgress);
  let outcome: CallOutcome = "failed";
  let failure: string | undefined;
  try {
    let result: Outcome;
    try {
      const maskedRequest = { ...request, ...(progress && { progress: progress.report }) };
      result = await execute(runtime, session, offered, maskedRequest, scrubber, deadline);
    } catch (error) {
      // A bug: the protocol layer reports it in one (masked) line; the stack goes to stderr, masked too.
      const stack = error instanceof Error ? (error.stack ?? error.message) : String(error);
      const logged = await masked(runtime, session, request, scrubber, deadline.signal, {
        text: stack,
        isError: false,
      });
      runtime.log(`tool ${offered.tool.name} failed: ${logged.isError ? "(stack withheld)" : logged.text}`);
      failure = (
        await masked(runtime, session, request, scrubber, deadline.signal, {
          text: messageOf(error),
          isError: true,
        })
      ).text;
      throw new ToolCallBug(`${offered.tool.name} failed: ${failure}`);
    }
    outcome = result.outcome;
    await progress?.settled();
    const guarded = guardResponseSize(offered.tool, result, runtime.responseLimit);
    // Timeouts, cancellations and argument errors are our own words: nothing of the cluster's in them.
    const answer =
      outcome === "ok" || outcome === "error"
        ? await masked(runtime, session, request, scrubber, deadline.signal, guarded)
        : guarded;
    if (answer.isError) {
      failure = answer.text;
      if (outcome === "ok") outcome = "error";
    }
    return { text: answer.text, isError: answer.isError === true };
  } finally {
    if (runtime.callLog) {
      await runtime.callLog.write({
        time: new Date().toISOString(),
        ...(session.id !== undefined && { session: session.id }),
        tool: offered.tool.name,
        arguments: await argumentsForLog(runtime, session, request, scrubber, deadline.signal),
        outcome,
        durationMs: Math.round(performance.now() - started),
        ...(failure !== undefined && { error: failure }),
      });
    }
    clearTimeout(timer);
    done();
  }
}

/**
 * The result with Secret values scrubbed, as the very last step. Should the values be unreadable,
 * an answer is withheld rather than let out unscrubbed; an error, built by us from the call's own
 * inputs, is kept so the user still learns what went wrong.
 */
async function masked(
  runtime: CallRuntime,
  session: McpSession,
  request: CallRequest,
  scrubber: OutputMasker,
  deadline: AbortSignal,
  result: ToolResult,
): Promise<ToolResult> {
  if (!runtime.maskSecrets) return result;
  // A call that touched no cluster may still echo its arguments (a context name, a path): those
  // are masked with the session's cluster, when its values can be read at all.
  const touchedCluster = scrubber.tracksAny;
  if (!touchedCluster) await trackSessionCluster(runtime, session, request, scrubber, deadline);
  try {
    return { ...result, text: await scrubber.text(result.text) };
  } catch (error) {
    if (result.isError || !touchedCluster) return result;
    return {
      text: `the answer was withheld: the Secret values to mask in it could not be read (${messageOf(error)})`,
      isError: true,
    };
  }
}

type Outcome = ToolResult & { outcome: CallOutcome };

/** When a call stops: its signal (the client's cancellation or --timeout), and whether it timed out. */
interface CallDeadline {
  signal: AbortSignal;
  timedOut(): boolean;
}

async function execute(
  runtime: CallRuntime,
  session: McpSession,
  offered: OfferedTool,
  request: CallRequest,
  scrubber: OutputMasker,
  { signal, timedOut }: CallDeadline,
): Promise<Outcome> {
  const parsed = offered.arguments.safeParse(request.arguments ?? {});
  if (!parsed.success) {
    return { text: describeInvalidArguments(offered, parsed.error), isError: true, outcome: "invalid" };
  }
  const { context: callContext, ...arguments_ } = parsed.data as Record<string, unknown>;
  const interrupted = (): Outcome => {
    if (timedOut()) {
      const after = formatAge(runtime.timeoutMs);
      return {
        text: `${offered.tool.name} timed out after ${after} (--timeout); narrow the request or raise --timeout`,
        isError: true,
        outcome: "timeout",
      };
    }
    return { text: `${offered.tool.name} was cancelled by the client`, isError: true, outcome: "cancelled" };
  };

  const run = async (): Promise<Outcome> => {
    const provider = await runtime.provider();
    const ctx = createToolContext({
      provider,
      session: session.state,
      ...(typeof callContext === "string" && { callContext }),
      maskSecrets: runtime.maskSecrets,
      responseLimit: runtime.responseLimit,
      signal,
      ...(request.progress && { progress: request.progress }),
      ...(!offered.tool.readsSchemasOnly && { track: (kube: Kube) => scrubber.track(kube) }),
      stateless: session.stateless,
      docs: runtime.docs,
    });
    return { ...(await offered.tool.handler(arguments_, ctx)), outcome: "ok" };
  };
  const deadline = abortion(signal);
  try {
    // A tool that ignores its signal still answers on time: the call settles at the deadline.
    const result = await Promise.race([run(), deadline.settled]);
    return result ?? interrupted();
  } catch (error) {
    if (signal.aborted) return interrupted();
    if (error instanceof KubeError) return { text: error.message, isError: true, outcome: "error" };
    throw error;
  } finally {
    deadline.release();
  }
}

/**
 * The call's arguments as the log keeps them: with masking on, scrubbed of the Secret values of the
 * cluster the call used, or, when it used none (invalid arguments, a tool that needs no cluster),
 * of the session's cluster. Withheld when those values cannot be read.
 */
async function argumentsForLog(
  runtime: CallRuntime,
  session: McpSession,
  request: CallRequest,
  scrubber: OutputMasker,
  deadline: AbortSignal,
): Promise<unknown> {
  const arguments_ = request.arguments ?? {};
  if (!runtime.maskSecrets) return arguments_;
  try {
    if (!scrubber.tracksAny) await trackSessionCluster(runtime, session, request, scrubber, deadline);
    return await scrubber.json(arguments_);
  } catch (error) {
    runtime.log(`cannot mask the arguments for the tool call log: ${messageOf(error)}`);
    return "[withheld: the Secret values to mask them with could not be read]";
  }
}

/**
 * Has the scrubber also cover the cluster the call names in `context`, else the session's (best
 * effort: when that cluster cannot even be opened, there is nothing of it to scrub).
 */
async function trackSessionCluster(
  runtime: CallRuntime,
  session: McpSession,
  request: CallRequest,
  scrubber: OutputMasker,
  deadline: AbortSignal,
): Promise<void> {
  const named = request.arguments?.context;
  try {
    const provider = await runtime.provider();
    scrubber.track(
      await provider.forContext(typeof named === "string" ? named : session.state.context, deadline),
    );
  } catch {
    // No cluster to read Secret values from: nothing of one can be in the text either.
  }
}

/**
 * Progress notifications, masked like the answer and sent in order; one whose masking cannot be
 * done (the Secret values are unreadable) is dropped rather than sent in clear.
 */
class MaskedProgress {
  #chain = Promise.resolve();
  readonly #send: NonNullable<CallRequest["progress"]>;
  readonly #mask: (text: string) => Promise<string>;

  constructor(send: NonNullable<CallRequest["progress"]>, mask: (text: string) => Promise<string>) {
    this.#send = send;
    this.#mask = mask;
  }

  readonly report = (message: string, progress: number, total?: number): void => {
    this.#chain = this.#chain
      .then(() => this.#mask(message))
      .then((text) => this.#send(text, progress, total))
      .catch(() => {});
  };

  /** Every notification reported so far has been sent or dropped. */
  settled(): Promise<void> {
    return this.#chain;
  }
}

/** Settles with undefined once the signal aborts (never rejects); release() drops the listener. */
function abortion(signal: AbortSignal): { settled: Promise<undefined>; release(): void } {
  let onAbort = (): void => {};
  const settled = new Promise<undefined>((resolve) => {
    onAbort = () => resolve(undefined);
    if (signal.aborted) resolve(undefined);
    else signal.addEventListener("abort", onAbort, { once: true });
  });
  return { settled, release: () => signal.removeEventListener("abort", onAbort) };
}

function messageOf(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split("\n")[0] ?? text;
}
