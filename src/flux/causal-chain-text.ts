// A ranked causal chain as a model reads it: a one-paragraph conclusion, the causes with their
// evidence (conditions, events, Helm history, source artifact, workloads with pods and log
// excerpts), the consequences with what explains each, and the links found fine. Detail is given up
// level by level (the links found fine first, then consequences' evidence, then causes' events) to
// stay within a token budget.
import type { ChainLink, Edge, RankedChain } from "./causal-chain.ts";
import { fluxManagersOf, describeManager } from "./managed-by.ts";
import { ELLIPSIS, oneLine, SHORTENED_NOTE, shortenDigests } from "./messages.ts";
import type { PodTrouble } from "./workload-health.ts";
import { formatAge } from "../format/durations.ts";
import { yamlDocuments } from "../format/objects.ts";
import { compactLogLines } from "../format/log-lines.ts";
import { problemText, revisionFields, statusText } from "./status.ts";
import { fitToBudget } from "../format/token-budget.ts";

const DETAIL_LEVELS = 4;
const MESSAGE_CHARS = [240, 400, 600, 800];
const EVENTS_PER_CAUSE = [0, 2, 4, 5];
const EVENTS_PER_CONSEQUENCE = [0, 0, 0, 2];
const HELM_HISTORY = [1, 2, 3, 3];
/** Causes shown with evidence; the others in one line each. */
const DETAILED_CAUSES = [3, 5, 8, 8];

export interface ChainAnswerInput {
  context: string;
  /** What was analyzed: an object's id, or a sentence for a context-wide run. */
  analyzed: string;
  chain: RankedChain;
  /** Event lines per link id, oldest first. */
  events: ReadonlyMap<string, string[]>;
  notes: string[];
  now: number;
  maxTokens: number;
}

export function renderChainAnswer(input: ChainAnswerInput): string {
  return fitToBudget((level) => yamlDocuments([chainAnswer(input, level)]), DETAIL_LEVELS, input.maxTokens);
}

function chainAnswer(input: ChainAnswerInput, level: number): Record<string, unknown> {
  const { chain } = input;
  const leadsTo = consequencesByCause(chain);
  const detailed = chain.causes.slice(0, DETAILED_CAUSES[level]);
  const briefly = chain.causes.slice(detailed.length);
  const notes = [...input.notes];
  if (chain.truncated)
    notes.push("the chain has more links than one answer reads; analyze a named object for the rest");
  const answer = {
    context: input.context,
    analyzed: input.analyzed,
    conclusion: conclusion(chain, leadsTo, input.now),
    ...(detailed.length > 0 && {
      causes: [
        ...detailed.map((link) => causeEntry(link, leadsTo.get(link.id) ?? [], input, level)),
        ...briefly.map((link) => `${link.id}: ${linkStatus(link, input.now)}`),
      ],
    }),
    ...(chain.consequences.length > 0 && {
      consequences: chain.consequences.map(({ link, because }) =>
        consequenceEntry(link, because, input, level),
      ),
    }),
    ...checkedLinks(chain, detailed, level, input.now),
  };
  if (JSON.stringify(answer).includes(ELLIPSIS)) notes.push(SHORTENED_NOTE);
  return { ...answer, ...(notes.length > 0 && { notes }) };
}

function conclusion(chain: RankedChain, leadsTo: Map<string, string[]>, now: number): string {
  if (chain.causes.length === 0) {
    return chain.links.size === 0
      ? "Nothing is failing: no Flux object is failing, stalled or blocked, and no workload's pods are in trouble."
      : `Nothing is broken: the ${chain.healthy.length} links read (object, dependencies, sources, workloads) are fine.`;
  }
  const sentences = chain.causes.slice(0, 5).map((cause, index) => {
    const effects = leadsTo.get(cause.id) ?? [];
    const effect = effects.length > 0 ? ` It leads to: ${effects.join("; ")}.` : "";
    const label = chain.causes.length === 1 ? "Cause" : `Cause ${index + 1}`;
    return `${label}: ${cause.id}, ${linkStatus(cause, now)}.${effect}`;
  });
  const more = chain.causes.length > 5 ? ` ${chain.causes.length - 5} more causes below.` : "";
  const count = chain.causes.length > 1 ? `${chain.causes.length} independent causes. ` : "";
  return `${count}${sentences.join(" ")}${more}`;
}

