// Waiting for a Flux controller to handle a reconcile request, and saying how it went. Polls with
// backoff, reports progress while it waits, and stops when its budget is spent (well before the
// request timeouts of common clients, 60 s) or the call is cancelled or times out.
import { readinessOf } from "./readiness.ts";
import { revisionsOf, type ReconcileProgress } from "./reconcile.ts";
import type { Kube, KubeObject } from "../kube/types.ts";
import type { FluxTarget } from "./target.ts";

const FIRST_POLL_MS = 250;
const MAX_POLL_MS = 2000;
/** What waiting needs of the call it runs in (a tool's context is one). */
export interface WaitingCall {
  /** Aborted when the call is cancelled or times out. */
  signal: AbortSignal;
  progress(message: string, progress: number): void;
}

export interface WaitOutcome {
  /** The last state seen; "done" unless the wait was interrupted. */
  progress: ReconcileProgress;
  object: KubeObject;
  elapsedMs: number;
  /** The call was cancelled or timed out, or the wait budget spent, before the controller was done. */
  interrupted: boolean;
  /** The wait stopped because its budget was spent (the call itself goes on). */
  budgetSpent: boolean;
}

/** Sends numbered progress notifications across every wait of one call. */
export function progressReporter(ctx: WaitingCall): (message: string) => void {
  let step = 0;
  return (message) => ctx.progress(message, ++step);
}

/**
 * Polls `target` until `read` says its controller is done with it, `budgetMs` has passed, or the call
 * is interrupted.
 */
export async function waitForOutcome(
  kube: Kube,
  ctx: WaitingCall,
  target: FluxTarget,
  read: (object: KubeObject) => ReconcileProgress,
  report: (message: string) => void,
  budgetMs = Infinity,
): Promise<WaitOutcome> {
  const started = performance.now();
  const { resolved, object: initial } = target;
  let object = initial;
  let progress: ReconcileProgress = { state: "pending" };
  let delay = FIRST_POLL_MS;
  const left = () => budgetMs - (performance.now() - started);
  while (!ctx.signal.aborted && left() > 0) {
    // The last poll lands on the end of the budget, so an outcome reached by then is still seen.
    await pause(Math.min(delay, left()), ctx.signal);
    if (ctx.signal.aborted) break;
    try {
      object = await kube.get(resolved, initial.metadata.name ?? "", initial.metadata.namespace);
    } catch (error) {
      if (ctx.signal.aborted) break;
      throw error;
    }
    progress = read(object);
    const elapsedMs = performance.now() - started;
    if (progress.state === "done")
      return { progress, object, elapsedMs, interrupted: false, budgetSpent: false };
    report(`${target.title}: ${describeWaiting(progress)} (${formatElapsed(elapsedMs)})`);
    delay = Math.min(delay * 2, MAX_POLL_MS);
  }
  const elapsedMs = performance.now() - started;
  return { progress, object, elapsedMs, interrupted: true, budgetSpent: !ctx.signal.aborted };
}

/** Lines that say how a handled request ended, or why it is not known yet. */
export function describeOutcome(target: FluxTarget, outcome: WaitOutcome, place: string): string[] {
  const { progress, elapsedMs } = outcome;
  const elapsed = formatElapsed(elapsedMs);
  if (progress.state !== "done") {
    const why = outcome.budgetSpent
      ? "stopped waiting: its time budget ran out"
      : "stopped waiting because the call was cancelled or timed out";
    const state = progress.state === "pending" ? "not yet handled by its controller" : "still reconciling";
    return [
      `${target.title} ${place}: ${state} after ${elapsed}; ${why}. Not a failure: the request stands and the controller carries on; check on it later with get_kubernetes_resources`,
      `last seen: ${describeWaiting(progress)}`,
    ];
  }
  const readiness = readinessOf(outcome.object, target.fluxKind);
  const verdict = progress.ready
    ? `reconciled in ${elapsed}`
    : readiness.state === "blocked"
      ? `not ready after ${elapsed}: waiting for a dependency`
      : `reconciliation failed after ${elapsed}`;
  const lines = [
    `${target.title} ${place}: ${verdict}`,
    `ready: ${progress.ready ? "True" : "False"}${progress.reason ? ` (${progress.reason})` : ""}${progress.message ? ` ${progress.message}` : ""}`,
  ];
  if (readiness.cause) lines.push(`cause: ${readiness.cause}`);
  if (progress.stalled) {
    const stall = [progress.stalled.reason, progress.stalled.message].filter(Boolean).join(": ");
    lines.push(`stalled: ${stall}; the controller will not retry until the spec changes`);
  }
  const revisions = revisionsOf(outcome.object);
  if (revisions.current || revisions.attempted) {
    const attempted = revisions.attempted ? ` (last attempted: ${revisions.attempted})` : "";
    lines.push(`revision: ${revisions.current ?? "none"}${attempted}`);
  }
  return lines;
}

function describeWaiting(progress: ReconcileProgress): string {
  if (progress.state === "running") {
    return `reconciling${progress.reason ? ` (${progress.reason})` : ""}${progress.message ? `: ${progress.message}` : ""}`;
  }
  return "waiting for the controller to pick up the request";
}

function formatElapsed(milliseconds: number): string {
  const seconds = milliseconds / 1000;
  if (seconds < 60) return `${seconds.toFixed(seconds < 10 ? 2 : 1)}s`;
  return `${Math.floor(seconds / 60)}m${Math.round(seconds % 60)}s`;
}

/** Resolves after `milliseconds`, or at once when the signal aborts. */
function pause(milliseconds: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, milliseconds);
    signal.addEventListener("abort", done, { once: true });
  });
}
