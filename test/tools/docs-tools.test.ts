// search_flux_docs and read_flux_doc end to end: a real ToolSession over the in-memory API server
// serving the real Flux CRDs, and a --docs-dir of Markdown files.
import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { startTestApiServer, type TestApiServer } from "../helpers/apiserver.ts";
import { connectTools, type ToolSession } from "../helpers/tool-session.ts";

/** Splits a search answer into its results. */
function results(text: string): { title: string; path: string; lines: string; content: string }[] {
  return text
    .trimEnd()
    .split("\n---\n")
    .map((block) => {
      const [title = "", path = "", lines = "", ...content] = block.split("\n");
      return {
        title: title.replace(/^Title: /, ""),
        path: path.replace(/^Path: /, ""),
        lines: lines.replace(/^Lines: /, ""),
        content: content.join("\n"),
      };
    });
}

describe("docs tools", () => {
  let api: TestApiServer;
  let ctx: ToolSession;
  let docsDir: string;

  before(async () => {
    api = await startTestApiServer({ sources: [{ name: "staging", paths: ["test/data/flux-crds"] }] });
    docsDir = await mkdtemp(join(tmpdir(), "flux-docs-"));
    await writeFile(
      join(docsDir, "upgrade-notes.md"),
      "# Upgrade notes\n\n## Flux 2.9\n\nThe zebra controller moved to a new namespace.\n",
    );
    ctx = await connectTools(api, { docsDir });
  });
  after(async () => {
    await api.close();
    await rm(docsDir, { recursive: true, force: true });
  });

  describe("search_flux_docs", () => {
    it("answers with sections: title and heading trail, path, line range, content", async () => {
      const answer = await ctx.call("search_flux_docs", { query: "dependency not ready", limit: 3 });
      assert.equal(answer.isError, false);
      const found = results(answer.text);
      assert.equal(found.length, 3);
      const first = found[0];
      assert.ok(first);
      assert.equal(first.title, "Condition reasons — DependencyNotReady");
      assert.equal(first.path, "reference/reasons");
      assert.match(first.lines, /^\d+-\d+ of \d+$/);
      assert.match(first.content, /^Seen on: Kustomization, HelmRelease/);
    });

    it("returns eight sections by default, as documented", async () => {
      const answer = await ctx.call("search_flux_docs", { query: "helmrelease upgrade remediation retries" });
      assert.equal(results(answer.text).length, 8);
    });

    it("finds fields in the schemas of the cluster's CRDs", async () => {
      const answer = await ctx.call("search_flux_docs", {
        query: "helmrelease spec.install.remediation.retries",
        limit: 1,
      });
      const [hit] = results(answer.text);
      assert.equal(hit?.title, "HelmRelease v2 schema — spec.install.remediation");
      assert.equal(hit?.path, "crd/helmrelease/v2");
      assert.match(hit?.content ?? "", /^- retries \(integer\): /m);
    });

    it("cuts long sections at about 2000 characters and says where to read on", async () => {
      const answer = await ctx.call("search_flux_docs", {
        query: "HelmReleaseSpec",
        path: "crd/helmrelease",
        limit: 1,
      });
      const [hit] = results(answer.text);
      assert.ok(hit);
      assert.equal(hit.title, "HelmRelease v2 schema — spec");
      const hint = /\[more: read_flux_doc path="crd\/helmrelease\/v2" offset=(\d+)\]$/.exec(hit.content);
      assert.ok(hint?.[1], hit.content.slice(-200));
      assert.ok(hit.content.length <= 2000 + hint[0].length + 1);

      const next = await ctx.call("read_flux_doc", {
        path: "crd/helmrelease/v2",
        offset: Number(hint[1]),
        limit: 1,
      });
      const shownLastLine = hit.content.split("\n").at(-2) ?? "";
      const doc = await ctx.call("read_flux_doc", { path: "crd/helmrelease/v2", offset: 1, limit: 1000 });
      const lines = doc.text.split("\n");
      const continued = next.text.split("\n")[3] ?? "";
      assert.equal(
        lines[lines.indexOf(shownLastLine) + 1],
        continued,
        "reading on starts right after the excerpt",
      );

      const complete = await ctx.call("search_flux_docs", {
        query: "HelmReleaseSpec",
        path: "crd/helmrelease",
        limit: 1,
        format: "complete",
      });
      const [whole] = results(complete.text);
      assert.ok(whole && whole.content.length > 2000 && !whole.content.includes("[more:"));
    });

    it("keeps to a path prefix", async () => {
      const answer = await ctx.call("search_flux_docs", {
        query: "remediation retries",
        path: "/kinds/",
        limit: 5,
      });
      const paths = results(answer.text).map((hit) => hit.path);
      assert.ok(paths.length > 0);
      assert.ok(
        paths.every((path) => path.startsWith("kinds/")),
        paths.join(", "),
      );
    });

    it("searches the --docs-dir Markdown under local/", async () => {
      const answer = await ctx.call("search_flux_docs", { query: "zebra controller", limit: 1 });
      const [hit] = results(answer.text);
      assert.equal(hit?.title, "Upgrade notes — Flux 2.9");
      assert.equal(hit?.path, "local/upgrade-notes");
    });

    it("says so when nothing matches", async () => {
      const answer = await ctx.call("search_flux_docs", { query: "xylophone quasar", path: "kinds" });
      assert.equal(answer.isError, true);
      assert.equal(
        answer.text,
        [
          'Nothing in the Flux documentation matches "xylophone quasar" under path "kinds": try other words or drop path.',
          "Sections: concepts, kinds, fields (every spec field of each Flux kind), guides, reference, troubleshooting, operator, mcp.",
        ].join("\n"),
      );
    });

    for (const query of [
      "sourdough bread recipe",
      "who won the world cup in 2022",
      "python list comprehension",
      "best pizza in naples",
    ]) {
      it(`says that nothing matches an off-topic question, and names the nearest topics: ${query}`, async () => {
        const answer = await ctx.call("search_flux_docs", { query });
        assert.equal(answer.isError, true);
        assert.match(
          answer.text,
          new RegExp(`^Nothing in the Flux documentation matches "${query}": try other words\\.$`, "m"),
        );
        assert.match(answer.text, /^Nearest topics: [^\n]+ \([a-z-]+\/[^)]+\)/m);
        assert.doesNotMatch(answer.text, /^Title: /m, "no sections listed");
      });
    }

    it("takes the newer reference's /docs/... path prefixes as aliases of its sections", async () => {
      const crd = await ctx.call("search_flux_docs", {
        query: "drift detection mode",
        path: "/docs/crd",
        limit: 3,
      });
      const crdPaths = results(crd.text).map((hit) => hit.path);
      assert.ok(
        crdPaths.length > 0 && crdPaths.every((path) => /^(fields|kinds|crd)\//.test(path)),
        crdPaths.join(", "),
      );
      const kind = await ctx.call("search_flux_docs", {
        query: "retries",
        path: "/docs/crd/helmrelease",
        limit: 3,
      });
      const kindPaths = results(kind.text).map((hit) => hit.path);
      assert.ok(
        kindPaths.length > 0 &&
          kindPaths.every((path) => path.endsWith("helmrelease") || path.startsWith("crd/helmrelease/")),
        kindPaths.join(", "),
      );
      const sets = await ctx.call("search_flux_docs", {
        query: "inputs",
        path: "/docs/resourcesets/",
        limit: 5,
      });
      const setPaths = results(sets.text).map((hit) => hit.path);
      assert.ok(
        setPaths.length > 0 && setPaths.every((path) => /resourceset/.test(path)),
        setPaths.join(", "),
      );
      const mcp = await ctx.call("search_flux_docs", {
        query: "read-only mode",
        path: "/docs/mcp",
        limit: 2,
      });
      assert.ok(results(mcp.text).every((hit) => hit.path.startsWith("mcp/")));
    });

    it("still answers from the knowledge base without a cluster, noting what is missing", async () => {
      const offline = await connectTools(api, { context: "gone" });
      const answer = await offline.call("search_flux_docs", { query: "suspend a helmrelease", limit: 2 });
      assert.equal(answer.isError, false);
      assert.match(answer.text, /^Note: Flux CRD schemas of the cluster are not included: .*gone/);
      assert.match(answer.text, /^Title: .*Suspend and resume$/m);
    });

    it("keeps a standard answer compact", async () => {
      const answer = await ctx.call("search_flux_docs", { query: "helm upgrade failed retries exhausted" });
      assert.equal(results(answer.text).length, 8);
      assert.ok(answer.text.length < 12_000, `${answer.text.length} characters`);
    });
  });

  describe("read_flux_doc", () => {
    it("pages through a document", async () => {
      const first = await ctx.call("read_flux_doc", { path: "kinds/helmrelease", limit: 10 });
      const [title, path, lines, ...rest] = first.text.split("\n");
      assert.deepEqual([title, path], ["Title: HelmRelease", "Path: kinds/helmrelease"]);
      const total = Number(/^Lines: 1-10 of (\d+)$/.exec(lines ?? "")?.[1]);
      assert.ok(total > 100);
      assert.equal(rest.length, 11);
      assert.equal(rest.at(-1), "Next: offset=11");

      const second = await ctx.call("read_flux_doc", { path: "kinds/helmrelease", offset: 11, limit: 10 });
      assert.match(second.text, /^Lines: 11-20 of /m);
      assert.match(second.text, /Next: offset=21$/);

      const last = await ctx.call("read_flux_doc", { path: "kinds/helmrelease", offset: total - 2 });
      assert.match(last.text, new RegExp(`^Lines: ${total - 2}-${total} of ${total}$`, "m"));
      assert.match(last.text, /End of document\.$/);
    });

    it("reads one section from its heading, by anchor or by text", async () => {
      const byAnchor = await ctx.call("read_flux_doc", {
        path: "kinds/helmrelease",
        heading: "#install-upgrade-and-remediation",
      });
      assert.match(byAnchor.text, /^## Install, upgrade and remediation$/m);
      assert.doesNotMatch(byAnchor.text, /^## Tests$/m, "stops at the next section");
      const next = Number(/Next: offset=(\d+)$/.exec(byAnchor.text)?.[1]);
      const tests = await ctx.call("read_flux_doc", { path: "kinds/helmrelease", offset: next, limit: 1 });
      assert.match(tests.text, /^## Tests$/m);

      const byText = await ctx.call("read_flux_doc", { path: "kinds/helmrelease#remediation" });
      assert.equal(byText.text, byAnchor.text);
    });

    it("lists the headings when asked for one that is not there", async () => {
      const answer = await ctx.call("read_flux_doc", {
        path: "kinds/helmrelease",
        heading: "Quantum tunnelling",
      });
      assert.equal(answer.isError, true);
      assert.match(answer.text, /^No heading "Quantum tunnelling" in kinds\/helmrelease\. Headings:$/m);
      assert.match(answer.text, /^- Values \(#values, line \d+\)$/m);
    });

    it("suggests the closest paths when the path is unknown", async () => {
      const answer = await ctx.call("read_flux_doc", { path: "kinds/helmrelese" });
      assert.equal(answer.isError, true);
      assert.match(answer.text, /^No document at path "kinds\/helmrelese"\. Closest: kinds\/helmrelease, /);
    });

    it("refuses an offset past the end", async () => {
      const answer = await ctx.call("read_flux_doc", { path: "kinds/bucket", offset: 5000 });
      assert.equal(answer.isError, true);
      assert.match(answer.text, /^kinds\/bucket has \d+ lines: offset 5000 is past its end$/);
    });

    it("keeps a read within about 30 KB", async () => {
      const answer = await ctx.call("read_flux_doc", { path: "crd/helmrelease/v2", limit: 1000 });
      assert.ok(answer.text.length <= 30_000 + 200, `${answer.text.length} characters`);
      const [, from, to] = /^Lines: (\d+)-(\d+) of \d+$/m.exec(answer.text) ?? [];
      assert.equal(from, "1");
      assert.match(answer.text, new RegExp(`Next: offset=${Number(to) + 1}$`));
    });

    it("reads the --docs-dir documents", async () => {
      const answer = await ctx.call("read_flux_doc", { path: "local/upgrade-notes.md" });
      assert.match(
        answer.text,
        /^Title: Upgrade notes\nPath: local\/upgrade-notes\nLines: 1-5 of 5\n# Upgrade notes/,
      );
      assert.match(answer.text, /End of document\.$/);
    });
  });
});
