// A list longer than one API page: get_kubernetes_resources asks the API for 500 objects at a time,
// each page as soon as the one before names it, and answers every object once, in order.
import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { stringify } from "yaml";
import { startFluxClusterOf, startTestApiServer, type TestApiServer } from "../helpers/apiserver.ts";
import { connectTools, callOnce } from "../helpers/tool-session.ts";

const CONFIG_MAPS = 1234;
const NAMES = Array.from({ length: CONFIG_MAPS }, (_, index) => `settings-${String(index).padStart(4, "0")}`);

describe("get_kubernetes_resources on a list of many API pages", () => {
  let api: TestApiServer;
  let directory: string;

  before(async () => {
    directory = await mkdtemp(join(tmpdir(), "flux-mcp-long-list-"));
    const manifest = NAMES.map((name, index) =>
      stringify({
        apiVersion: "v1",
        kind: "ConfigMap",
        metadata: { name, namespace: `team-${index % 3}` },
        data: { index: String(index) },
      }),
    ).join("---\n");
    await writeFile(join(directory, "config-maps.yaml"), manifest);
    api = await startTestApiServer({ sources: [{ name: "bulk", paths: [directory] }], simulation: false });
  });
  after(async () => {
    await api?.close();
    await rm(directory, { recursive: true, force: true });
  });

  const listRequests = (since: number) =>
    api.server.requestLog
      .entries({ since, verb: "list" })
      .filter((entry) => entry.path.includes("/configmaps"));

  it("projects every object of a long list, asking the API for 500 at a time", async () => {
    const mark = api.server.requestLog.mark();
    const result = await callOnce(api, { context: "bulk" }, "get_kubernetes_resources", {
      kind: "ConfigMap",
      fields: [".data.index"],
      limit: 5000,
    });
    assert.notEqual(result.isError, true, result.text);
    const [title, header, ...rows] = result.text.trimEnd().split("\n");
    assert.match(title ?? "", new RegExp(`, ${CONFIG_MAPS} rows;`));
    assert.equal(header, "NAMESPACE\tNAME\tdata.index");
    const indexes = rows.map((row) => Number(row.split("\t")[2]));
    assert.equal(indexes.length, CONFIG_MAPS);
    assert.deepEqual(
      [...indexes].sort((a, b) => a - b),
      NAMES.map((_, index) => index),
      "each object once",
    );
    const requests = listRequests(mark);
    assert.equal(requests.length, 3, requests.map((entry) => entry.path).join("\n"));
    assert.ok(requests.every((entry) => entry.path.includes("limit=500")));
    assert.doesNotMatch(result.text, /call again with continue/, "nothing left over");
  });

  it("stops at the limit, across pages, with the token for the rest", async () => {
    const mark = api.server.requestLog.mark();
    const ctx = await connectTools(api, { context: "bulk" });
    const first = await ctx.call("get_kubernetes_resources", {
      kind: "ConfigMap",
      fields: [".data.index"],
      limit: 700,
    });
    assert.match(first.text, /, 700 rows;/);
    const more = /^# 700 shown, 534 more: call again with continue="([^"]+)"/m.exec(first.text);
    assert.ok(more, first.text);
    assert.deepEqual(
      listRequests(mark).map((entry) => /limit=(\d+)/.exec(entry.path)?.[1]),
      ["500", "200"],
      "the second page asks only for what is still wanted",
    );
    const rest = await ctx.call("get_kubernetes_resources", {
      kind: "ConfigMap",
      fields: [".data.index"],
      limit: 5000,
      continue: more[1],
    });
    assert.match(rest.text, /, 534 rows;/);
  });

  it("ends an answer where the response limit would, with the token for the rest, instead of being refused", async () => {
    const responseLimit = 16_000;
    const ctx = await connectTools(api, { context: "bulk", responseLimit });
    const mark = api.server.requestLog.mark();
    const seen: number[] = [];
    let token: string | undefined;
    let answers = 0;
    do {
      const result = await ctx.call("get_kubernetes_resources", {
        kind: "ConfigMap",
        fields: [".data.index"],
        limit: 5000,
        ...(token && { continue: token }),
      });
      answers++;
      assert.notEqual(result.isError, true, result.text);
      assert.ok(result.text.length <= responseLimit, `${result.text.length} characters`);
      const rows = result.text.split("\n").filter((line) => /^team-\d\t/.test(line));
      seen.push(...rows.map((row) => Number(row.split("\t")[2])));
      token = /continue="([^"]+)"/.exec(result.text)?.[1];
    } while (token && answers < 50);
    assert.ok(answers > 2, `${answers} answers`);
    assert.equal(seen.length, CONFIG_MAPS);
    assert.equal(new Set(seen).size, CONFIG_MAPS, "each object once");
    const asked = listRequests(mark).map((entry) => Number(/limit=(\d+)/.exec(entry.path)?.[1]));
    const total = asked.reduce((sum, limit) => sum + limit, 0);
    // Only the last request may ask past the end: no page is read ahead and then dropped for its size.
    assert.ok(total < CONFIG_MAPS + 500, `${total} objects asked for in ${asked.join(", ")}`);
  });

  it("cuts a default YAML page that would pass the response limit, with the token for the rest", async () => {
    const responseLimit = 6_000;
    const ctx = await connectTools(api, { context: "bulk", responseLimit });
    const seen: string[] = [];
    let token: string | undefined;
    let answers = 0;
    const mark = api.server.requestLog.mark();
    do {
      const result = await ctx.call("get_kubernetes_resources", {
        kind: "ConfigMap",
        ...(token && { continue: token }),
      });
      answers++;
      assert.notEqual(result.isError, true, result.text);
      assert.ok(result.text.length <= responseLimit, `${result.text.length} characters`);
      seen.push(
        ...[...result.text.matchAll(/^ {2}name: (settings-\d+)$/gm)].map((match) => match[1] as string),
      );
      token = /continue="([^"]+)"/.exec(result.text)?.[1];
    } while (token && answers < 200);
    assert.ok(answers > CONFIG_MAPS / 100, `${answers} answers: fewer objects than the default 100 each`);
    assert.equal(seen.length, CONFIG_MAPS);
    assert.equal(new Set(seen).size, CONFIG_MAPS, "each object once");
    // A cut page is listed again for its continue token only: metadata is all that needs.
    const requests = listRequests(mark);
    const pages = requests.filter((entry) => entry.path.includes("limit=100"));
    const cuts = requests.filter((entry) => !entry.path.includes("limit=100"));
    assert.ok(
      cuts.length > 0 && pages.every((entry) => !/PartialObjectMetadataList/.test(entry.accept ?? "")),
    );
    for (const cut of cuts) {
      assert.match(cut.accept ?? "", /^application\/json;as=PartialObjectMetadataList;g=meta\.k8s\.io;v=v1,/);
    }
  });
});

