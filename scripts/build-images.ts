// Builds both container images with podman from the Containerfile: the default one and the hardened
// read-only one, whose bundle (dist-readonly/) holds no write tool. Where no published base can be
// pulled (the default here), the base is made from Debian packages (scripts/container-base.sh) and
// Node comes from the project's own Node binary.
//
// Usage: node scripts/build-images.ts [--tag TAG] [--base IMAGE --node-image IMAGE] [--no-build]
//   --no-build  take the dist/ that exists (tests: other tests run from it meanwhile)
// Prints one line per image: its name and size in bytes.
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import packageJson from "../package.json" with { type: "json" };

const { values } = parseArgs({
  options: {
    tag: { type: "string", default: packageJson.version },
    base: { type: "string" },
    "node-image": { type: "string" },
    "no-build": { type: "boolean", default: false },
  },
});
const LOCAL_BASE = "localhost/flux-mcp-base:bookworm";
const LOCAL_NODE = `localhost/flux-mcp-node:${process.versions.node}`;
const IMAGE_REPOSITORY = "localhost/flux-mcp";

function run(command: string, args: string[]): string {
  return execFileSync(command, args, { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] });
}

function podman(...args: string[]): string {
  return run("podman", args);
}

/** A FROM-scratch image holding this Node binary at the path the official node images use. */
function makeNodeImage(): void {
  if (podmanImageExists(LOCAL_NODE)) return;
  const context = mkdtempSync(join(tmpdir(), "flux-mcp-node-"));
  try {
    copyFileSync(process.execPath, join(context, "node"));
    writeFileSync(join(context, "Containerfile"), "FROM scratch\nCOPY node /usr/local/bin/node\n");
    podman("build", "--quiet", "-t", LOCAL_NODE, context);
  } finally {
    rmSync(context, { recursive: true, force: true });
  }
}

function podmanImageExists(image: string): boolean {
  try {
    podman("image", "exists", image);
    return true;
  } catch {
    return false;
  }
}

const base = values.base ?? LOCAL_BASE;
const nodeImage = values["node-image"] ?? LOCAL_NODE;
if (values.base === undefined) run("scripts/container-base.sh", [LOCAL_BASE]);
if (values["node-image"] === undefined) makeNodeImage();

if (!values["no-build"]) run(process.execPath, ["scripts/build.ts"]);
run(process.execPath, ["scripts/build.ts", "--read-only", "--outdir", "dist-readonly"]);

const flavours = [
  { image: `${IMAGE_REPOSITORY}:${values.tag}`, dist: "dist" },
  { image: `${IMAGE_REPOSITORY}:${values.tag}-readonly`, dist: "dist-readonly" },
];
for (const { image, dist } of flavours) {
  podman(
    "build",
    "--quiet",
    "--build-arg",
    `BASE=${base}`,
    "--build-arg",
    `NODE_IMAGE=${nodeImage}`,
    "--build-arg",
    `DIST=${dist}`,
    "-t",
    image,
    "-f",
    "Containerfile",
    ".",
  );
  const size = podman("image", "inspect", "--format", "{{.Size}}", image).trim();
  console.log(`${image} ${size}`);
}
