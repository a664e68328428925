// Runs the real kubectl against a kubeconfig written by the in-memory API server.
import { execFile } from "node:child_process";

export interface KubectlResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** `home` isolates kubectl's discovery and HTTP caches from other tests and from the user's. */
export function createKubectl(kubeconfigPath: string, home: string) {
  return function kubectl(args: string[], input?: string): Promise<KubectlResult> {
    return new Promise((resolve) => {
      const child = execFile(
        "kubectl",
        ["--kubeconfig", kubeconfigPath, ...args],
        { timeout: 30_000, env: { PATH: process.env.PATH ?? "", HOME: home } },
        (error, stdout, stderr) => {
          const code = error ? (typeof error.code === "number" ? error.code : 1) : 0;
          resolve({ code, stdout, stderr });
        },
      );
      if (input !== undefined) child.stdin?.end(input);
    });
  };
}

/** Splits kubectl's table output into rows of cells (columns are separated by 2+ spaces). */
export function tableRows(stdout: string): string[][] {
  return stdout
    .trimEnd()
    .split("\n")
    .map((line) => line.trim().split(/\s{2,}/));
}