describe("get_kubernetes_resources on a list whose rows get shorter as it goes", () => {
  let api: TestApiServer;
  let directory: string;
  before(async () => {
    // The first API page's rows are the longest: the room they predict is filled in ever smaller
    // requests, each judged by the rows so far.
    directory = await mkdtemp(join(tmpdir(), "flux-mcp-shrinking-rows-"));
    const manifest = Array.from({ length: 1500 }, (_, index) =>
      stringify({
        apiVersion: "v1",
        kind: "ConfigMap",
        metadata: { name: `settings-${String(index).padStart(4, "0")}`, namespace: "apps" },
        data: { note: "x".repeat(index < 500 ? 40 : index < 1000 ? 24 : 20) },
      }),
    ).join("---\n");
    await writeFile(join(directory, "config-maps.yaml"), manifest);
    api = await startTestApiServer({
      sources: [{ name: "shrinking", paths: [directory] }],
      simulation: false,
    });
  });
  after(async () => {
    await api?.close();
    await rm(directory, { recursive: true, force: true });
  });

  it("sends no request for a sliver of the answer: the answer ends there, with the token past it", async () => {
    const ctx = await connectTools(api, { context: "shrinking", responseLimit: 40_000 });
    const mark = api.server.requestLog.mark();
    const first = await ctx.call("get_kubernetes_resources", {
      kind: "ConfigMap",
      namespace: "apps",
      fields: [".data.note"],
      limit: 5000,
    });
    const asked = api.server.requestLog
      .entries({ since: mark, verb: "list" })
      .map((entry) => Number(/limit=(\d+)/.exec(entry.path)?.[1]));
    assert.ok(asked.length > 1, asked.join(", "));
    const shown = Number(/, (\d+) rows;/.exec(first.text)?.[1]);
    assert.ok(
      asked.every((limit) => limit >= shown / 100),
      `a request for a few of ${shown} rows: ${asked.join(", ")}`,
    );
    const token = /continue="([^"]+)"/.exec(first.text)?.[1];
    assert.ok(token, first.text.slice(-300));
    const rest = await ctx.call("get_kubernetes_resources", {
      kind: "ConfigMap",
      namespace: "apps",
      fields: [".data.note"],
      limit: 5000,
      continue: token,
    });
    const names = [first, rest].flatMap((result) => [...result.text.matchAll(/^apps\t(settings-\d+)\t/gm)]);
    assert.ok(names.length > shown, "the second answer goes on");
    assert.equal(names[shown]?.[1], `settings-${String(shown).padStart(4, "0")}`, "none skipped");
  });
});

