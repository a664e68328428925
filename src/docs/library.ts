// The offline documentation behind search_flux_docs and read_flux_doc, from three sources: the
// knowledge base shipped with the package, the schemas of the Flux CRDs in the cluster of the call
// (cached per context), and Markdown files from --docs-dir. Nothing is read before the first use.
import { createHash } from "node:crypto";
import { KubeError, type Kube } from "../kube/types.ts";
import { createSchemaCache, DEFAULT_SCHEMA_TTL_MS, type SchemaCache } from "./cluster-schemas.ts";
import { closestPaths } from "./closest-paths.ts";
import { loadKnowledgeBase } from "./knowledge-base.ts";
import type { Doc } from "./markdown.ts";
import { readMarkdownTree } from "./markdown-files.ts";
import { createSectionIndex, type SectionHit } from "./section-index.ts";

export interface DocsLibraryOptions {
  /** A directory of Markdown files to search too (e.g. a copy of the Flux website docs). */
  docsDir?: string;
  /** Another knowledge base directory than the package's (tests). */
  knowledgeDir?: string;
  schemaTtlMs?: number;
  /**
   * How long a call waits for its cluster's CRD schemas before answering without them; the fetch
   * goes on and the next call gets them.
   */
  schemaWaitMs?: number;
}

const DEFAULT_SCHEMA_WAIT_MS = 5000;

/** The documents one call can see: the shared ones plus its cluster's CRD schemas. */
export interface DocsView {
  /** One line per source that could not be read, e.g. the cluster's schemas; empty when all were. */
  notes: string[];
  /** The sections that match the query well enough, best first; none when nothing does. */
  search(query: string, options: { path?: string; limit: number }): SectionHit[];
  /** Documents closest to a query that nothing matches well: what to suggest instead. */
  nearest(query: string, count: number): { path: string; title: string }[];
  document(path: string): Doc | undefined;
  /** Paths of this view closest to one that does not exist. */
  closest(path: string, count: number): string[];
}

export interface DocsLibrary {
  /** `kube` gives the call's cluster; when it fails with a KubeError, the view goes without schemas. */
  view(kube: () => Promise<Kube>): Promise<DocsView>;
}

/** Where documents from --docs-dir live, so they never collide with the knowledge base. */
const LOCAL_PREFIX = "local/";

export function createDocsLibrary(options: DocsLibraryOptions = {}): DocsLibrary {
  const index = createSectionIndex();
  const schemas: SchemaCache = createSchemaCache(options.schemaTtlMs ?? DEFAULT_SCHEMA_TTL_MS);
  /** Which contexts use each indexed schema document: it leaves the index when none does. */
  const schemaUsers = new Map<string, Set<string>>();
  const schemaKeysByContext = new Map<string, string[]>();
  let shared: Promise<{ docs: Doc[]; notes: string[] }> | undefined;

  function loadShared() {
    shared ??= (async () => {
      const notes: string[] = [];
      const docs = await loadKnowledgeBase(options.knowledgeDir);
      if (options.docsDir !== undefined) {
        try {
          docs.push(...(await readMarkdownTree(options.docsDir, LOCAL_PREFIX)));
        } catch (error) {
          notes.push(`--docs-dir ${options.docsDir} was not read: ${(error as Error).message}`);
        }
      }
      for (const doc of docs) index.add(doc.path, doc);
      return { docs, notes };
    })();
    return shared;
  }

  const schemaKeys = new WeakMap<Doc, string>();
  const waitedInVain = new WeakSet<Promise<Doc[]>>();

  /** The index key of a schema document: contexts serving the same schema share its sections. */
  function schemaKey(doc: Doc): string {
    let key = schemaKeys.get(doc);
    if (key === undefined) {
      key = `${doc.path}@${createHash("sha256").update(doc.lines.join("\n")).digest("hex")}`;
      schemaKeys.set(doc, key);
    }
    return key;
  }

  /** Indexes a context's schema documents and drops those no context uses any more; their keys. */
  function useSchemas(context: string, docs: Doc[]): string[] {
    const keys = docs.map((doc) => {
      const key = schemaKey(doc);
      index.add(key, doc);
      const users = schemaUsers.get(key) ?? new Set();
      users.add(context);
      schemaUsers.set(key, users);
      return key;
    });
    for (const old of schemaKeysByContext.get(context) ?? []) {
      if (keys.includes(old)) continue;
      const users = schemaUsers.get(old);
      users?.delete(context);
      if (users?.size === 0) {
        schemaUsers.delete(old);
        index.remove(old);
      }
    }
    schemaKeysByContext.set(context, keys);
    return keys;
  }

  async function clusterSchemas(
    kube: () => Promise<Kube>,
  ): Promise<{ docs: Doc[]; keys: string[]; note?: string }> {
    try {
      const cluster = await kube();
      const pending = schemas.docs(cluster);
      // A fetch one call already waited for in vain is not waited for again: the cluster is slow.
      const wait = waitedInVain.has(pending) ? 0 : (options.schemaWaitMs ?? DEFAULT_SCHEMA_WAIT_MS);
      const docs = await withinWait(pending, wait);
      if (docs === undefined) {
        waitedInVain.add(pending);
        return {
          docs: [],
          keys: [],
          note: "Flux CRD schemas of the cluster are still loading: ask again shortly",
        };
      }
      return { docs, keys: useSchemas(`${cluster.context}\u0000${cluster.identity}`, docs) };
    } catch (error) {
      if (!(error instanceof KubeError)) throw error;
      return {
        docs: [],
        keys: [],
        note: `Flux CRD schemas of the cluster are not included: ${error.message}`,
      };
    }
  }

  return {
    async view(kube) {
      const [base, cluster] = await Promise.all([loadShared(), clusterSchemas(kube)]);
      const docs = [...base.docs, ...cluster.docs];
      const byPath = new Map(docs.map((doc) => [doc.path.toLowerCase(), doc]));
      const visible = new Set([...base.docs.map((doc) => doc.path), ...cluster.keys]);
      return {
        notes: cluster.note ? [...base.notes, cluster.note] : base.notes,
        search(query, { path, limit }) {
          const prefixes = path === undefined ? [""] : sectionPrefixes(path);
          const hits = index.search(
            query,
            (key, doc) =>
              visible.has(key) && prefixes.some((prefix) => doc.path.toLowerCase().startsWith(prefix)),
            limit,
          );
          // A question rarely repeats in one section; its best match tells whether the docs cover it.
          return hits.some((hit) => hit.coverage >= MIN_COVERAGE) ? hits : [];
        },
        nearest(query, count) {
          const found = new Map<string, string>();
          for (const hit of index.search(query, (key) => visible.has(key), count * 4)) {
            if (found.size < count && !found.has(hit.doc.path)) found.set(hit.doc.path, hit.doc.title);
          }
          return [...found].map(([path, title]) => ({ path, title }));
        },
        document: (path) =>
          sectionPrefixes(path)
            .map((candidate) => byPath.get(candidate.replace(/\/$/, "")))
            .find((doc) => doc !== undefined),
        closest: (path, count) =>
          closestPaths(
            normalizePath(path),
            docs.map((doc) => doc.path),
            count,
          ),
      };
    },
  };
}

