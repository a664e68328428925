// Shared by the operation tool tests: reading what a tool changed through real kubectl, and a
// call the test cancels and whose progress notifications it records.
import assert from "node:assert/strict";
import type { TestApiServer } from "../../helpers/apiserver.ts";
import { connectTools, type ToolAnswer } from "../../helpers/tool-session.ts";

/** The text of a successful result (fails the test with the text otherwise). */
export function ok(result: ToolAnswer): string {
  assert.notEqual(result.isError, true, result.text);
  return result.text;
}

/** The text of a failed result. */
export function failed(result: ToolAnswer): string {
  assert.equal(result.isError, true, `expected an error, got: ${result.text}`);
  return result.text;
}

export interface ReconcileState {
  requestedAt?: string;
  forceAt?: string;
  lastHandledReconcileAt?: string;
  lastHandledForceAt?: string;
}

/** The reconcile annotations and status fields of one object, as kubectl reads them. */
export async function annotationsAndStatus(
  api: TestApiServer,
  context: string,
  resource: string,
  namespace: string,
  name: string,
): Promise<ReconcileState> {
  const object = await kubectlJson(api, context, ["get", resource, name, "-n", namespace]);
  const annotations = (object.metadata?.annotations ?? {}) as Record<string, string>;
  const status = (object.status ?? {}) as Record<string, string>;
  return {
    requestedAt: annotations["reconcile.fluxcd.io/requestedAt"],
    forceAt: annotations["reconcile.fluxcd.io/forceAt"],
    lastHandledReconcileAt: status.lastHandledReconcileAt,
    lastHandledForceAt: status.lastHandledForceAt,
  };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function kubectlJson(api: TestApiServer, context: string, args: string[]): Promise<any> {
  const result = await api.kubectl(["--context", context, ...args, "-o", "json"]);
  assert.equal(result.code, 0, result.stderr);
  return JSON.parse(result.stdout);
}

/** kubectl's YAML of one object. */
export async function kubectlYaml(api: TestApiServer, context: string, args: string[]): Promise<string> {
  const result = await api.kubectl(["--context", context, "get", ...args, "-o", "yaml"]);
  assert.equal(result.code, 0, result.stderr);
  return result.stdout;
}

/**
 * Calls through the server's own pipeline with a cancellation signal the test aborts, recording
 * every progress notification ("step message").
 */
export async function cancellableCalls(
  api: TestApiServer,
  context: string,
): Promise<{
  run(name: string, args: Record<string, unknown>): Promise<ToolAnswer>;
  progress: string[];
  signal: AbortSignal;
  abort: () => void;
  close(): Promise<void>;
}> {
  const session = await connectTools(api, { context });
  const controller = new AbortController();
  const progress: string[] = [];
  return {
    run: (name, args) =>
      session.run(name, args, {
        signal: controller.signal,
        progress: (message, step) => progress.push(`${step} ${message}`),
      }),
    progress,
    signal: controller.signal,
    abort: () => controller.abort(),
    close: () => session.close(),
  };
}

/** A small namespaced CRD for apply and diff tests. */
export const WIDGET_CRD = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.example.com
spec:
  group: example.com
  names: {kind: Widget, plural: widgets, singular: widget, listKind: WidgetList}
  scope: Namespaced
  versions:
    - name: v1
      served: true
      storage: true
      schema:
        openAPIV3Schema:
          type: object
          properties:
            spec:
              type: object
              properties:
                size: {type: integer}
`;
