// Runs the built `flux-mcp serve` over HTTP in a child process, for tests that need its URL,
// its stderr, signals and its exit code.
import { spawn, type ChildProcess } from "node:child_process";
import { serverEnvironment } from "./mcp-clients.ts";
import { CLI_PATH } from "./run-cli.ts";

export interface ServeProcess {
  child: ChildProcess;
  /** Base URL, e.g. http://127.0.0.1:41234 */
  url: string;
  stderr(): string;
  /** Resolves with the exit code once the process has ended. */
  exited: Promise<number | null>;
  /** Sends the signal (SIGTERM by default) and waits for the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export async function startServeProcess(
  args: string[],
  env: Record<string, string> = serverEnvironment(),
): Promise<ServeProcess> {
  const child = spawn(process.execPath, [CLI_PATH, "serve", "--transport", "http", "--port", "0", ...args], {
    env,
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not start:\n${stderr}`)), 20_000);
    child.stderr?.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
      const match = /serving MCP at (http:\/\/[^/\s]+)/.exec(stderr);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`serve exited with ${code} before listening:\n${stderr}`));
    });
  });
  return {
    child,
    url,
    stderr: () => stderr,
    exited,
    async stop(signal = "SIGTERM") {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}
