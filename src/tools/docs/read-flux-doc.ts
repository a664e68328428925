// read_flux_doc: pages through one document of the offline Flux documentation, from a line or from
// a heading, within a size budget.
import { z } from "zod";
import { defineTool, toolError } from "../tool.ts";

const DEFAULT_READ_LINES = 400;
const MAX_READ_LINES = 1000;
const MAX_READ_CHARS = 30_000;
const SUGGESTED_PATHS = 5;

export const readFluxDoc = defineTool({
  name: "read_flux_doc",
  title: "Read Flux documentation",
  area: "docs",
  description: "Reads a document that search_flux_docs found, from a line or a heading.",
  input: {
    path: z.string().min(1).max(300).describe("Path from search_flux_docs"),
    heading: z.string().max(200).optional().describe("Section heading or anchor"),
    offset: z.number().int().min(1).optional().describe("First line, 1-based"),
    limit: z
      .number()
      .int()
      .min(1)
      .max(MAX_READ_LINES)
      .optional()
      .describe(`Lines (default ${DEFAULT_READ_LINES})`),
  },
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  writes: false,
  usesCluster: true,
  readsSchemasOnly: true,
  async handler({ path, heading, offset, limit = DEFAULT_READ_LINES }, ctx) {
    // The docs code loads with the first docs call, not with the server.
    const { findSection, outline, sliceLines } = await import("../../docs/reading.ts");
    const view = await (await ctx.docs()).view(() => ctx.kube());
    const [documentPath = path, anchor] = path.split("#", 2);
    const doc = view.document(documentPath);
    if (!doc) {
      const closest = view.closest(documentPath, SUGGESTED_PATHS);
      const notes = view.notes.map((note) => `Note: ${note}`);
      return toolError(
        [`No document at path "${documentPath}". Closest: ${closest.join(", ")}`, ...notes].join("\n"),
      );
    }
    const headingWanted = heading ?? anchor;
    let first = offset ?? 1;
    let last = doc.lines.length;
    if (headingWanted) {
      const section = findSection(doc, headingWanted);
      if (!section) {
        return toolError(`No heading "${headingWanted}" in ${doc.path}. Headings:\n${outline(doc)}`);
      }
      first = section.startLine;
      last = section.end;
    }
    if (first > doc.lines.length) {
      return toolError(`${doc.path} has ${doc.lines.length} lines: offset ${first} is past its end`);
    }
    const slice = sliceLines(doc, first, last, limit, MAX_READ_CHARS);
    const ending = slice.next === undefined ? "End of document." : `Next: offset=${slice.next}`;
    return {
      text: [
        `Title: ${doc.title}`,
        `Path: ${doc.path}`,
        `Lines: ${slice.first}-${slice.last} of ${doc.lines.length}`,
        slice.text,
        ending,
      ].join("\n"),
    };
  },
});
