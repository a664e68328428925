// `node bench/scale.ts` on a small fleet: it starts flux-mcp with the loop probe, measures every
// call against its raw API floor and the same requests parsed by Node, and prints one row per
// call. Only that it runs and measures each column: its figures are never judged here.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";

const SCALE = join(import.meta.dirname, "../../bench/scale.ts");

test("the scale bench measures every call's time, floors, memory and event-loop block", async () => {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [SCALE, "--flux-objects", "250", "--runs", "1", "--rounds", "1", "--no-write"],
    { timeout: 240_000, maxBuffer: 16 * 1024 * 1024 },
  );
  const rows = stdout
    .split("\n")
    .filter((line) => line.startsWith("| ") && !line.startsWith("| call"))
    .map((line) => line.split(" | ").map((cell) => cell.replace(/^\| |\s\|$/g, "")));
  assert.deepEqual(
    rows.map((cells) => cells[0]),
    ["flux-instance", "kustomizations-fields", "kustomizations-default-page"],
    stdout,
  );
  for (const cells of rows) {
    const [id, time, floor, ratio, parsed, ratioToParsed, parsedOverFloor, rss, block, delay, answer] = cells;
    assert.match(time ?? "", /^[\d.]+ ms/, `${id} time`);
    assert.match(floor ?? "", /^[\d.]+ ms/, `${id} floor`);
    assert.match(ratio ?? "", /^[\d.]+×/, `${id} ratio`);
    assert.match(parsed ?? "", /^[\d.]+ ms/, `${id} parsed floor`);
    assert.match(ratioToParsed ?? "", /^[\d.]+×/, `${id} ratio to the parsed floor`);
    assert.match(parsedOverFloor ?? "", /^[\d.]+×/, `${id} parsed floor over the floor`);
    assert.match(rss ?? "", /^[\d.]+ MiB/, `${id} peak RSS`);
    assert.match(block ?? "", /^[\d.]+ ms/, `${id} block`);
    assert.match(delay ?? "", /^[\d.]+ ms/, `${id} delay`);
    assert.doesNotMatch(answer ?? "", /errors:/, `${id}: ${answer}`);
  }
});