/** The links found fine that no cause lists upstream already: all of them, or their count. */
function checkedLinks(chain: RankedChain, detailed: readonly ChainLink[], level: number, now: number) {
  const shown = new Set(detailed.flatMap((link) => link.upstream.map((edge) => edge.to)));
  const rest = chain.healthy.filter((link) => !shown.has(link.id));
  if (rest.length === 0) return {};
  if (level < 3) return { checked: `${rest.length} more links read and found fine` };
  return { checked: rest.map((link) => `${link.id}: ${healthyText(link, now)}`) };
}

/** For each cause, the consequences it explains, directly or through other consequences. */
function consequencesByCause(chain: RankedChain): Map<string, string[]> {
  const explainedBy = new Map(chain.consequences.map(({ link, because }) => [link.id, because]));
  const causesOf = (id: string, seen = new Set<string>()): string[] => {
    if (seen.has(id)) return [];
    seen.add(id);
    const because = explainedBy.get(id);
    return because ? because.flatMap((edge) => causesOf(edge.to, seen)) : [id];
  };
  const byCause = new Map<string, string[]>();
  for (const { link } of chain.consequences) {
    for (const cause of new Set(causesOf(link.id))) {
      const list = byCause.get(cause) ?? [];
      list.push(link.id);
      byCause.set(cause, list);
    }
  }
  return byCause;
}

function causeEntry(link: ChainLink, leadsTo: string[], input: ChainAnswerInput, level: number) {
  const events = (input.events.get(link.id) ?? []).slice(-(EVENTS_PER_CAUSE[level] ?? 0));
  return {
    ...linkFacts(link, input, level),
    ...(events.length > 0 && { events }),
    ...upstreamFacts(link, input.chain, input.now),
    ...(leadsTo.length > 0 && { leadsTo }),
  };
}

function consequenceEntry(link: ChainLink, because: Edge[], input: ChainAnswerInput, level: number) {
  const events = (input.events.get(link.id) ?? []).slice(-(EVENTS_PER_CONSEQUENCE[level] ?? 0));
  const facts = linkFacts(link, input, level);
  return {
    object: facts.object,
    status: facts.status,
    because: because.map(becauseText).join("; "),
    ...(level >= 2 && facts.message && { message: facts.message }),
    ...(events.length > 0 && { events }),
  };
}

function becauseText(edge: Edge): string {
  switch (edge.relation) {
    case "dependsOn":
      return `waits for its dependency ${edge.to} (dependsOn)`;
    case "source":
      return `its source ${edge.to} fails`;
    case "applies":
      return `its health check waits on ${edge.to}, which it applies`;
  }
}

/** Object, status, message, revisions; for a workload, its pods in trouble. */
function linkFacts(link: ChainLink, input: ChainAnswerInput, level: number) {
  const maxMessage = MESSAGE_CHARS[level] ?? 400;
  const object = link.object;
  const manager = object ? fluxManagersOf(object)[0] : undefined;
  const message = link.readiness ? problemText(link.readiness, maxMessage) : undefined;
  return {
    object: link.id,
    status: linkStatus(link, input.now),
    ...(message && { message }),
    ...(object && link.readiness && revisionFields(object)),
    ...(link.stale && { artifact: link.stale }),
    ...(object && link.readiness && helmHistory(object, level, input.now)),
    ...(manager && { appliedBy: describeManager(manager) }),
    ...(link.images && { images: link.images }),
    ...(link.health &&
      link.health.troubled.length > 0 && {
        pods: link.health.troubled.slice(0, level >= 2 ? 2 : 1).map((pod) => podEntry(pod, level)),
        fullLog: fullLogHint(link),
      }),
  };
}

