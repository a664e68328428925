// Preloaded into a server under test (node --import): how long the server's event loop goes
// without a turn, measured inside its own process. A timer asks for a turn every millisecond; each
// late turn gives two figures: the wall-clock delay, and the CPU time the main thread spent in it
// (its own work and its garbage collection), which is the part the server's code is to blame for:
// on a loaded machine the wall-clock delay also holds the time the OS ran other processes. On
// SIGUSR2 the probe writes the longest of each since its last report to stderr, as
// `loop-probe <sequence> <JSON>`, and starts over.
const TICK_MS = 1;
const US_PER_MS = 1000;

let lastWall = performance.now();
let lastCpu = threadCpuMs();
let longestWallMs = 0;
let longestCpuMs = 0;
let sequence = 0;

function threadCpuMs(): number {
  const { user, system } = process.threadCpuUsage();
  return (user + system) / US_PER_MS;
}

function tick(): void {
  const wall = performance.now();
  const cpu = threadCpuMs();
  longestWallMs = Math.max(longestWallMs, wall - lastWall - TICK_MS);
  longestCpuMs = Math.max(longestCpuMs, cpu - lastCpu);
  lastWall = wall;
  lastCpu = cpu;
  setTimeout(tick, TICK_MS).unref();
}
setTimeout(tick, TICK_MS).unref();

process.on("SIGUSR2", () => {
  const round = (ms: number) => Math.round(ms * 10) / 10;
  const report = { wallMs: round(longestWallMs), cpuMs: round(longestCpuMs) };
  process.stderr.write(`loop-probe ${++sequence} ${JSON.stringify(report)}\n`);
  longestWallMs = 0;
  longestCpuMs = 0;
});
