// The Flux knowledge base shipped with the package: Markdown files under docs/knowledge, found
// next to the running code whether it runs from src/ or from the dist/ bundle.
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Doc } from "./markdown.ts";
import { readMarkdownTree } from "./markdown-files.ts";

const KNOWLEDGE_DIR = join("docs", "knowledge");

/** The package's docs/knowledge directory: the nearest one above this module. */
function knowledgeDirectory(): string {
  let directory = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(directory, KNOWLEDGE_DIR);
    if (existsSync(candidate)) return candidate;
    const parent = dirname(directory);
    if (parent === directory) throw new Error(`the package's ${KNOWLEDGE_DIR} directory is missing`);
    directory = parent;
  }
}

export function loadKnowledgeBase(directory = knowledgeDirectory()): Promise<Doc[]> {
  return readMarkdownTree(directory, "");
}
