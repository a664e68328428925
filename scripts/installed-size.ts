// Measures what `npm i -g` of the packed package puts on a disk: packs it (prepack builds it),
// installs the tarball into an empty prefix and counts the bytes of every file there (du -sb).
//
// Usage: node scripts/installed-size.ts [--prefix DIR] [--no-build]
//   --prefix DIR  install there and keep it (default: a temporary directory, removed afterwards)
//   --no-build    pack the dist/ that exists instead of building it again (for tests)
// Prints `installed size: BYTES bytes (N.N MB) in DIR`.
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";

const { values } = parseArgs({
  options: { prefix: { type: "string" }, "no-build": { type: "boolean", default: false } },
});
const work = mkdtempSync(join(tmpdir(), "flux-mcp-pack-"));
const prefix = values.prefix ?? join(work, "prefix");
// npm runs lifecycle scripts with the Node it finds first: this one (the project's).
const env = { ...process.env, PATH: `${join(process.execPath, "..")}:${process.env.PATH ?? ""}` };
const npm = (args: string[]) =>
  execFileSync("npm", args, { encoding: "utf8", env, stdio: ["ignore", "pipe", "pipe"] });

try {
  const packed = JSON.parse(
    npm(["pack", "--json", "--pack-destination", work, ...(values["no-build"] ? ["--ignore-scripts"] : [])]),
  ) as { filename: string }[];
  const tarball = join(work, packed[0]?.filename ?? "");
  npm(["install", "--global", "--prefix", prefix, "--no-audit", "--no-fund", tarball]);
  const bytes = Number(execFileSync("du", ["-sb", prefix], { encoding: "utf8" }).split("\t")[0]);
  console.log(`installed size: ${bytes} bytes (${(bytes / 1e6).toFixed(1)} MB) in ${prefix}`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
