// Entry point of the flux-mcp binary: picks the subcommand and turns usage errors into one line.
import { runApiServerCommand } from "./apiserver.ts";
import { UsageError } from "./usage-error.ts";
import packageJson from "../../package.json" with { type: "json" };

const HELP = `flux-mcp: a Model Context Protocol server for Kubernetes clusters run by Flux.

Usage:
  flux-mcp apiserver [--demo] [--load FILE|DIR]... [--kubeconfig FILE] [--port N]
                     run the in-memory Kubernetes API server in the foreground
  flux-mcp --version print the version
  flux-mcp --help    print this help

Run 'flux-mcp COMMAND --help' for the flags of a command.`;

type Command = (args: string[]) => Promise<void>;
const commands: Record<string, Command> = { apiserver: runApiServerCommand };

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
  const command = commands[first];
  if (!command) throw new UsageError(`unknown command "${first}"; run 'flux-mcp --help' for the list`);
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
