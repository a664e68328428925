// search_flux_docs and read_flux_doc end to end: a real ToolContext over the in-memory API server
// serving the real Flux CRDs, and a --docs-dir of Markdown files.
import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { readFluxDoc } from "../../src/tools/docs/read-flux-doc.ts";
import { searchFluxDocs } from "../../src/tools/docs/search-flux-docs.ts";
import type { ToolContext } from "../../src/tools/tool.ts";
import { startTestApiServer, type TestApiServer } from "../helpers/apiserver.ts";
import { callTool, testToolContext } from "../helpers/tools.ts";

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
  let ctx: ToolContext;
  let docsDir: string;

  before(async () => {
    api = await startTestApiServer({ sources: [{ name: "staging", paths: ["test/data/flux-crds"] }] });
    docsDir = await mkdtemp(join(tmpdir(), "flux-docs-"));
    await writeFile(
      join(docsDir, "upgrade-notes.md"),
      "# Upgrade notes\n\n## Flux 2.9\n\nThe zebra controller moved to a new namespace.\n",
    );
    ctx = testToolContext(api, { docsDir });
  });
  after(async () => {
    await api.close();
    await rm(docsDir, { recursive: true, force: true });
  });

  describe("search_flux_docs", () => {
    it("answers with sections: title and heading trail, path, line range, content", async () => {
      const answer = await callTool(searchFluxDocs, { query: "dependency not ready", limit: 3 }, ctx);
      assert.equal(answer.isError, undefined);
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
      const answer = await callTool(
        searchFluxDocs,
        { query: "helmrelease upgrade remediation retries" },
        ctx,
      );
      assert.equal(results(answer.text).length, 8);
    });

    it("finds fields in the schemas of the cluster's CRDs", async () => {
      const answer = await callTool(
        searchFluxDocs,
        { query: "helmrelease spec.install.remediation.retries", limit: 1 },
        ctx,
      );
      const [hit] = results(answer.text);
      assert.equal(hit?.title, "HelmRelease v2 schema — spec.install.remediation");
      assert.equal(hit?.path, "crd/helmrelease/v2");
      assert.match(hit?.content ?? "", /^- retries \(integer\): /m);
    });

    it("cuts long sections at about 2000 characters and says where to read on", async () => {
      const answer = await callTool(
        searchFluxDocs,
        { query: "HelmReleaseSpec", path: "crd/helmrelease", limit: 1 },
        ctx,
      );
      const [hit] = results(answer.text);
      assert.ok(hit);
      assert.equal(hit.title, "HelmRelease v2 schema — spec");
      const hint = /\[more: read_flux_doc path="crd\/helmrelease\/v2" offset=(\d+)\]$/.exec(hit.content);
      assert.ok(hint?.[1], hit.content.slice(-200));
      assert.ok(hit.content.length <= 2000 + hint[0].length + 1);

      const next = await callTool(
        readFluxDoc,
        { path: "crd/helmrelease/v2", offset: Number(hint[1]), limit: 1 },
        ctx,
      );
      const shownLastLine = hit.content.split("\n").at(-2) ?? "";
      const doc = await callTool(readFluxDoc, { path: "crd/helmrelease/v2", offset: 1, limit: 1000 }, ctx);
      const lines = doc.text.split("\n");
      const continued = next.text.split("\n")[3] ?? "";
      assert.equal(
        lines[lines.indexOf(shownLastLine) + 1],
        continued,
        "reading on starts right after the excerpt",
      );

      const complete = await callTool(
        searchFluxDocs,
        { query: "HelmReleaseSpec", path: "crd/helmrelease", limit: 1, format: "complete" },
        ctx,
      );
      const [whole] = results(complete.text);
      assert.ok(whole && whole.content.length > 2000 && !whole.content.includes("[more:"));
    });

    it("keeps to a path prefix", async () => {
      const answer = await callTool(
        searchFluxDocs,
        { query: "remediation retries", path: "/kinds/", limit: 5 },
        ctx,
      );
      const paths = results(answer.text).map((hit) => hit.path);
      assert.ok(paths.length > 0);
      assert.ok(
        paths.every((path) => path.startsWith("kinds/")),
        paths.join(", "),
      );
    });

    it("searches the --docs-dir Markdown under local/", async () => {
      const answer = await callTool(searchFluxDocs, { query: "zebra controller", limit: 1 }, ctx);
      const [hit] = results(answer.text);
      assert.equal(hit?.title, "Upgrade notes — Flux 2.9");
      assert.equal(hit?.path, "local/upgrade-notes");
    });

    it("says so when nothing matches", async () => {
      const answer = await callTool(searchFluxDocs, { query: "xylophone quasar", path: "kinds" }, ctx);
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
        const answer = await callTool(searchFluxDocs, { query }, ctx);
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
      const crd = await callTool(
        searchFluxDocs,
        { query: "drift detection mode", path: "/docs/crd", limit: 3 },
        ctx,
      );
      const crdPaths = results(crd.text).map((hit) => hit.path);
      assert.ok(
        crdPaths.length > 0 && crdPaths.every((path) => /^(fields|kinds|crd)\//.test(path)),
        crdPaths.join(", "),
      );
      const kind = await callTool(
        searchFluxDocs,
        { query: "retries", path: "/docs/crd/helmrelease", limit: 3 },
        ctx,
      );
      const kindPaths = results(kind.text).map((hit) => hit.path);
      assert.ok(
        kindPaths.length > 0 &&
          kindPaths.every((path) => path.endsWith("helmrelease") || path.startsWith("crd/helmrelease/")),
        kindPaths.join(", "),
      );
      const sets = await callTool(
        searchFluxDocs,
        { query: "inputs", path: "/docs/resourcesets/", limit: 5 },
        ctx,
      );
      const setPaths = results(sets.text).map((hit) => hit.path);
      assert.ok(
        setPaths.length > 0 && setPaths.every((path) => /resourceset/.test(path)),
        setPaths.join(", "),
      );
      const mcp = await callTool(
        searchFluxDocs,
        { query: "read-only mode", path: "/docs/mcp", limit: 2 },
        ctx,
      );
      assert.ok(results(mcp.text).every((hit) => hit.path.startsWith("mcp/")));
    });

    it("still answers from the knowledge base without a cluster, noting what is missing", async () => {
      const offline = testToolContext(api, { context: "gone" });
      const answer = await callTool(searchFluxDocs, { query: "suspend a helmrelease", limit: 2 }, offline);
      assert.equal(answer.isError, undefined);
      assert.match(answer.text, /^Note: Flux CRD schemas of the cluster are not included: .*gone/);
      assert.match(answer.text, /^Title: .*Suspend and resume$/m);
    });

    it("keeps a standard answer compact", async () => {
      const answer = await callTool(searchFluxDocs, { query: "helm upgrade failed retries exhausted" }, ctx);
      assert.equal(results(answer.text).length, 8);
      assert.ok(answer.text.length < 12_000, `${answer.text.length} characters`);
    });
  });

  describe("read_flux_doc", () => {
    it("pages through a document", async () => {
      const first = await callTool(readFluxDoc, { path: "kinds/helmrelease", limit: 10 }, ctx);
      const [title, path, lines, ...rest] = first.text.split("\n");
      assert.deepEqual([title, path], ["Title: HelmRelease", "Path: kinds/helmrelease"]);
      const total = Number(/^Lines: 1-10 of (\d+)$/.exec(lines ?? "")?.[1]);
      assert.ok(total > 100);
      assert.equal(rest.length, 11);
      assert.equal(rest.at(-1), "Next: offset=11");

      const second = await callTool(readFluxDoc, { path: "kinds/helmrelease", offset: 11, limit: 10 }, ctx);
      assert.match(second.text, /^Lines: 11-20 of /m);
      assert.match(second.text, /Next: offset=21$/);

      const last = await callTool(readFluxDoc, { path: "kinds/helmrelease", offset: total - 2 }, ctx);
      assert.match(last.text, new RegExp(`^Lines: ${total - 2}-${total} of ${total}$`, "m"));
      assert.match(last.text, /End of document\.$/);
    });

    it("reads one section from its heading, by anchor or by text", async () => {
      const byAnchor = await callTool(
        readFluxDoc,
        { path: "kinds/helmrelease", heading: "#install-upgrade-and-remediation" },
        ctx,
      );
      assert.match(byAnchor.text, /^## Install, upgrade and remediation$/m);
      assert.doesNotMatch(byAnchor.text, /^## Tests$/m, "stops at the next section");
      const next = Number(/Next: offset=(\d+)$/.exec(byAnchor.text)?.[1]);
      const tests = await callTool(readFluxDoc, { path: "kinds/helmrelease", offset: next, limit: 1 }, ctx);
      assert.match(tests.text, /^## Tests$/m);

      const byText = await callTool(readFluxDoc, { path: "kinds/helmrelease#remediation" }, ctx);
      assert.equal(byText.text, byAnchor.text);
    });

    it("lists the headings when asked for one that is not there", async () => {
      const answer = await callTool(
        readFluxDoc,
        { path: "kinds/helmrelease", heading: "Quantum tunnelling" },
        ctx,
      );
      assert.equal(answer.isError, true);
      assert.match(answer.text, /^No heading "Quantum tunnelling" in kinds\/helmrelease\. Headings:$/m);
      assert.match(answer.text, /^- Values \(#values, line \d+\)$/m);
    });

    it("suggests the closest paths when the path is unknown", async () => {
      const answer = await callTool(readFluxDoc, { path: "kinds/helmrelese" }, ctx);
      assert.equal(answer.isError, true);
      assert.match(answer.text, /^No document at path "kinds\/helmrelese"\. Closest: kinds\/helmrelease, /);
    });

    it("refuses an offset past the end", async () => {
      const answer = await callTool(readFluxDoc, { path: "kinds/bucket", offset: 5000 }, ctx);
      assert.equal(answer.isError, true);
      assert.match(answer.text, /^kinds\/bucket has \d+ lines: offset 5000 is past its end$/);
    });

    it("keeps a read within about 30 KB", async () => {
      const answer = await callTool(readFluxDoc, { path: "crd/helmrelease/v2", limit: 1000 }, ctx);
      assert.ok(answer.text.length <= 30_000 + 200, `${answer.text.length} characters`);
      const [, from, to] = /^Lines: (\d+)-(\d+) of \d+$/m.exec(answer.text) ?? [];
      assert.equal(from, "1");
      assert.match(answer.text, new RegExp(`Next: offset=${Number(to) + 1}$`));
    });

    it("reads the --docs-dir documents", async () => {
      const answer = await callTool(readFluxDoc, { path: "local/upgrade-notes.md" }, ctx);
      assert.match(
        answer.text,
        /^Title: Upgrade notes\nPath: local\/upgrade-notes\nLines: 1-5 of 5\n# Upgrade notes/,
      );
      assert.match(answer.text, /End of document\.$/);
    });
  });
});
