// A Markdown document as the docs tools see it: its lines, title and heading sections with their
// line ranges. Headings inside fenced code blocks (YAML comments start with "#") are not headings.
import { parse as parseYaml } from "yaml";

export interface DocSection {
  /** Heading texts from the top of the document down to this section, the document title excluded. */
  trail: string[];
  /** GitHub-style anchor of the heading; "" for the text before the first heading. */
  anchor: string;
  /** Heading level (1–6); 0 for the text before the first heading. */
  level: number;
  /** 1-based line of the heading (or of the first line of the text before any heading). */
  startLine: number;
  /** Last line before the next heading of any level. */
  bodyEnd: number;
  /** Last line before the next heading of the same or a higher level: the section with its subsections. */
  end: number;
}

export interface Doc {
  /** Where read_flux_doc finds it, e.g. `kinds/helmrelease` or `crd/helmrelease/v2`. */
  path: string;
  title: string;
  /** Extra search words (front matter `keywords`), weighted like headings. */
  keywords: string;
  lines: string[];
  sections: DocSection[];
  /** Ranking weight: below 1 for documents that should only win when nothing else fits. */
  weight: number;
}

const FENCE = /^ {0,3}(`{3,}|~{3,})/;
const HEADING = /^ {0,3}(#{1,6})[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$/;

export function parseMarkdown(path: string, text: string, weight = 1): Doc {
  const lines = text.replace(/\r\n?/g, "\n").replace(/\n+$/, "").split("\n");
  const front = frontMatter(lines);
  const headings = findHeadings(lines, front.endLine + 1);
  let title = front.title;
  let contentStart = front.endLine + 1;
  const first = headings[0];
  // A single top heading names the document; several are sections of it.
  if (first?.level === 1 && !headings.slice(1).some((heading) => heading.level === 1)) {
    title ??= first.text;
    if (title === first.text) {
      headings.shift();
      contentStart = first.line + 1;
    }
  }
  return {
    path,
    title: title ?? path,
    keywords: front.keywords,
    lines,
    sections: buildSections(lines, headings, contentStart),
    weight,
  };
}

/** The body of a section: its lines after the heading, without leading and trailing blank lines. */
export function sectionBody(doc: Doc, section: DocSection): { text: string; firstLine: number } {
  let first = section.level === 0 ? section.startLine : section.startLine + 1;
  let last = section.bodyEnd;
  while (first <= last && isBlank(doc.lines[first - 1])) first += 1;
  while (last >= first && isBlank(doc.lines[last - 1])) last -= 1;
  return { text: doc.lines.slice(first - 1, last).join("\n"), firstLine: first };
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces as hyphens. */
export function slugify(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^\p{L}\p{N} _-]/gu, "")
    .trim()
    .replace(/ /g, "-");
}

interface Heading {
  level: number;
  text: string;
  line: number;
}

function frontMatter(lines: string[]): { title?: string; keywords: string; endLine: number } {
  if (lines[0] !== "---") return { keywords: "", endLine: 0 };
  const close = lines.indexOf("---", 1);
  if (close < 0) return { keywords: "", endLine: 0 };
  let data: unknown;
  try {
    data = parseYaml(lines.slice(1, close).join("\n"));
  } catch {
    data = undefined;
  }
  const fields = data && typeof data === "object" ? (data as Record<string, unknown>) : {};
  const keywords = Array.isArray(fields.keywords)
    ? fields.keywords.join(" ")
    : typeof fields.keywords === "string"
      ? fields.keywords
      : "";
  return {
    ...(typeof fields.title === "string" && { title: fields.title }),
    keywords,
    endLine: close + 1,
  };
}

function findHeadings(lines: string[], fromLine: number): Heading[] {
  const headings: Heading[] = [];
  let fence: string | undefined;
  for (let index = fromLine - 1; index < lines.length; index += 1) {
    const line = lines[index] ?? "";
    const fenceMatch = FENCE.exec(line);
    if (fenceMatch?.[1]) {
      const marker = fenceMatch[1];
      if (fence === undefined) fence = marker;
      else if (marker[0] === fence[0] && marker.length >= fence.length) fence = undefined;
      continue;
    }
    if (fence !== undefined) continue;
    const match = HEADING.exec(line);
    if (match?.[1] && match[2]) {
      headings.push({ level: match[1].length, text: plainText(match[2]), line: index + 1 });
    }
  }
  return headings;
}

function buildSections(lines: string[], headings: Heading[], contentStart: number): DocSection[] {
  const sections: DocSection[] = [];
  const firstHeadingLine = headings[0]?.line ?? lines.length + 1;
  const hasIntro = lines.slice(contentStart - 1, firstHeadingLine - 1).some((line) => !isBlank(line));
  if (hasIntro) {
    const end = firstHeadingLine - 1;
    sections.push({ trail: [], anchor: "", level: 0, startLine: contentStart, bodyEnd: end, end });
  }
  const used = new Map<string, number>();
  const open: Heading[] = [];
  headings.forEach((heading, index) => {
    while (open.length > 0 && (open.at(-1)?.level ?? 0) >= heading.level) open.pop();
    open.push(heading);
    const next = headings[index + 1];
    const closing = headings.slice(index + 1).find((later) => later.level <= heading.level);
    const slug = slugify(heading.text);
    const seen = used.get(slug) ?? 0;
    used.set(slug, seen + 1);
    sections.push({
      trail: open.map((entry) => entry.text),
      anchor: seen === 0 ? slug : `${slug}-${seen}`,
      level: heading.level,
      startLine: heading.line,
      bodyEnd: (next?.line ?? lines.length + 1) - 1,
      end: (closing?.line ?? lines.length + 1) - 1,
    });
  });
  return sections;
}

/** Heading text without inline Markdown: code ticks, emphasis and link targets. */
function plainText(markdown: string): string {
  return markdown
    .replace(/\[([^\]]*)\]\([^)]*\)/g, "$1")
    .replace(/[`*]/g, "")
    .trim();
}

function isBlank(line: string | undefined): boolean {
  return line === undefined || line.trim() === "";
}
