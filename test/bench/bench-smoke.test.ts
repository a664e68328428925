// `npm run bench -- --quick` starts, measures flux-mcp against the in-memory API server, and writes
// its result files. Only that it runs and what it writes: its times are never judged here.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import type { BenchResults } from "../../bench/results.ts";

const BENCH = join(import.meta.dirname, "../../bench/run.ts");

test("the quick bench runs flux-mcp through every question and writes its results", async () => {
  const out = await mkdtemp(join(tmpdir(), "flux-mcp-bench-smoke-"));
  try {
    await promisify(execFile)(process.execPath, [BENCH, "--quick", "--servers", "flux-mcp", "--out", out], {
      timeout: 240_000,
      maxBuffer: 64 * 1024 * 1024,
    });
    const results = JSON.parse(await readFile(join(out, "results.json"), "utf8")) as BenchResults;
    const [run] = results.runs;
    const ours = run?.servers.find((server) => server.id === "flux-mcp");
    assert.ok(ours, "flux-mcp was measured");
    assert.deepEqual(ours.coldStart?.errors, []);
    assert.equal(typeof ours.coldStart?.firstAnswerMs[0], "number", "a cold start reached its first answer");
    const questions = Object.entries(ours.questions);
    // Every question of bench/questions.ts: the standard eight and those of the analysis tools.
    assert.deepEqual(questions.map(([id]) => id).sort(), [
      "compare-clusters",
      "crashloop-logs",
      "failing",
      "fleet-kustomizations",
      "flux-api-versions",
      "helmrelease-yaml",
      "helmreleases",
      "image-latest",
      "kustomization-events",
      "pod-metrics",
      "root-cause",
    ]);
    for (const [id, result] of questions) {
      assert.equal(result?.ok, true, `${id}: ${result?.error}`);
      assert.equal(typeof result?.latencyMs[0], "number", `${id} was timed`);
    }
    assert.ok(results.summary.ratios["flux-mcp/floor"], "flux-mcp is compared with the raw API");
    assert.match(await readFile(join(out, "README-section.md"), "utf8"), /spawn → first tool answer/);
  } finally {
    await rm(out, { recursive: true, force: true });
  }
});
