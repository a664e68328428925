// Entry point of both bins: checks the Node.js version before loading anything that needs a newer
// one, so an old Node gets one clear line instead of a link error from deep in the bundle (which
// an MCP client shows as "connection closed"). Kept to syntax and built-ins every Node with ESM
// understands; the real command line loads only once the version is known to be good.
import { homedir } from "node:os";
import { basename, isAbsolute, join } from "node:path";
import packageJson from "../../package.json" with { type: "json" };

const required = minimumVersion(packageJson.engines.node);
const found = process.versions.node;

if (isOlder(found, required)) {
  // Run as a bin it is named after the bin; run as `node dist/cli.js`, after the reference.
  const bin = basename(process.argv[1] ?? "");
  const program = bin === "flux-mcp" ? bin : "flux-operator-mcp";
  process.stderr.write(
    `${program}: needs Node.js ${required.join(".")} or newer, found ${found}; ` +
      `install Node.js ${required[0]} LTS or newer (https://nodejs.org/en/download) ` +
      `or run the flux-operator-mcp container image instead (see the README)\n`,
  );
  process.exit(1);
}

// A server is spawned for every assistant session: Node's on-disk compile cache saves most of the
// time spent compiling the command's code again each time (it must be on before that code loads).
// Node's default place is the shared temporary directory, where another user of the machine could
// leave compiled code for this process to run; the user's own cache directory cannot be.
// NODE_COMPILE_CACHE still chooses another (the image sets its private /tmp).
const { enableCompileCache } = await import("node:module");
enableCompileCache(process.env.NODE_COMPILE_CACHE ? undefined : compileCacheDirectory());
await import("./run.ts");

/** $XDG_CACHE_HOME/flux-mcp (when absolute, as the XDG specification requires), else ~/.cache/flux-mcp. */
function compileCacheDirectory(): string {
  const cacheHome = process.env.XDG_CACHE_HOME;
  return join(cacheHome && isAbsolute(cacheHome) ? cacheHome : join(homedir(), ".cache"), "flux-mcp");
}

/** `>=22.18` as [22, 18, 0]: the first version the range names (a test keeps it of that form). */
function minimumVersion(range: string): number[] {
  const match = /(\d+)(?:\.(\d+))?(?:\.(\d+))?/.exec(range);
  return [Number(match?.[1] ?? 0), Number(match?.[2] ?? 0), Number(match?.[3] ?? 0)];
}

function isOlder(version: string, minimum: number[]): boolean {
  const parts = version.split(".").map(Number);
  for (let index = 0; index < minimum.length; index++) {
    const part = parts[index] ?? 0;
    const floor = minimum[index] ?? 0;
    if (part !== floor) return part < floor;
  }
  return false;
}
