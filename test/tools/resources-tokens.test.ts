// Token budgets for the standard questions a model asks get_kubernetes_resources on the demo fleet:
// a change that makes answers bigger has to raise a budget here, visibly.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { encode } from "gpt-tokenizer";
import { startTestApiServer, type TestApiServer } from "../helpers/apiserver.ts";
import { connectTools, type ToolSession } from "../helpers/tool-session.ts";

const budgets: { question: string; args: Record<string, unknown>; tokens: number }[] = [
  {
    question: "what is wrong with this HelmRelease",
    args: { kind: "HelmRelease", name: "kube-prometheus-stack", namespace: "monitoring" },
    tokens: 2100,
  },
  {
    question: "what is wrong with this Kustomization",
    args: { kind: "Kustomization", name: "apps", namespace: "flux-system" },
    tokens: 1400,
  },
  { question: "show me every Kustomization", args: { kind: "Kustomization" }, tokens: 6600 },
  {
    question: "which Kustomizations are not ready (projected)",
    args: {
      kind: "Kustomization",
      fields: [
        '.status.conditions[?(@.type=="Ready")].status',
        '.status.conditions[?(@.type=="Ready")].message',
      ],
    },
    tokens: 900,
  },
];

describe("get_kubernetes_resources token budgets", () => {
  let api: TestApiServer;
  let staging: ToolSession;
  before(async () => {
    api = await startTestApiServer({ simulation: false });
    staging = await connectTools(api, { context: "staging" });
  });
  after(() => api?.close());

  for (const { question, args, tokens } of budgets) {
    it(`${question}: at most ${tokens} tokens`, async () => {
      const result = await staging.call("get_kubernetes_resources", args);
      assert.notEqual(result.isError, true, result.text);
      const used = encode(result.text).length;
      assert.ok(used <= tokens, `${used} tokens, over the budget of ${tokens}`);
    });
  }
});
