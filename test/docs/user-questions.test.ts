// Real questions of Flux users against the offline documentation, with no cluster at all: the
// share whose answering section ranks in the top three, and how large a default answer is.
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { encode } from "gpt-tokenizer";
import { createDocsLibrary, type DocsView } from "../../src/docs/library.ts";
import { createKubeProvider } from "../../src/kube/provider.ts";
import { connectTools, type ToolSession } from "../helpers/tool-session.ts";
import { USER_QUESTIONS } from "./user-questions.ts";

const TOP = 3;
const TARGET_HIT_RATE = 0.9;

/** A kubeconfig that does not exist, as on a laptop with no cluster configured. */
const NO_CLUSTER = { kubeconfigPath: "/nonexistent/flux-mcp/kubeconfig" };

const README = join(import.meta.dirname, "../../README.md");

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] ?? 0)
    : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

describe("questions Flux users asked, answered with no cluster", () => {
  let session: ToolSession;
  let view: DocsView;

  before(async () => {
    session = await connectTools(NO_CLUSTER);
    const provider = createKubeProvider({ kubeconfigPaths: [NO_CLUSTER.kubeconfigPath], readOnly: false });
    view = await createDocsLibrary().view(() => provider.forContext(undefined, new AbortController().signal));
    assert.match(view.notes.join("\n"), /not included: .*does not exist/);
  });
  after(() => session?.close());

  it("are at least sixty, each from an issue or discussion of a Flux project", () => {
    assert.ok(USER_QUESTIONS.length >= 60, `${USER_QUESTIONS.length} questions`);
    for (const { question, source } of USER_QUESTIONS) {
      assert.match(
        source,
        /^https:\/\/github\.com\/(fluxcd|controlplaneio-fluxcd)\/[\w.-]+\/(issues|pull|discussions)\/\d+$/,
        question,
      );
    }
  });

  it(`find the answering section in the top ${TOP} for at least ${TARGET_HIT_RATE * 100} %`, async (t) => {
    const misses: string[] = [];
    for (const { question, expect } of USER_QUESTIONS) {
      const found = view
        .search(question, { limit: TOP })
        .map((hit) => `${hit.doc.path}#${hit.section.anchor}`);
      if (!expect.some((section) => found.includes(section))) {
        misses.push(`"${question}": expected ${expect.join(" or ")}, got ${found.join(", ") || "nothing"}`);
      }
    }
    const rate = (USER_QUESTIONS.length - misses.length) / USER_QUESTIONS.length;
    t.diagnostic(
      `user questions: top-${TOP} hit rate ${(rate * 100).toFixed(1)} % (${USER_QUESTIONS.length - misses.length}/${USER_QUESTIONS.length})`,
    );
    for (const miss of misses) t.diagnostic(`miss: ${miss}`);
    assert.ok(rate >= TARGET_HIT_RATE, misses.join("\n"));
    const hits = USER_QUESTIONS.length - misses.length;
    assert.ok(
      (await readFile(README, "utf8")).includes(
        `top ${TOP} for ${(rate * 100).toFixed(1)} % of them (${hits}/${USER_QUESTIONS.length})`,
      ),
      `the README states the hit rate measured here: ${hits}/${USER_QUESTIONS.length}`,
    );
  });

  it("answer each with the default search, and report the answer size", async (t) => {
    const chars: number[] = [];
    const tokens: number[] = [];
    for (const { question } of USER_QUESTIONS) {
      const answer = await session.call("search_flux_docs", { query: question });
      assert.equal(answer.isError, false, `${question}: ${answer.text.slice(0, 200)}`);
      chars.push(answer.text.length);
      tokens.push(encode(answer.text).length);
    }
    t.diagnostic(
      `user questions: default answer median ${median(chars)} characters, ${median(tokens)} tokens (largest ${Math.max(...chars)} characters)`,
    );
    assert.ok(
      (await readFile(README, "utf8")).includes(
        `median ${median(chars)} characters, ${median(tokens)} tokens`,
      ),
      `the README states the answer size measured here: median ${median(chars)} characters, ${median(tokens)} tokens`,
    );
  });
});
