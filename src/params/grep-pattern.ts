// The `grep` argument of the log and event tools: a case-insensitive regular expression run by a
// linear-time engine (RE2 semantics), so no pattern can stall the server however it backtracks.
// It runs on text already masked (src/kube/masking), so it cannot be used to read a value back.
import { RE2JS } from "re2js";

/** Longer patterns are refused: no search a person writes needs more. */
const MAX_GREP_LENGTH = 512;

export interface GrepPattern {
  test(text: string): boolean;
}

/** The compiled pattern, or a one-line reason it was refused. */
export function compileGrep(pattern: string): GrepPattern | { error: string } {
  if (pattern.length > MAX_GREP_LENGTH) {
    return { error: `grep pattern too long (${pattern.length} characters, at most ${MAX_GREP_LENGTH})` };
  }
  let compiled: RE2JS;
  try {
    compiled = RE2JS.compile(pattern, RE2JS.CASE_INSENSITIVE);
  } catch (error) {
    const reason = (error instanceof Error ? error.message : String(error)).split("\n")[0] ?? "";
    const said = reason.replace(/^error parsing regexp: /, "").replace("`(?i)", "`");
    return { error: `invalid grep pattern: ${said} (RE2 syntax: no backreferences or lookaround)` };
  }
  return { test: (text) => compiled.matcher(text).find() };
}
