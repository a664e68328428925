// How long Node itself takes to be spawned and answer one line on stdin: the part of any Node
// server's handshake that no code of its own can save.
import { spawn } from "node:child_process";
import { median, roundMs } from "./numbers.ts";

const ANSWER_FIRST_LINE = 'process.stdin.once("data", () => process.stdout.write("ok\\n"));';

export async function measureNodeStart(spawns: number): Promise<{ ms: number[]; medianMs: number }> {
  const ms: number[] = [];
  for (let index = 0; index < spawns; index++) ms.push(roundMs(await oneStart()));
  return { ms, medianMs: median(ms) };
}

function oneStart(): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, ["-e", ANSWER_FIRST_LINE], { stdio: ["pipe", "pipe", "ignore"] });
    child.once("error", reject);
    child.stdout.once("data", () => {
      resolve(performance.now() - started);
      child.kill();
    });
    child.stdin.end('{"jsonrpc":"2.0"}\n');
  });
}