function linkStatus(link: ChainLink, now: number): string {
  if (link.unreadable) return link.unreadable;
  if (link.readiness) return statusText(link.readiness, now);
  if (link.health) {
    const pods = `${link.health.pods} pod${link.health.pods === 1 ? "" : "s"}`;
    const first = link.health.troubled[0]?.containers[0];
    const trouble = first ? `; ${first.container} ${first.state}, ${first.restarts} restarts` : "";
    return `${link.health.status} (${pods}${trouble})`;
  }
  return "unknown";
}

function podEntry(pod: PodTrouble, level: number) {
  return {
    pod: pod.pod,
    phase: pod.phase,
    containers: pod.containers.map((container) => ({
      container: container.container,
      state: container.state,
      restarts: container.restarts,
      ...(container.lastTermination && { lastTermination: container.lastTermination }),
      ...(container.log && {
        log: compactLogLines(container.log).map((line) => oneLine(line, MESSAGE_CHARS[level] ?? 400)),
      }),
      ...(container.previousLog &&
        level >= 1 && {
          previousLog: compactLogLines(container.previousLog).map((line) =>
            oneLine(line, MESSAGE_CHARS[level] ?? 400),
          ),
        }),
      ...(container.logUnreadable && { logUnreadable: container.logUnreadable }),
    })),
  };
}

/** The call that shows the whole log, with previous only when a container has a previous instance. */
function fullLogHint(link: ChainLink): string {
  const [kind = "", rest = ""] = link.id.split(" ");
  const [namespace = "", name = ""] = rest.split("/");
  const previous = link.health?.troubled.some((pod) =>
    pod.containers.some((container) => container.previousLog),
  );
  const args = { kind, name, namespace, ...(previous && { previous: true }) };
  return `get_kubernetes_logs ${JSON.stringify(args)}`;
}

/** The last Helm releases: version, status, action, chart version, age. */
function helmHistory(object: { status?: unknown; kind: string }, level: number, now: number) {
  if (object.kind !== "HelmRelease") return {};
  const history = (object.status as { history?: unknown } | undefined)?.history;
  if (!Array.isArray(history) || history.length === 0) return {};
  const entries = history
    .slice(0, HELM_HISTORY[level] ?? 1)
    .map(
      (entry: {
        version?: number;
        status?: string;
        action?: string;
        chartVersion?: string;
        lastDeployed?: string;
      }) => {
        const deployed = entry.lastDeployed ? Date.parse(entry.lastDeployed) : NaN;
        const age = Number.isNaN(deployed) ? "" : ` ${formatAge(now - deployed)} ago`;
        const action = entry.action ? ` (${entry.action})` : "";
        return `v${entry.version ?? "?"} ${entry.status ?? "?"}${action} chart ${entry.chartVersion ?? "?"}${age}`;
      },
    );
  return { helmHistory: entries };
}

/** The upstream links of a cause, one line each: what it builds from and depends on. */
function upstreamFacts(link: ChainLink, chain: RankedChain, now: number) {
  const lines = link.upstream.flatMap((edge) => {
    const upstream = chain.links.get(edge.to);
    if (!upstream || upstream.broken) return [];
    return [`${edge.relation} ${upstream.id}: ${healthyText(upstream, now)}`];
  });
  return lines.length > 0 ? { upstream: lines } : {};
}

/** A link found fine: its state and, for a source, the artifact it serves and how old it is. */
function healthyText(link: ChainLink, now: number): string {
  const status = linkStatus(link, now);
  const artifact = (
    link.object?.status as { artifact?: { revision?: string; lastUpdateTime?: string } } | undefined
  )?.artifact;
  if (link.images) return `${status}; ${link.images.join("; ")}`;
  if (!artifact?.revision) return status;
  const updated = artifact.lastUpdateTime ? Date.parse(artifact.lastUpdateTime) : NaN;
  const age = Number.isNaN(updated) ? "" : `, fetched ${formatAge(now - updated)} ago`;
  return `${status}, serves ${shortenDigests(artifact.revision)}${age}`;
}
