// Runs the built binary (dist/cli.js) on the Node that runs the tests.
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";

export const CLI_PATH = fileURLToPath(new URL("../../dist/cli.js", import.meta.url));

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function runCli(args: string[], options: { env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}) {
  return new Promise<CliResult>((resolve) => {
    execFile(
      process.execPath,
      [CLI_PATH, ...args],
      { env: options.env ?? process.env, timeout: options.timeoutMs ?? 30_000 },
      (error, stdout, stderr) => {
        const code = error && typeof error.code === "number" ? error.code : error ? 1 : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}
