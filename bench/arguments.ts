// The command line of every bench script, parsed one way: `--help` prints the script's opening
// comment (its usage) and exits, and a mistyped option is one line that says so, not a stack trace.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parseArgs, type ParseArgsConfig } from "node:util";

type Options = NonNullable<ParseArgsConfig["options"]>;

export function benchArguments<const T extends Options>(scriptUrl: string, options: T) {
  return benchCommandLine(scriptUrl, options, false).values;
}

/** benchArguments for a script that also takes operands (files), which come back as `positionals`. */
export function benchCommandLine<const T extends Options>(
  scriptUrl: string,
  options: T,
  allowPositionals = true,
) {
  const script = fileURLToPath(scriptUrl);
  if (process.argv.slice(2).some((argument) => argument === "--help" || argument === "-h")) {
    process.stdout.write(`${usageOf(script)}\n`);
    process.exit(0);
  }
  try {
    return parseArgs({ options, allowPositionals });
  } catch (error) {
    process.stderr.write(`${script}: ${(error as Error).message} (--help shows the options)\n`);
    process.exit(2);
  }
}

/** The script's opening comment, without the comment marks. */
function usageOf(script: string): string {
  const lines = readFileSync(script, "utf8").split("\n");
  const end = lines.findIndex((line) => !line.startsWith("//"));
  return lines
    .slice(0, end === -1 ? lines.length : end)
    .map((line) => line.replace(/^\/\/ ?/, ""))
    .join("\n");
}
