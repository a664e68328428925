// The flags of `serve`, in Go's flag syntax as the reference (cobra, pflag) takes them: also before
// the subcommand (`flux-operator-mcp --read-only serve`), booleans as `--read-only=false`, and
// `-n=NAMESPACE`. Kept apart from serve.ts so the command line can find the subcommand among them
// without loading the server.
import type { ParseArgsOptionsConfig } from "node:util";
import { UsageError } from "./usage-error.ts";

export const SERVE_OPTIONS = {
  transport: { type: "string" },
  port: { type: "string" },
  host: { type: "string" },
  "allowed-host": { type: "string", multiple: true },
  "auth-token-file": { type: "string" },
  "read-only": { type: "boolean" },
  "mask-secrets": { type: "boolean" },
  kubeconfig: { type: "string" },
  "kube-context": { type: "string" },
  "kube-as": { type: "string" },
  "kube-as-group": { type: "string", multiple: true },
  "kube-as-uid": { type: "string" },
  "kube-token": { type: "string" },
  "kube-server": { type: "string" },
  "kube-tls-server-name": { type: "string" },
  "kube-client-certificate": { type: "string" },
  "kube-client-key": { type: "string" },
  "kube-certificate-authority": { type: "string" },
  "kube-insecure-skip-tls-verify": { type: "boolean" },
  namespace: { type: "string", short: "n" },
  timeout: { type: "string" },
  "max-sessions": { type: "string" },
  "session-idle-timeout": { type: "string" },
  "response-limit": { type: "string" },
  "tool-call-log-file": { type: "string" },
  "docs-dir": { type: "string" },
  demo: { type: "boolean" },
  snapshot: { type: "string" },
  help: { type: "boolean", short: "h" },
} as const satisfies ParseArgsOptionsConfig;

const TRUE_WORDS = ["true", "1", "t", "TRUE", "True", "T"];
const FALSE_WORDS = ["false", "0", "f", "FALSE", "False", "F"];

/**
 * Where the subcommand is among `args`: the first word that is neither a flag nor the value of a
 * flag that takes one. -1 when there is none.
 */
export function commandIndex(args: readonly string[]): number {
  for (let index = 0; index < args.length; index++) {
    const arg = args[index] as string;
    if (arg === "--") return index + 1 < args.length ? index + 1 : -1;
    if (!arg.startsWith("-") || arg === "-") return index;
    if (!arg.includes("=") && takesValue(arg)) index++;
  }
  return -1;
}

/** `--name VALUE`, `-n VALUE`: a string flag written without its value attached. */
function takesValue(arg: string): boolean {
  const options: ParseArgsOptionsConfig = SERVE_OPTIONS;
  if (arg.startsWith("--")) return options[arg.slice(2)]?.type === "string";
  if (arg.length !== 2) return false;
  return Object.values(options).some((option) => option.short === arg[1] && option.type === "string");
}

/** One argument in Go's syntax as parseArgs reads it: `--read-only=false` → `--no-read-only`. */
export function fromGoSyntax(arg: string, command: string): string[] {
  const short = /^-([a-z])=(.*)$/.exec(arg);
  if (short?.[1]) return [`-${short[1]}`, short[2] ?? ""];
  const match = /^--([a-z-]+)=(.*)$/.exec(arg);
  const name = match?.[1];
  if (name === undefined || SERVE_OPTIONS[name as keyof typeof SERVE_OPTIONS]?.type !== "boolean") {
    return [arg];
  }
  const value = match?.[2] ?? "";
  if (TRUE_WORDS.includes(value)) return [`--${name}`];
  if (FALSE_WORDS.includes(value)) return [`--no-${name}`];
  throw new UsageError(`${command}: invalid value "${value}" for --${name}: expected true or false`);
}
