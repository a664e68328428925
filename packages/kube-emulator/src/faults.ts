// Fault injection for reliability tests: latency, 5xx answers, 429 throttling and dropped
// connections, switched on and off per test and deterministic under a seed.
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from "node:http";
import { setTimeout as sleep } from "node:timers/promises";
import type { RequestAttributes } from "./types.ts";

/** Which requests a fault applies to; every field given must match. */
interface FaultMatch {
  method?: string;
  /** Compared with the path without its query string. */
  pathPrefix?: string;
  /** Needs request attributes: never matches a request intercepted before they are known. */
  verb?: string;
  user?: string;
}

type FaultAction =
  /** Waits, then lets the request through (or on to the next matching fault). */
  | { kind: "latency"; delayMs: number }
  /** Holds the request until `opened` resolves, then lets it through: a slow cluster a test controls. */
  | { kind: "gate"; opened: Promise<void> }
  /**
   * A Status answer. With `retryAfterSeconds`, the Status details carry it and the Retry-After
   * header says it too, as kube-apiserver writes any Status that asks the client to come back
   * (a 503 while it starts or shuts down, a 504 server timeout).
   */
  | { kind: "error"; status: number; reason?: string; message?: string; retryAfterSeconds?: number }
  | { kind: "throttle"; retryAfterSeconds: number }
  /** Closes the connection without answering. */
  | { kind: "drop" };

interface FaultFiring {
  /** Fires at most this many times; unlimited when absent. */
  times?: number;
  /** Chance in [0, 1] that a matching request triggers the fault, drawn from the seeded generator. */
  probability?: number;
}

export type FaultRule = FaultMatch & FaultFiring & FaultAction;

export interface ActiveFault {
  id: string;
  rule: FaultRule;
  fired: number;
}

export interface FaultInjectorOptions {
  /** Seed of the generator behind `probability`; the same seed gives the same sequence of faults. */
  seed?: number;
}

const defaultReasons: Record<number, string> = {
  500: "InternalError",
  503: "ServiceUnavailable",
  504: "Timeout",
};

export class FaultInjector {
  readonly #faults = new Map<string, ActiveFault>();
  readonly #random: () => number;
  #lastId = 0;

  constructor(options: FaultInjectorOptions = {}) {
    this.#random = seededRandom(options.seed ?? 1);
  }

  add(rule: FaultRule): string {
    const id = `fault-${++this.#lastId}`;
    this.#faults.set(id, { id, rule: { ...rule }, fired: 0 });
    return id;
  }

  remove(id: string): boolean {
    return this.#faults.delete(id);
  }

  clear(): void {
    this.#faults.clear();
  }

  /** Faults in the order they apply, exhausted ones included so tests can read `fired`. */
  list(): ActiveFault[] {
    return [...this.#faults.values()].map((fault) => ({ ...fault, rule: { ...fault.rule } }));
  }

  /**
   * Applies the matching faults in the order they were added. Resolves true when a fault answered
   * the request or closed the connection, so the caller must not touch it any more.
   */
  async intercept(
    req: IncomingMessage,
    res: ServerResponse,
    attrs: RequestAttributes | undefined,
  ): Promise<boolean> {
    for (const fault of [...this.#faults.values()]) {
      if (!this.#triggers(fault, req, attrs)) continue;
      const { rule } = fault;
      switch (rule.kind) {
        case "latency":
          if (!(await waitWhileConnected(sleepFor(rule.delayMs), res))) return true;
          break;
        case "gate":
          if (!(await waitWhileConnected(() => rule.opened, res))) return true;
          break;
        case "drop":
          req.socket.destroy();
          return true;
        case "throttle":
          writeStatus(
            res,
            429,
            "TooManyRequests",
            "Too many requests, please try again later.",
            retryAfter(rule.retryAfterSeconds),
          );
          return true;
        case "error":
          writeStatus(
            res,
            rule.status,
            rule.reason ?? defaultReasons[rule.status] ?? "InternalError",
            rule.message ?? "injected fault",
            rule.retryAfterSeconds === undefined ? {} : retryAfter(rule.retryAfterSeconds),
          );
          return true;
      }
    }
    return false;
  }

  #triggers(fault: ActiveFault, req: IncomingMessage, attrs: RequestAttributes | undefined): boolean {
    const { rule } = fault;
    if (rule.times !== undefined && fault.fired >= rule.times) return false;
    if (!matches(rule, req, attrs)) return false;
    // Drawn only for matching requests, so unrelated traffic does not shift the sequence.
    if (rule.probability !== undefined && this.#random() >= rule.probability) return false;
    fault.fired++;
    return true;
  }
}

function matches(match: FaultMatch, req: IncomingMessage, attrs: RequestAttributes | undefined): boolean {
  const path = (req.url ?? "/").split("?", 1)[0] ?? "/";
  return (
    (match.method === undefined || match.method.toUpperCase() === req.method) &&
    (match.pathPrefix === undefined || path.startsWith(match.pathPrefix)) &&
    (match.verb === undefined || match.verb === attrs?.verb) &&
    (match.user === undefined || match.user === attrs?.identity.user)
  );
}

function sleepFor(delayMs: number): (signal: AbortSignal) => Promise<unknown> {
  // Unreferenced: a request still waiting must not keep the process alive once the server closed.
  return (signal) => sleep(delayMs, undefined, { signal, ref: false });
}

/** Waits for `wait`; false when the client went away first. */
async function waitWhileConnected(
  wait: (signal: AbortSignal) => Promise<unknown>,
  res: ServerResponse,
): Promise<boolean> {
  const disconnected = new AbortController();
  const gone = new Promise<false>((resolve) => {
    disconnected.signal.addEventListener("abort", () => resolve(false), { once: true });
  });
  const abort = (): void => disconnected.abort();
  res.once("close", abort);
  try {
    return await Promise.race([wait(disconnected.signal).then(() => true), gone]);
  } catch {
    // The only rejection of a wait is the abort above.
    return false;
  } finally {
    res.off("close", abort);
  }
}

function retryAfter(seconds: number): { headers: OutgoingHttpHeaders; details: object } {
  return { headers: { "Retry-After": String(seconds) }, details: { retryAfterSeconds: seconds } };
}

function writeStatus(
  res: ServerResponse,
  code: number,
  reason: string,
  message: string,
  extra: { headers?: OutgoingHttpHeaders; details?: object } = {},
): void {
  const status = {
    kind: "Status",
    apiVersion: "v1",
    metadata: {},
    status: "Failure",
    message,
    reason,
    ...(extra.details && { details: extra.details }),
    code,
  };
  res.writeHead(code, { "Content-Type": "application/json", ...extra.headers });
  res.end(JSON.stringify(status));
}

// mulberry32: a tiny, well-distributed 32-bit generator; Math.random cannot be seeded.
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
