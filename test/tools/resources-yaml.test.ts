// get_kubernetes_resources' YAML reads back as the object's data, with strings that YAML readers
// could take for something else (numbers, booleans, document markers) quoted, and Secret values masked.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { CORE_SCHEMA, load } from "js-yaml";
import { parse, parseAllDocuments } from "yaml";
import { startFluxClusterOf, type TestApiServer } from "../helpers/apiserver.ts";
import { connectTools, type ToolSession } from "../helpers/tool-session.ts";

const data = {
  enabled: "yes",
  mode: "on",
  ratio: "+.5",
  huge: "1e309",
  octal: "0755",
  hex: "0x1F",
  ready: "True",
  nothing: "null",
  since: "2026-12-05T05:40:57Z",
  "app.yaml": "replicas: 2\nimage: web:1.2.3\n",
  note: 'cannot patch "web": field is immutable',
  greeting: "héllo 日本 ✓",
  "...": "three dots",
};

describe("get_kubernetes_resources YAML", () => {
  let api: TestApiServer;
  let session: ToolSession;
  before(async () => {
    api = await startFluxClusterOf("yaml", [
      { apiVersion: "v1", kind: "Namespace", metadata: { name: "lab" } },
      { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "tricky", namespace: "lab" }, data },
      {
        apiVersion: "v1",
        kind: "Secret",
        metadata: { name: "tricky", namespace: "lab" },
        stringData: { token: "s3cr3t-value-that-must-not-leave", yes: "on" },
      },
    ]);
    session = await connectTools(api, { context: "yaml" });
  });
  after(() => api?.close());

  it("reads back as the ConfigMap's data, one object or a list", async () => {
    for (const args of [
      { kind: "ConfigMap", name: "tricky", namespace: "lab" },
      { kind: "ConfigMap", namespace: "lab" },
    ]) {
      const result = await session.call("get_kubernetes_resources", args);
      assert.notEqual(result.isError, true, result.text);
      const documents = parseAllDocuments(result.text).map(
        (document) => document.toJS() as { data?: unknown },
      );
      const configMap = documents.find((document) => document.data !== undefined);
      assert.deepEqual(configMap?.data, data, result.text);
      assert.match(
        result.text,
        /^ {2}enabled: (["'])yes\1$/m,
        "quoted for YAML 1.1 readers such as kubectl's",
      );
      assert.match(result.text, /^ {2}ratio: (["'])\+\.5\1$/m);
      assert.match(result.text, /^ {2}note: 'cannot patch "web": field is immutable'$/m, "no escaped quotes");
    }
  });

  it("masks Secret values, which read back as masked strings", async () => {
    const result = await session.call("get_kubernetes_resources", {
      kind: "Secret",
      name: "tricky",
      namespace: "lab",
    });
    assert.notEqual(result.isError, true, result.text);
    assert.ok(!result.text.includes("s3cr3t-value-that-must-not-leave"), result.text);
    const secret = parse(result.text) as { data?: unknown };
    assert.deepEqual(secret.data, { token: "****", yes: "****" });
    assert.deepEqual((load(result.text, { schema: CORE_SCHEMA }) as { data?: unknown }).data, secret.data);
  });
});