/** Namespaces prefix-00, prefix-01, …, each with a Kustomization of every name. */
function kustomizationsInNamespaces(prefix: string, count: number, names: string[]): object[] {
  return Array.from({ length: count }, (_, index) => {
    const namespace = `${prefix}-${String(index).padStart(2, "0")}`;
    return [
      { apiVersion: "v1", kind: "Namespace", metadata: { name: namespace } },
      ...names.map((name) => ({
        apiVersion: "kustomize.toolkit.fluxcd.io/v1",
        kind: "Kustomization",
        metadata: { name, namespace },
        spec: {
          interval: "10m",
          path: `./${name}`,
          prune: true,
          sourceRef: { kind: "GitRepository", name: "fleet" },
        },
      })),
    ];
  }).flat();
}

/** The default Kustomization page: its text, how many it shows, and the event lists it sent. */
async function defaultKustomizationPage(api: TestApiServer, context: string, responseLimit: number) {
  const ctx = await connectTools(api, { context, responseLimit });
  const mark = api.server.requestLog.mark();
  const result = await ctx.call("get_kubernetes_resources", {
    apiVersion: "kustomize.toolkit.fluxcd.io/v1",
    kind: "Kustomization",
  });
  assert.notEqual(result.isError, true, result.text);
  const eventLists = api.server.requestLog
    .entries({ since: mark, verb: "list" })
    .filter((entry) => entry.path.includes("/events"))
    .map((entry) => entry.path);
  return {
    text: result.text,
    shown: [...result.text.matchAll(/^ {2}namespace: [a-z]+-\d+$/gm)].length,
    eventLists,
  };
}

describe("get_kubernetes_resources on a default YAML page of Flux objects cut by the response limit", () => {
  const KUSTOMIZATIONS = 60;
  let api: TestApiServer;
  before(async () => {
    // One Kustomization a namespace, so every namespace's events are a request of their own.
    api = await startFluxClusterOf("spread", kustomizationsInNamespaces("tenant", KUSTOMIZATIONS, ["apps"]));
  });
  after(() => api?.close());

  it("reads the events of the objects that fit, not of the whole page", async () => {
    const { text, shown, eventLists } = await defaultKustomizationPage(api, "spread", 4_000);
    assert.ok(shown > 0 && shown < KUSTOMIZATIONS, `${shown} shown`);
    assert.match(text, /call again with continue="/);
    // The first documents' events, and no more than some to spare for the ones that still fit.
    assert.ok(eventLists.length < KUSTOMIZATIONS / 2, `${eventLists.length} event lists for ${shown} shown`);
  });
});

describe("get_kubernetes_resources reading extras in chunks of a page", () => {
  const NAMESPACES = 30;
  let api: TestApiServer;
  before(async () => {
    // Three Kustomizations a namespace: the first chunk of extras (20 objects) ends inside one.
    api = await startFluxClusterOf(
      "shared",
      kustomizationsInNamespaces("team", NAMESPACES, ["apps", "infra", "tenants"]),
    );
  });
  after(() => api?.close());

  it("lists a namespace's events once when two chunks share it", async () => {
    const { shown, eventLists } = await defaultKustomizationPage(api, "shared", 40_000);
    assert.ok(shown > 21, `${shown} shown: the page needs a second chunk of extras`);
    assert.deepEqual(eventLists, [...new Set(eventLists)], "an event list asked for twice");
  });
});
