// Reading a document piece by piece: find a heading, cut a slice of lines within a size budget,
// and list the headings when asked for one that is not there.
import { slugify, type Doc, type DocSection } from "./markdown.ts";

export interface Slice {
  /** 1-based, inclusive. */
  first: number;
  last: number;
  text: string;
  /** Where to continue reading, when something is left. */
  next?: number;
}

/** The section a heading names: its anchor (with or without "#"), its text, or a unique part of it. */
export function findSection(doc: Doc, heading: string): DocSection | undefined {
  const wanted = heading.trim().replace(/^#+\s*/, "");
  const lower = wanted.toLowerCase();
  const slug = slugify(wanted);
  const named = doc.sections.filter((section) => section.level > 0);
  return (
    named.find((section) => section.anchor === lower || section.anchor === slug) ??
    named.find((section) => section.trail.at(-1)?.toLowerCase() === lower) ??
    named.find((section) => section.trail.at(-1)?.toLowerCase().includes(lower))
  );
}

/** Lines `first` to at most `last`, stopping early at `maxLines` or before `maxChars` characters. */
export function sliceLines(doc: Doc, first: number, last: number, maxLines: number, maxChars: number): Slice {
  const end = Math.min(last, doc.lines.length, first + maxLines - 1);
  const taken: string[] = [];
  let size = 0;
  for (let line = first; line <= end; line += 1) {
    const text = doc.lines[line - 1] ?? "";
    if (size + text.length + 1 > maxChars && taken.length > 0) break;
    // A single line over the budget is cut rather than skipped, so reading always advances.
    taken.push(text.length > maxChars ? `${text.slice(0, maxChars)} …` : text);
    size += text.length + 1;
  }
  const lastLine = first + taken.length - 1;
  return {
    first,
    last: lastLine,
    text: taken.join("\n"),
    ...(lastLine < doc.lines.length && { next: lastLine + 1 }),
  };
}

/** The headings of a document, indented by level, with the anchor and line of each. */
export function outline(doc: Doc): string {
  return doc.sections
    .filter((section) => section.level > 0)
    .map((section) => {
      const indent = "  ".repeat(Math.max(0, section.level - 2));
      return `${indent}- ${section.trail.at(-1)} (#${section.anchor}, line ${section.startLine})`;
    })
    .join("\n");
}