/** The value of `promise`, or undefined when it takes longer than `ms`. */
async function withinWait<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The best section must match at least this share of a query's words: below it, what the index
 * finds is noise (a question about bread or football shares a word with any large text), while a
 * long question in a user's own words still finds the section with its key words.
 */
const MIN_COVERAGE = 0.4;

/**
 * The path prefixes of the newer Go server's documentation (fluxoperator.dev) and the sections of
 * ours that hold the same topics, so a `path` written for it works here.
 */
const SECTION_ALIASES: Readonly<Record<string, readonly string[]>> = {
  "docs/crd": ["fields/", "kinds/", "crd/"],
  "docs/guides": ["guides/", "concepts/", "troubleshooting/", "operator/"],
  "docs/instance": [
    "kinds/fluxinstance",
    "fields/fluxinstance",
    "kinds/fluxreport",
    "fields/fluxreport",
    "operator/",
    "concepts/installation",
  ],
  "docs/resourcesets": ["kinds/resourceset", "fields/resourceset", "operator/resourceset-templates"],
  "docs/web-ui": ["guides/web-ui"],
  "docs/mcp": ["mcp/"],
  "docs/controllers": ["kinds/", "fields/", "concepts/"],
  "docs/charts": ["concepts/installation", "operator/overview", "guides/web-ui", "mcp/overview"],
  docs: [""],
};

/**
 * The lower-case path prefixes a `path` argument stands for: itself, or, for a prefix of the newer
 * reference (`/docs/crd/helmrelease`), each of our sections it maps to with the rest appended.
 */
function sectionPrefixes(path: string): string[] {
  const wanted = normalizePath(path).toLowerCase();
  for (const [alias, sections] of Object.entries(SECTION_ALIASES)) {
    if (wanted !== alias && !wanted.startsWith(`${alias}/`)) continue;
    const rest = wanted.slice(alias.length + 1);
    return sections.map((section) => (rest === "" ? section : joinPath(section, rest)));
  }
  return [wanted];
}

/** `kinds/` + `helmrelease` gives `kinds/helmrelease`; `kinds/fluxinstance` + `x` gives `kinds/fluxinstance/x`. */
function joinPath(section: string, rest: string): string {
  return section.endsWith("/") || section === "" ? `${section}${rest}` : `${section}/${rest}`;
}

/** Accepts the ways people write a path: leading slash, ./, trailing slash, a .md extension. */
function normalizePath(path: string): string {
  return path
    .trim()
    .replace(/^\.?\/+/, "")
    .replace(/\/+$/, "")
    .replace(/\.(md|markdown|mdx)$/i, "");
}
