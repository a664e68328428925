// Line diff in unified format, for showing what a change does to an object: jsdiff finds the edit
// script and cuts it into hunks; only the `@@` lines and the hunk bodies are kept (no file headers).
import { structuredPatch } from "diff";

/** Beyond this many differing lines the diff says "replaced" instead of searching for a minimal script. */
const MAX_EDITS = 2000;

/** Hunks with `context` lines around each change, `@@ -a,n +b,m @@` headers; empty when equal. */
export function unifiedDiff(before: string[], after: string[], context = 3): string[] {
  const patch = structuredPatch("", "", text(before), text(after), undefined, undefined, {
    context,
    maxEditLength: MAX_EDITS,
  });
  if (!patch) return replaced(before, after);
  return patch.hunks.flatMap((hunk) => [
    header(hunk.oldStart, hunk.oldLines, hunk.newStart, hunk.newLines),
    ...hunk.lines,
  ]);
}

/** The lines as a text whose every line ends with a newline, so jsdiff adds no end-of-file markers. */
function text(lines: string[]): string {
  return lines.length === 0 ? "" : `${lines.join("\n")}\n`;
}

/** An empty range starts one line earlier: the line after which it sits, as diff(1) writes it. */
function header(oldStart: number, oldLines: number, newStart: number, newLines: number): string {
  return `@@ -${oldLines === 0 ? oldStart - 1 : oldStart},${oldLines} +${newLines === 0 ? newStart - 1 : newStart},${newLines} @@`;
}

function replaced(before: string[], after: string[]): string[] {
  return [
    header(1, before.length, 1, after.length),
    ...before.map((line) => `-${line}`),
    ...after.map((line) => `+${line}`),
  ];
}
