// Line diff in unified format (Myers' O(ND) algorithm), for showing what a change does to an object.

interface Edit {
  op: " " | "-" | "+";
  line: string;
}

/** Beyond this many differing lines the diff says "replaced" instead of searching for a minimal script. */
const MAX_EDITS = 2000;

/** Hunks with `context` lines around each change, `@@ -a,n +b,m @@` headers; empty when equal. */
export function unifiedDiff(before: string[], after: string[], context = 3): string[] {
  const edits = editScript(before, after);
  const changed = edits.flatMap((edit, index) => (edit.op === " " ? [] : [index]));
  if (changed.length === 0) return [];
  const hunks: [number, number][] = [];
  for (const index of changed) {
    const start = Math.max(0, index - context);
    const end = Math.min(edits.length, index + context + 1);
    const last = hunks[hunks.length - 1];
    if (last && start <= last[1]) last[1] = end;
    else hunks.push([start, end]);
  }
  const output: string[] = [];
  for (const [start, end] of hunks) {
    let beforeLine = 1;
    let afterLine = 1;
    for (const edit of edits.slice(0, start)) {
      if (edit.op !== "+") beforeLine++;
      if (edit.op !== "-") afterLine++;
    }
    const slice = edits.slice(start, end);
    const beforeCount = slice.filter((edit) => edit.op !== "+").length;
    const afterCount = slice.filter((edit) => edit.op !== "-").length;
    output.push(
      `@@ -${beforeCount === 0 ? beforeLine - 1 : beforeLine},${beforeCount} +${afterCount === 0 ? afterLine - 1 : afterLine},${afterCount} @@`,
    );
    for (const edit of slice) output.push(`${edit.op}${edit.line}`);
  }
  return output;
}

function editScript(before: string[], after: string[]): Edit[] {
  let prefix = 0;
  while (prefix < before.length && prefix < after.length && before[prefix] === after[prefix]) prefix++;
  let suffix = 0;
  while (
    suffix < before.length - prefix &&
    suffix < after.length - prefix &&
    before[before.length - 1 - suffix] === after[after.length - 1 - suffix]
  ) {
    suffix++;
  }
  const a = before.slice(prefix, before.length - suffix);
  const b = after.slice(prefix, after.length - suffix);
  const same = (lines: string[]): Edit[] => lines.map((line) => ({ op: " ", line }));
  return [
    ...same(before.slice(0, prefix)),
    ...middleEdits(a, b),
    ...same(before.slice(before.length - suffix)),
  ];
}

function middleEdits(a: string[], b: string[]): Edit[] {
  const replaced = (): Edit[] => [
    ...a.map((line): Edit => ({ op: "-", line })),
    ...b.map((line): Edit => ({ op: "+", line })),
  ];
  if (a.length === 0 || b.length === 0) return replaced();
  const max = Math.min(a.length + b.length, MAX_EDITS);
  const offset = max + 1;
  const furthest = new Int32Array(2 * max + 3);
  // trace[d] holds the furthest x per diagonal k in [-d, d] before step d, for the walk back.
  const trace: Int32Array[] = [];
  for (let d = 0; d <= max; d++) {
    trace.push(furthest.slice(offset - d, offset + d + 1));
    for (let k = -d; k <= d; k += 2) {
      const down = k === -d || (k !== d && furthest[offset + k - 1]! < furthest[offset + k + 1]!);
      let x = down ? furthest[offset + k + 1]! : furthest[offset + k - 1]! + 1;
      let y = x - k;
      while (x < a.length && y < b.length && a[x] === b[y]) {
        x++;
        y++;
      }
      furthest[offset + k] = x;
      if (x >= a.length && y >= b.length) return walkBack(trace, a, b);
    }
  }
  return replaced();
}

function walkBack(trace: Int32Array[], a: string[], b: string[]): Edit[] {
  const edits: Edit[] = [];
  let x = a.length;
  let y = b.length;
  for (let d = trace.length - 1; d >= 0; d--) {
    const row = trace[d]!;
    const at = (k: number) => row[k + d] ?? 0;
    const k = x - y;
    const down = k === -d || (k !== d && at(k - 1) < at(k + 1));
    const previousK = down ? k + 1 : k - 1;
    const previousX = d === 0 ? 0 : at(previousK);
    const previousY = previousX - previousK;
    while (x > previousX && y > previousY) {
      edits.push({ op: " ", line: a[x - 1]! });
      x--;
      y--;
    }
    if (d === 0) break;
    if (x === previousX) edits.push({ op: "+", line: b[--y]! });
    else edits.push({ op: "-", line: a[--x]! });
  }
  return edits.reverse();
}
