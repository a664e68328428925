// Reads a V8 CPU profile (`node --cpu-prof`) and names where the time went: the functions with the
// most self time, and the share of garbage collection. Used by `npm run bench:http -- --cpu-prof DIR`;
// also runnable on its own: `node bench/cpu-profile.ts FILE.cpuprofile [TOP]`.
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { benchCommandLine } from "./arguments.ts";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface SelfTime {
  name: string;
  ms: number;
  /** Share of the busy time (idle excluded). */
  share: number;
}

export interface ProfileSummary {
  busyMs: number;
  gcShare: number;
  top: SelfTime[];
  /** Time with the function anywhere on the stack (its callees included). */
  inclusive: SelfTime[];
}

/** V8's pseudo-frames: idle is not work; the rest count as work. */
const IDLE = "(idle)";
const GC = "(garbage collector)";

export async function summarizeProfile(path: string, top = 25): Promise<ProfileSummary> {
  const profile = JSON.parse(await readFile(path, "utf8")) as CpuProfile;
  const frames = new Map(profile.nodes.map((node) => [node.id, node.callFrame]));
  const parents = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parents.set(child, node.id);
  const byName = new Map<string, number>();
  const withCallees = new Map<string, number>();
  let busyUs = 0;
  let gcUs = 0;
  for (const [index, id] of profile.samples.entries()) {
    const frame = frames.get(id);
    const us = profile.timeDeltas[index] ?? 0;
    if (!frame || frame.functionName === IDLE) continue;
    busyUs += us;
    if (frame.functionName === GC) gcUs += us;
    const name = describeFrame(frame);
    byName.set(name, (byName.get(name) ?? 0) + us);
    const onStack = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parents.get(at)) {
      const caller = frames.get(at);
      if (caller?.url) onStack.add(describeFrame(caller));
    }
    for (const caller of onStack) withCallees.set(caller, (withCallees.get(caller) ?? 0) + us);
  }
  const largest = (times: Map<string, number>) =>
    [...times]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, us]) => ({ name, ms: Math.round(us / 1000), share: us / busyUs }));
  return {
    busyMs: Math.round(busyUs / 1000),
    gcShare: busyUs === 0 ? 0 : gcUs / busyUs,
    top: largest(byName),
    inclusive: largest(withCallees),
  };
}

function describeFrame({ functionName, url, lineNumber }: ProfileNode["callFrame"]): string {
  const file = url.replace(/^file:\/\//, "").replace(/^.*\/(node_modules|dist|src)\//, "$1/");
  const name = functionName || "(anonymous)";
  return file ? `${name} ${file}:${lineNumber + 1}` : name;
}

export function formatProfile(summary: ProfileSummary): string {
  const lines = [
    `busy ${summary.busyMs} ms, garbage collection ${(summary.gcShare * 100).toFixed(1)} % of it; top self time:`,
  ];
  const line = (entry: SelfTime) =>
    `  ${(entry.share * 100).toFixed(1).padStart(5)} %  ${String(entry.ms).padStart(6)} ms  ${entry.name}`;
  lines.push(...summary.top.map(line), "with callees (time with the function on the stack):");
  lines.push(...summary.inclusive.map(line));
  return lines.join("\n");
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [path, top = "25", ...rest] = benchCommandLine(import.meta.url, {}).positionals;
  if (path === undefined || rest.length > 0 || !(Number(top) > 0)) {
    process.stderr.write("usage: node bench/cpu-profile.ts FILE.cpuprofile [TOP] (--help says more)\n");
    process.exit(2);
  }
  process.stdout.write(`${formatProfile(await summarizeProfile(path, Number(top)))}\n`);
}
