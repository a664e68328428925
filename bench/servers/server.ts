// What the bench needs to know about an MCP server: how to start it over stdio against a
// kubeconfig, and the tool calls it needs for each standard question.
import type { QuestionId } from "../questions.ts";

export interface ToolCall {
  tool: string;
  args: Record<string, unknown>;
  /** Call again with `continue` while the answer ends with a `continue="…"` token (paged lists). */
  followContinue?: boolean;
}

export interface Launch {
  command: string;
  args: string[];
  env: Record<string, string>;
}

/** A server whose handshake is measured. */
export interface HandshakeReference {
  id: string;
  /** Package and version, as run. */
  label: string;
  /** Why it cannot run here (not built, not installed), or undefined. */
  unavailable(): string | undefined;
  /** Starts in the demo context of the kubeconfig; `home` is an empty directory it may use as HOME. */
  launch(kubeconfigPath: string, home: string): Launch;
  /** For a server that answers no question: the call its cold start sends after tools/list. */
  firstCall?: ToolCall;
}

/** A server that also answers the standard questions. */
export interface ServerUnderTest extends HandshakeReference {
  calls: Record<QuestionId, ToolCall[]>;
}

/** The environment every server gets: no inherited kubeconfig, cluster or telemetry settings. */
export function cleanEnvironment(home: string, extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of ["PATH", "LANG", "TZ", "TMPDIR"]) {
    const value = process.env[name];
    if (value !== undefined) env[name] = value;
  }
  return { ...env, HOME: home, OTEL_SDK_DISABLED: "true", ...extra };
}

/** The question a cold start asks first: a Flux listing, what an assistant is most often asked first. */
const FIRST_QUESTION: QuestionId = "helmreleases";

/** The call a cold start sends the moment tools/list has answered. */
export function coldStartCall(server: HandshakeReference | ServerUnderTest): ToolCall | undefined {
  return "calls" in server ? server.calls[FIRST_QUESTION][0] : server.firstCall;
}
