// Reads a directory tree of Markdown files into documents whose paths are the files' relative paths
// (POSIX separators, without the .md extension) under a prefix.
import type { Dirent } from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import { join, relative, sep } from "node:path";
import { parseMarkdown, type Doc } from "./markdown.ts";

/** Bounds for a directory someone points us at: a docs tree, not a whole disk. */
const MAX_FILES = 5000;
const MAX_FILE_CHARS = 2_000_000;
const MARKDOWN = /\.(md|markdown|mdx)$/i;

export async function readMarkdownTree(root: string, prefix: string): Promise<Doc[]> {
  const files = (await markdownFiles(root)).sort().slice(0, MAX_FILES);
  const docs = await Promise.all(
    files.map(async (file) => {
      const text = await readFile(file, "utf8");
      if (text.length > MAX_FILE_CHARS) return undefined;
      const path = relative(root, file).split(sep).join("/").replace(MARKDOWN, "");
      return parseMarkdown(`${prefix}${path}`, text);
    }),
  );
  return docs.filter((doc) => doc !== undefined);
}

async function markdownFiles(directory: string): Promise<string[]> {
  const entries: Dirent[] = await readdir(directory, { withFileTypes: true });
  const nested = await Promise.all(
    entries
      .filter((entry) => !entry.name.startsWith(".") && entry.name !== "node_modules")
      .map(async (entry) => {
        const path = join(directory, entry.name);
        if (entry.isDirectory()) return markdownFiles(path);
        return entry.isFile() && MARKDOWN.test(entry.name) ? [path] : [];
      }),
  );
  return nested.flat();
}
