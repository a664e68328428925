// The requests the API server answered, so tests can assert on traffic (e.g. that read-only mode
// sent no write). Bounded: a ring buffer keeps the most recent entries.
import type { RequestLogEntry } from "./types.ts";

export interface RequestLogFilter {
  method?: string;
  verb?: string;
  user?: string;
  pathPrefix?: string;
  /** Only entries recorded after this mark was taken. */
  since?: RequestLogMark;
}

/** A position in the log, from `mark()`; more precise than a timestamp. */
export type RequestLogMark = number;

export const WRITE_VERBS: ReadonlySet<string> = new Set([
  "create",
  "update",
  "patch",
  "delete",
  "deletecollection",
]);

const DEFAULT_REQUEST_LOG_CAPACITY = 10_000;

export class RequestLog {
  readonly capacity: number;
  readonly #slots: RequestLogEntry[] = [];
  /** Sequence number of the next entry; also how many were ever recorded. */
  #recorded = 0;
  /** Sequence number of the first entry kept since the last clear(). */
  #firstKept = 0;

  constructor(options: { capacity?: number } = {}) {
    this.capacity = options.capacity ?? DEFAULT_REQUEST_LOG_CAPACITY;
    if (!Number.isInteger(this.capacity) || this.capacity < 1) {
      throw new RangeError(`request log capacity must be a positive integer, got ${this.capacity}`);
    }
  }

  record(entry: RequestLogEntry): void {
    this.#slots[this.#recorded % this.capacity] = entry;
    this.#recorded++;
  }

  mark(): RequestLogMark {
    return this.#recorded;
  }

  /** Retained entries, oldest first. */
  entries(filter: RequestLogFilter = {}): RequestLogEntry[] {
    const kept: RequestLogEntry[] = [];
    for (
      let sequence = Math.max(this.#oldestRetained(), filter.since ?? 0);
      sequence < this.#recorded;
      sequence++
    ) {
      const entry = this.#slots[sequence % this.capacity];
      if (entry && matches(entry, filter)) kept.push(entry);
    }
    return kept;
  }

  /**
   * Write requests (create/update/patch/delete/deletecollection, allowed or not) recorded after
   * `mark`. Throws rather than answer from a log that overflowed since the mark.
   */
  writesSince(mark: RequestLogMark = 0): RequestLogEntry[] {
    if (this.#recorded - this.capacity > Math.max(mark, this.#firstKept)) {
      throw new Error(
        `request log overflowed since mark ${mark}: ${this.#recorded - mark} requests exceed its capacity of ${this.capacity}`,
      );
    }
    return this.entries({ since: mark }).filter((entry) => WRITE_VERBS.has(entry.verb));
  }

  clear(): void {
    this.#slots.length = 0;
    // Sequence numbers go on, so marks taken before clear() stay meaningful.
    this.#firstKept = this.#recorded;
  }

  #oldestRetained(): number {
    return Math.max(this.#firstKept, this.#recorded - this.capacity);
  }
}

function matches(entry: RequestLogEntry, filter: RequestLogFilter): boolean {
  return (
    (filter.method === undefined || filter.method.toUpperCase() === entry.method.toUpperCase()) &&
    (filter.verb === undefined || filter.verb === entry.verb) &&
    (filter.user === undefined || filter.user === entry.user) &&
    (filter.pathPrefix === undefined || entry.path.startsWith(filter.pathPrefix))
  );
}
