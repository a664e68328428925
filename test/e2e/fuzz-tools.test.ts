// Property-based: every tool, called through the official MCP client (in-memory linked transport,
// so no message cap stands between a 10 MB argument and the tool) with arguments generated from its
// own JSON Schema, skewed towards what breaks servers: lone surrogates, control characters, spaces
// and path tricks in names, 10 MB strings, deep nesting, wrong types, unknown keys. Whatever comes
// in, the answer is a tool result (never a JSON-RPC error), it arrives within --timeout, and the
// server still answers a ping afterwards.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { Client } from "@modelcontextprotocol/client";
import { InMemoryTransport } from "@modelcontextprotocol/server";
import fc from "fast-check";
import { createInFlight } from "../../src/server/in-flight.ts";
import { buildMcpServer, defineServer } from "../../src/server/mcp-server.ts";
import type { CallRuntime } from "../../src/server/tool-call.ts";
import { DocsShelf } from "../../src/server/tool-context.ts";
import { ALL_TOOLS } from "../../src/tools/index.ts";
import { startTestApiServer, type TestApiServer } from "../helpers/apiserver.ts";
import { testProvider } from "../helpers/tools.ts";

const TIMEOUT_MS = 3_000;
/** A call that has not answered this long after --timeout hangs. */
const HANG_MS = TIMEOUT_MS + 10_000;
const RUNS_PER_TOOL = 15;
const SEED = 20261204;

type Schema = {
  type?: string | string[];
  required?: string[];
  enum?: unknown[];
  properties?: Record<string, Schema>;
  items?: Schema;
  minimum?: number;
  maximum?: number;
};

const TEN_MB = "k".repeat(10 * 1024 * 1024);
/** Every UTF-16 code unit, lone surrogates and control characters included. */
const anyCodeUnit = fc.integer({ min: 0, max: 0xffff }).map((unit) => String.fromCharCode(unit));
const nastyText = fc.constantFrom(
  "\ud800",
  "podinfo\udfff",
  "a\u0000b",
  "two words",
  "line\nbreak",
  "tab\there",
  "..",
  "../../api/v1/secrets",
  "x?labelSelector=a",
  "ns/name",
  "%2e%2e",
  "\u202egnp.exe",
  "",
  "   ",
  "(\\w+)+!",
);

/** Values the demo fleet knows, so that many calls get past validation into the tools. */
const plausibleText = fc.constantFrom(
  "podinfo",
  "flux-system",
  "frontend",
  "staging",
  "HelmRelease",
  "Kustomization",
  "Pod",
  "Deployment",
  "apps/v1",
  "helm.toolkit.fluxcd.io/v2",
  "5m",
  "app=podinfo",
  "error",
);

function deeplyNested(depth: number): unknown {
  let value: unknown = "bottom";
  for (let level = 0; level < depth; level++) value = level % 2 ? [value] : { a: value };
  return value;
}

const wrongType = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.string(), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.string({ maxLength: 5 }), { maxKeys: 2 }),
  fc.constant(deeplyNested(1_000)),
);

function valueFor(schema: Schema): fc.Arbitrary<unknown> {
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  if (schema.enum) {
    return fc.oneof(
      { weight: 6, arbitrary: fc.constantFrom(...schema.enum) },
      { weight: 1, arbitrary: nastyText },
      { weight: 1, arbitrary: wrongType },
    );
  }
  switch (type) {
    case "string":
      return fc.oneof(
        { weight: 6, arbitrary: plausibleText },
        { weight: 4, arbitrary: fc.string({ unit: anyCodeUnit, maxLength: 40 }) },
        { weight: 4, arbitrary: nastyText },
        { weight: 1, arbitrary: fc.constant(TEN_MB) },
        { weight: 1, arbitrary: wrongType },
      );
    case "integer":
    case "number":
      return fc.oneof(
        {
          weight: 6,
          arbitrary: fc.integer({ min: schema.minimum ?? -10, max: Math.min(schema.maximum ?? 100, 100) }),
        },
        { weight: 1, arbitrary: fc.constantFrom(-1, 0, 1e308, Number.MAX_SAFE_INTEGER + 2, 0.5) },
        { weight: 1, arbitrary: wrongType },
      );
    case "boolean":
      return fc.oneof({ weight: 6, arbitrary: fc.boolean() }, { weight: 1, arbitrary: wrongType });
    case "array":
      return fc.oneof(
        fc.array(valueFor(schema.items ?? {}), { maxLength: 4 }),
        fc.constant(Array.from({ length: 10_000 }, () => "x")),
        wrongType,
      );
    default:
      return wrongType;
  }
}

