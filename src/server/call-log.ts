// --tool-call-log-file: one JSON line per tools/call (time, tool, arguments, outcome, duration),
// appended in call order. The file is an audit trail: a failure to write it is reported, not fatal.
import { appendFile } from "node:fs/promises";

export type CallOutcome = "ok" | "error" | "invalid" | "timeout" | "cancelled" | "failed";

interface CallLogEntry {
  time: string;
  session?: string;
  tool: string;
  /** The arguments as the client sent them, secrets scrubbed. */
  arguments: unknown;
  outcome: CallOutcome;
  durationMs: number;
  /** The one-line failure, for every outcome but "ok". */
  error?: string;
}

export interface CallLog {
  /** Appends the line; resolves once it is written (the call is answered only then). */
  write(entry: CallLogEntry): Promise<void>;
  /** Resolves when every line written so far is on disk. */
  flush(): Promise<void>;
}

export function createCallLog(path: string, reportError: (message: string) => void): CallLog {
  let pending = Promise.resolve();
  let reported = false;
  return {
    write(entry) {
      const line = `${JSON.stringify(entry)}\n`;
      pending = pending.then(() =>
        appendFile(path, line, { mode: 0o600 }).catch((error: unknown) => {
          if (reported) return;
          reported = true;
          reportError(`cannot write the tool call log ${path}: ${(error as Error).message}`);
        }),
      );
      return pending;
    },
    flush: () => pending,
  };
}
