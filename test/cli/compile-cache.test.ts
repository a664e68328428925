// Node's compile cache goes to the user's own cache directory, not to the temporary directory every
// user of the machine shares (where another could leave compiled code for this process to run);
// NODE_COMPILE_CACHE still chooses another place.
import assert from "node:assert/strict";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { runCli } from "../helpers/run-cli.ts";

describe("the compile cache", () => {
  let root: string;

  before(async () => {
    root = await mkdtemp(join(tmpdir(), "flux-mcp-compile-cache-"));
  });
  after(async () => {
    await rm(root, { recursive: true, force: true });
  });

  /** Runs `flux-mcp --help` with only these variables (and PATH) and a temporary directory of its own. */
  async function runWith(name: string, env: Record<string, string>): Promise<string> {
    const sharedTemp = join(root, name, "tmp");
    const result = await runCli(["--help"], {
      env: { PATH: process.env.PATH ?? "", TMPDIR: sharedTemp, ...env },
    });
    assert.equal(result.code, 0, result.stderr);
    return sharedTemp;
  }

  async function filesUnder(directory: string): Promise<string[]> {
    return readdir(directory, { recursive: true }).catch(() => []);
  }

  it("is kept under ~/.cache/flux-mcp, and nothing in the shared temporary directory", async () => {
    const home = join(root, "home");
    const sharedTemp = await runWith("home", { HOME: home });
    assert.ok((await filesUnder(join(home, ".cache", "flux-mcp"))).length > 0, "no compile cache written");
    assert.deepEqual(await filesUnder(sharedTemp), []);
  });

  it("is kept under $XDG_CACHE_HOME/flux-mcp when that is set", async () => {
    const cacheHome = join(root, "xdg");
    await runWith("xdg", { HOME: join(root, "xdg-home"), XDG_CACHE_HOME: cacheHome });
    assert.ok((await filesUnder(join(cacheHome, "flux-mcp"))).length > 0);
    assert.deepEqual(await filesUnder(join(root, "xdg-home")), []);
  });

  it("goes where NODE_COMPILE_CACHE says", async () => {
    const chosen = join(root, "chosen");
    await runWith("chosen", { HOME: join(root, "chosen-home"), NODE_COMPILE_CACHE: chosen });
    assert.ok((await filesUnder(chosen)).length > 0);
    assert.deepEqual(await filesUnder(join(root, "chosen-home")), []);
  });
});
