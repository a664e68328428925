// The README's figures for the offline knowledge base: how many documents, how much Markdown, and
// about how much of the package it takes compressed.
import assert from "node:assert/strict";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { test } from "node:test";
import { gzipSync } from "node:zlib";

const ROOT = join(import.meta.dirname, "../..");
const KNOWLEDGE = join(ROOT, "docs/knowledge");

test("the README states the knowledge base's documents, size and compressed size", async () => {
  const readme = await readFile(join(ROOT, "README.md"), "utf8");
  const stated = /`docs\/knowledge`: (\d+) documents, (\d+) KB of Markdown, about (\d+) KB compressed/.exec(
    readme,
  );
  assert.ok(stated, "the README states the knowledge base's size");
  const files = (await readdir(KNOWLEDGE, { recursive: true })).filter((file) => file.endsWith(".md")).sort();
  const markdown = Buffer.concat(await Promise.all(files.map((file) => readFile(join(KNOWLEDGE, file)))));
  assert.equal(Number(stated[1]), files.length, "documents");
  assert.equal(Number(stated[2]), Math.round(markdown.length / 1000), "KB of Markdown");
  // The package's tarball compresses the documents with their tar headers; the documents alone,
  // gzipped, come within a tenth of it.
  const compressed = gzipSync(markdown, { level: 9 }).length / 1000;
  assert.ok(
    Math.abs(compressed - Number(stated[3])) <= Number(stated[3]) / 10,
    `about ${stated[3]} KB compressed; gzipped alone ${compressed.toFixed(1)} KB`,
  );
});
