// The command line once the Node.js version is known to be good (see main.ts): finds the
// subcommand, wherever the flags are, and turns usage errors into one line.
import { basename } from "node:path";
import { commandIndex } from "./serve-flags.ts";
import { UsageError } from "./usage-error.ts";
import packageJson from "../../package.json" with { type: "json" };

// Named after the bin it was started as; `node dist/cli.js` is the reference's name.
const PROGRAM = basename(process.argv[1] ?? "") === "flux-mcp" ? "flux-mcp" : "flux-operator-mcp";

const HELP = `${PROGRAM}: a Model Context Protocol server for Kubernetes clusters run by Flux.
Drop-in for the reference flux-operator-mcp: same command, flags and tool names.

Usage:
  ${PROGRAM} serve [flags]    serve MCP to an AI assistant, over stdio (default) or HTTP
  ${PROGRAM} apiserver [flags]
                              run the in-memory Kubernetes API server in the foreground
  ${PROGRAM} graph [flags]    print a context's Flux dependency graph as Mermaid
  ${PROGRAM} snapshot -o FILE write a support bundle (serve it with serve --snapshot FILE)
  ${PROGRAM} --version        print the version
  ${PROGRAM} --help           print this help

The flags of serve may also come before it: '${PROGRAM} --read-only serve'.
Run '${PROGRAM} COMMAND --help' for the flags of a command.

Examples:
  ${PROGRAM} serve                                   stdio, the kubeconfig's current context
  ${PROGRAM} serve --read-only --kube-context prod   no tool that changes the cluster
  ${PROGRAM} serve --transport http --port 9090      Streamable HTTP at http://127.0.0.1:9090/mcp
  ${PROGRAM} serve --demo                            two demo clusters, no cluster needed`;

type Command = (args: string[]) => Promise<void>;
// Loaded on demand: `serve` must not pay for the in-memory API server's code, nor the reverse.
const commands: Record<string, () => Promise<Command>> = {
  serve: async () => (await import("./serve.ts")).runServeCommand,
  apiserver: async () => (await import("./apiserver.ts")).runApiServerCommand,
  graph: async () => (await import("./graph.ts")).runGraphCommand,
  snapshot: async () => (await import("./snapshot.ts")).runSnapshotCommand,
};

async function main(argv: string[]): Promise<void> {
  const index = commandIndex(argv);
  const name = argv[index];
  const before = index < 0 ? argv : argv.slice(0, index);
  if (name === undefined || name === "help") {
    if (before.length === 0 || before.some(isHelp) || name === "help") return console.log(HELP);
    if (before.some(isVersion)) return console.log(`${PROGRAM} version ${packageJson.version}`);
    throw new UsageError(`no command given; run '${PROGRAM} serve ${before.join(" ")}' to serve MCP`);
  }
  if (before.some(isVersion)) return console.log(`${PROGRAM} version ${packageJson.version}`);
  const load = commands[name];
  if (!load) throw new UsageError(`unknown command "${name}"; run '${PROGRAM} --help' for the list`);
  const command = await load();
  // Flags before the command are the command's own, as cobra's persistent flags are.
  await command([...before, ...argv.slice(index + 1)]);
}

function isHelp(arg: string): boolean {
  return arg === "--help" || arg === "-h";
}

function isVersion(arg: string): boolean {
  return arg === "--version" || arg === "-v";
}

main(process.argv.slice(2)).catch((error: unknown) => {
  if (error instanceof UsageError) {
    console.error(`flux-mcp: ${error.message}`);
    process.exit(2);
  }
  console.error(`flux-mcp: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
