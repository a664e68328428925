// search_flux_docs: full-text search over the offline Flux documentation, answered as sections
// (title with heading trail, path, line range, an excerpt) that read_flux_doc continues.
import { z } from "zod";
import type { sectionBody as SectionBody } from "../../docs/markdown.ts";
import type { SectionHit } from "../../docs/section-index.ts";
import { defineTool, toolError } from "../tool.ts";

const DEFAULT_SEARCH_LIMIT = 8;
const EXCERPT_CHARS = 2000;
/** `format: complete` shows whole sections, still within reason for a model's context. */
const COMPLETE_CHARS = 12_000;
const NEAREST_TOPICS = 3;
const SECTIONS =
  "concepts, kinds, fields (every spec field of each Flux kind), guides, reference, troubleshooting, operator, mcp";

export const searchFluxDocs = defineTool({
  name: "search_flux_docs",
  title: "Search Flux documentation",
  area: "docs",
  description:
    "Searches offline Flux docs (concepts, every kind's fields, guides, condition reasons, troubleshooting) and the cluster's CRD schemas. Use it rather than memory.",
  input: {
    query: z.string().min(2).max(200).describe("Words, an error, a reason or a field path"),
    path: z.string().max(300).optional().describe("Path prefix, e.g. kinds, guides, crd"),
    limit: z.number().int().min(1).max(20).optional().describe(`Sections (default ${DEFAULT_SEARCH_LIMIT})`),
    format: z.enum(["concise", "complete"]).optional().describe("Legacy: excerpts or whole sections"),
  },
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  writes: false,
  usesCluster: true,
  readsSchemasOnly: true,
  async handler({ query, path, limit = DEFAULT_SEARCH_LIMIT, format = "concise" }, ctx) {
    // The docs code loads with the first docs call, not with the server.
    const { sectionBody } = await import("../../docs/markdown.ts");
    const view = await (await ctx.docs()).view(() => ctx.kube());
    const hits = view.search(query, { ...(path !== undefined && { path }), limit });
    const notes = view.notes.map((note) => `Note: ${note}`);
    if (hits.length === 0) {
      const where = path === undefined ? "" : ` under path "${path}"`;
      const advice = path === undefined ? "try other words" : "try other words or drop path";
      const nearest = view.nearest(query, NEAREST_TOPICS);
      const suggestions =
        nearest.length > 0
          ? `Nearest topics: ${nearest.map((topic) => `${topic.title} (${topic.path})`).join("; ")}.`
          : `Sections: ${SECTIONS}.`;
      return toolError(
        [
          `Nothing in the Flux documentation matches "${query}"${where}: ${advice}.`,
          suggestions,
          ...notes,
        ].join("\n"),
      );
    }
    const maxChars = format === "complete" ? COMPLETE_CHARS : EXCERPT_CHARS;
    return {
      text: [...notes, ...hits.map((hit) => formatHit(hit, maxChars, sectionBody))].join("\n---\n") + "\n",
    };
  },
});

function formatHit({ doc, section }: SectionHit, maxChars: number, sectionBody: typeof SectionBody): string {
  const title = section.trail.length > 0 ? `${doc.title} — ${section.trail.join(" › ")}` : doc.title;
  const body = sectionBody(doc, section);
  const shown = excerpt(body.text, maxChars);
  const lines = [
    `Title: ${title}`,
    `Path: ${doc.path}`,
    `Lines: ${section.startLine}-${section.bodyEnd} of ${doc.lines.length}`,
    shown.text,
  ];
  if (shown.resumeAt !== undefined) {
    lines.push(`[more: read_flux_doc path="${doc.path}" offset=${body.firstLine + shown.resumeAt}]`);
  }
  return lines.join("\n");
}

/**
 * The whole lines that fit in `maxChars` (a first line longer than that is cut at a word), and the
 * index of the first line not shown in full.
 */
function excerpt(text: string, maxChars: number): { text: string; resumeAt?: number } {
  if (text.length <= maxChars) return { text };
  const lines = text.split("\n");
  const kept: string[] = [];
  let size = 0;
  for (const line of lines) {
    if (size + line.length > maxChars) break;
    kept.push(line);
    size += line.length + 1;
  }
  if (kept.length > 0) return { text: kept.join("\n"), resumeAt: kept.length };
  const cut = (lines[0] ?? "").slice(0, maxChars);
  return { text: `${cut.slice(0, Math.max(cut.lastIndexOf(" "), 1))} …`, resumeAt: 0 };
}
