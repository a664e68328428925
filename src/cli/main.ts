// Entry point of the flux-mcp binary: picks the subcommand and turns usage errors into one line.
import { enableCompileCache } from "node:module";
import { UsageError } from "./usage-error.ts";
import packageJson from "../../package.json" with { type: "json" };

const HELP = `flux-mcp: a Model Context Protocol server for Kubernetes clusters run by Flux.

Usage:
  flux-mcp serve [--transport stdio|sse|http] [--read-only] [--demo] ...
                     serve MCP to an AI assistant (stdio by default)
  flux-mcp apiserver [--demo] [--load FILE|DIR]... [--kubeconfig FILE] [--port N]
                     run the in-memory Kubernetes API server in the foreground
  flux-mcp --version print the version
  flux-mcp --help    print this help

Run 'flux-mcp COMMAND --help' for the flags of a command.`;

// A server is spawned for every assistant session: Node's on-disk compile cache saves most of the
// time spent compiling the command's code again each time (it must be on before that code loads).
enableCompileCache();

type Command = (args: string[]) => Promise<void>;
// Loaded on demand: `serve` must not pay for the in-memory API server's code, nor the reverse.
const commands: Record<string, () => Promise<Command>> = {
  serve: async () => (await import("./serve.ts")).runServeCommand,
  apiserver: async () => (await import("./apiserver.ts")).runApiServerCommand,
};

async function main(argv: string[]): Promise<void> {
  const [first, ...rest] = argv;
  if (first === undefined || first === "--help" || first === "-h" || first === "help") {
    console.log(HELP);
    return;
  }
  if (first === "--version" || first === "-v") {
    console.log(packageJson.version);
    return;
  }
  const load = commands[first];
  if (!load) throw new UsageError(`unknown command "${first}"; run 'flux-mcp --help' for the list`);
  const command = await load();
  await command(rest);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  if (error instanceof UsageError) {
    console.error(`flux-mcp: ${error.message}`);
    process.exit(2);
  }
  console.error(`flux-mcp: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
