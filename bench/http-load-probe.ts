// Preloaded into the server under HTTP load (`node --import bench/http-load-probe.ts dist/cli.js …`)
// so the load script sees from inside the process what it cannot see from outside: the event-loop
// delay, the time spent in garbage collection and the CPU used. The product carries none of it.
// The first SIGUSR2 opens the measuring window, the second closes it and writes the figures as
// JSON to the file named by FLUX_MCP_LOAD_PROBE (synchronously: the load script then kills us).
import { writeFileSync } from "node:fs";
import { monitorEventLoopDelay, performance, PerformanceObserver } from "node:perf_hooks";

/** What the window measured; durations in milliseconds. */
export interface ProbeReport {
  windowMs: number;
  loopDelay: { p50: number; p99: number; max: number; mean: number };
  /** Share of the window the event loop was busy (event-loop utilization). */
  loopUtilization: number;
  /** User + system CPU time of the whole process (every thread). */
  cpuMs: number;
  /** Pauses of the main thread for garbage collection, by kind. */
  gc: { totalMs: number; minorMs: number; majorMs: number; count: number };
  peakRssMiB: number;
}

/** 10 ms is perf_hooks' default sampling resolution: finer makes the probe itself a load. */
const RESOLUTION_MS = 10;
const MINOR_GC = 1; // perf_hooks.constants.NODE_PERFORMANCE_GC_MINOR

class Window {
  readonly #histogram = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
  readonly #gcObserver: PerformanceObserver;
  readonly #started = performance.now();
  readonly #cpu = process.cpuUsage();
  readonly #utilization = performance.eventLoopUtilization();
  readonly gc = { totalMs: 0, minorMs: 0, majorMs: 0, count: 0 };

  constructor() {
    this.#histogram.enable();
    this.#gcObserver = new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) {
        const kind = (entry as PerformanceEntry & { detail?: { kind?: number } }).detail?.kind;
        this.gc.totalMs += entry.duration;
        this.gc.count++;
        if (kind === MINOR_GC) this.gc.minorMs += entry.duration;
        else this.gc.majorMs += entry.duration;
      }
    });
    this.#gcObserver.observe({ entryTypes: ["gc"] });
  }

  close(): ProbeReport {
    this.#histogram.disable();
    this.#gcObserver.disconnect();
    const cpu = process.cpuUsage(this.#cpu);
    const ms = (nanoseconds: number) => round(nanoseconds / 1e6);
    return {
      windowMs: round(performance.now() - this.#started),
      loopDelay: {
        p50: ms(this.#histogram.percentile(50)),
        p99: ms(this.#histogram.percentile(99)),
        max: ms(this.#histogram.max),
        mean: ms(this.#histogram.mean),
      },
      loopUtilization: round(performance.eventLoopUtilization(this.#utilization).utilization),
      cpuMs: round((cpu.user + cpu.system) / 1000),
      gc: {
        totalMs: round(this.gc.totalMs),
        minorMs: round(this.gc.minorMs),
        majorMs: round(this.gc.majorMs),
        count: this.gc.count,
      },
      peakRssMiB: round(process.resourceUsage().maxRSS / 1024),
    };
  }
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}

const out = process.env.FLUX_MCP_LOAD_PROBE;
if (out !== undefined) {
  let open: Window | undefined;
  process.on("SIGUSR2", () => {
    if (open === undefined) {
      open = new Window();
      return;
    }
    writeFileSync(out, JSON.stringify(open.close()));
    open = undefined;
  });
}
