// Preloaded into a server under test (node --import): the event loop's delay measured inside the
// server's own process, where a block is felt. On SIGUSR2 it writes the longest delay since the
// last report to stderr, as `loop-probe <sequence> <JSON>`, and starts over.
import { monitorEventLoopDelay } from "node:perf_hooks";

const NS_PER_MS = 1e6;
const histogram = monitorEventLoopDelay({ resolution: 1 });
histogram.enable();
let sequence = 0;

process.on("SIGUSR2", () => {
  const report = {
    maxMs: Math.round((histogram.max / NS_PER_MS) * 10) / 10,
    p99Ms: Math.round((histogram.percentile(99) / NS_PER_MS) * 10) / 10,
  };
  process.stderr.write(`loop-probe ${++sequence} ${JSON.stringify(report)}\n`);
  histogram.reset();
});