/** A value that passes the schema and names something of the demo fleet, by the property's name. */
function plausibleFor(name: string, schema: Schema): fc.Arbitrary<unknown> {
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  if (schema.enum) return fc.constantFrom(...schema.enum);
  if (type === "boolean") return fc.boolean();
  if (type === "integer" || type === "number") {
    return fc.integer({ min: schema.minimum ?? 1, max: Math.min(schema.maximum ?? 50, 50) });
  }
  if (type === "array") return fc.constant([".metadata.name", ".status.conditions"]);
  const byName: Record<string, string[]> = {
    since: ["5m", "1h"],
    timeout: ["1s"],
    wait_timeout: ["1s"],
    apiVersion: ["apps/v1", "helm.toolkit.fluxcd.io/v2", "kustomize.toolkit.fluxcd.io/v1"],
    kind: ["HelmRelease", "Kustomization", "Pod", "Deployment", "GitRepository"],
    namespace: ["flux-system", "frontend", "monitoring"],
    context: ["staging", "production"],
    selector: ["app=podinfo", "app.kubernetes.io/name=podinfo"],
    yaml_content: [
      "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: fuzz, namespace: default}\ndata: {a: b}\n",
    ],
    patch: ['{"metadata":{"labels":{"fuzz":"yes"}}}'],
    query: ["helmrelease remediation", "DependencyNotReady"],
    path: ["kinds/helmrelease"],
  };
  return fc.constantFrom(...(byName[name] ?? ["podinfo", "flux-system", "apps", "cart"]));
}

/**
 * Arguments for a tool, in two shapes: everything adversarial (most calls end at validation), or
 * plausible values with one property adversarial, so calls get into the tools and the Kubernetes
 * layer with a lone surrogate, a path trick or a 10 MB string in one place. Now and then an unknown
 * property comes beside them.
 */
function argumentsFor(schema: Schema): fc.Arbitrary<Record<string, unknown>> {
  const properties = Object.entries(schema.properties ?? {});
  const required = schema.required ?? [];
  const adversarial = fc.record(
    Object.fromEntries(properties.map(([name, child]) => [name, valueFor(child)])),
    {
      requiredKeys: required,
    },
  );
  const plausible = fc.record(
    Object.fromEntries(properties.map(([name, child]) => [name, plausibleFor(name, child)])),
    { requiredKeys: required },
  );
  const oneBad =
    properties.length === 0
      ? plausible
      : fc
          .tuple(plausible, fc.constantFrom(...properties))
          .chain(([args, [name, child]]) => valueFor(child).map((bad) => ({ ...args, [name]: bad })));
  const unknown = fc.oneof(
    { weight: 6, arbitrary: fc.constant({}) },
    {
      weight: 1,
      arbitrary: fc
        .tuple(fc.oneof(nastyText, fc.constant(TEN_MB)), wrongType)
        .map(([key, value]) => ({ [key]: value })),
    },
  );
  const known = fc.oneof({ weight: 1, arbitrary: adversarial }, { weight: 2, arbitrary: oneBad });
  return fc.tuple(known, unknown).map(([args, extra]) => ({ ...args, ...extra }));
}

describe("every tool, fuzzed from its JSON Schema", { timeout: 900_000 }, () => {
  let api: TestApiServer;
  let client: Client;
  const figures = { calls: 0, errors: 0, answers: 0 };

  before(async () => {
    api = await startTestApiServer();
    const provider = testProvider(api);
    const runtime: CallRuntime = {
      provider: async () => provider,
      docs: new DocsShelf(),
      maskSecrets: true,
      timeoutMs: TIMEOUT_MS,
      responseLimit: 20_000,
      calls: createInFlight(),
      log: () => {},
    };
    const definition = defineServer(ALL_TOOLS, { readOnly: false, inCluster: false }, runtime, "0.0.0-test");
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    await buildMcpServer(definition, { state: { context: "staging" }, stateless: false }).connect(serverSide);
    client = new Client({ name: "fuzz", version: "1.0.0" });
    await client.connect(clientSide);
  });
  after(async () => {
    console.log(
      `fuzzed tool calls: ${figures.calls} (${figures.errors} error results, ${figures.answers} answers), no protocol error, no hang`,
    );
    await client?.close();
    await api?.close();
  });

  it("answers every call with a tool result within the timeout, and pings afterwards", async () => {
    const { tools } = await client.listTools();
    assert.equal(tools.length, ALL_TOOLS.length);
    for (const tool of tools) {
      await fc.assert(
        fc.asyncProperty(argumentsFor(tool.inputSchema as Schema), async (args) => {
          figures.calls++;
          const result = await client.callTool({ name: tool.name, arguments: args }, { timeout: HANG_MS });
          const content = (result as { content?: { type: string; text?: string }[] }).content ?? [];
          assert.equal(content[0]?.type, "text", `${tool.name}: ${JSON.stringify(result).slice(0, 300)}`);
          if ((result as { isError?: boolean }).isError) {
            figures.errors++;
            const text = content[0]?.text ?? "";
            assert.ok(text.length < 2_000, `${tool.name}: an error of ${text.length} characters`);
          } else {
            figures.answers++;
          }
          await client.ping({ timeout: HANG_MS });
        }),
        { numRuns: RUNS_PER_TOOL, seed: SEED, endOnFailure: true },
      );
    }
  });
});
