// Secret values for the last-pass scrubbing: collected from every Secret the identity may list,
// base64 and decoded, cached briefly; and redaction of them from any text, longest value first.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { startTestApiServer, type TestApiServer } from "../helpers/apiserver.ts";
import { createKubeProvider } from "../../src/kube/provider.ts";
import { redactSecretValues } from "../../src/kube/redaction.ts";
import { secretValuesOf } from "../../src/kube/secret-values.ts";
import type { Kube } from "../../src/kube/types.ts";

let api: TestApiServer;
let kube: Kube;

const base64 = (text: string | Buffer) => Buffer.from(text).toString("base64");

before(async () => {
  api = await startTestApiServer();
  kube = await createKubeProvider({ kubeconfigPaths: [api.kubeconfigPath], readOnly: false }).forContext(
    "staging",
  );
  await kube.create(await kube.resolveKind("secrets"), {
    apiVersion: "v1",
    kind: "Secret",
    metadata: { name: "credentials", namespace: "frontend" },
    data: {
      password: base64("s3cr3t-password\n"),
      pin: base64("1234"),
      blob: base64(Buffer.from([0xff, 0xfe, 0x00, 0x81, 0x90, 0xc3, 0x28, 0xa0])),
    },
  });
});
after(async () => {
  await api.close();
});

test("secretValues holds each data value as stored and decoded, in every namespace", async () => {
  const values = await kube.secretValues();
  assert.ok(values.has(base64("s3cr3t-password\n")));
  assert.ok(values.has("s3cr3t-password\n"));
  assert.ok(values.has("s3cr3t-password"));
  assert.ok(!values.has("1234"), "too short to be told apart from ordinary text");
  assert.ok(values.has(base64(Buffer.from([0xff, 0xfe, 0x00, 0x81, 0x90, 0xc3, 0x28, 0xa0]))));
  assert.ok(
    [...values].every((value) => !value.includes("\uFFFD")),
    "binary data is not decoded",
  );
  const namespaces = new Set(
    (await kube.list(await kube.resolveKind("secrets"))).items.map((secret) => secret.metadata.namespace),
  );
  assert.ok(namespaces.size > 1);
});

test("secretValues is cached: a second call within seconds sends nothing", async () => {
  await kube.secretValues();
  const mark = api.server.requestLog.mark();
  const again = await kube.secretValues();
  assert.ok(again.size > 0);
  assert.deepEqual(api.server.requestLog.entries({ since: mark }), []);
});

test("secretValuesOf skips Secrets without data", () => {
  const values = secretValuesOf([
    { apiVersion: "v1", kind: "Secret", metadata: { name: "empty" } },
    { apiVersion: "v1", kind: "Secret", metadata: { name: "one" }, data: { token: base64("abcdefgh") } },
  ]);
  assert.deepEqual([...values].sort(), [base64("abcdefgh"), "abcdefgh"].sort());
});

test("redaction replaces every occurrence, the longest value first", () => {
  const values = new Set(["password1", "password1234", "tokentoken"]);
  assert.equal(
    redactSecretValues("a password1234 b password1 c password12 tokentokentoken", values),
    "a **** b **** c ****2 ****token",
  );
  assert.equal(redactSecretValues("password1", values), "****");
  assert.equal(redactSecretValues("password1password1", values), "********");
  assert.equal(redactSecretValues("nothing to see", values), "nothing to see");
  assert.equal(redactSecretValues("πassword1 ✓ password1 ✓", values), "πassword1 ✓ **** ✓");
  assert.equal(redactSecretValues("password1", new Set()), "password1");
  assert.equal(redactSecretValues("abc ab", new Set(["ab", ""])), "****c ****");
});

test("redaction agrees with a plain search on random texts", () => {
  let seed = 7;
  const random = (limit: number) => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed % limit;
  };
  const word = (length: number) => Array.from({ length }, () => "ab\n="[random(4)]).join("");
  for (let round = 0; round < 200; round++) {
    const values = new Set(Array.from({ length: 1 + random(5) }, () => word(3 + random(6))));
    const text = word(200);
    assert.equal(
      redactSecretValues(text, values),
      naiveRedaction(text, values),
      JSON.stringify({ text, values: [...values] }),
    );
  }
});

test("redaction is fast on large texts with many values", () => {
  const values = new Set(
    Array.from({ length: 2000 }, (_, index) => `secret-value-${index}-${"x".repeat(index % 40)}`),
  );
  const line =
    'level=info msg="reconciliation finished" revision=main@sha1:0123456789abcdef secret-value-1999-';
  const text = `${line}${"x".repeat(1999 % 40)}\n`.repeat(20_000);
  const started = performance.now();
  const redacted = redactSecretValues(text, values);
  const elapsed = performance.now() - started;
  assert.equal(redacted.split("****").length - 1, 20_000);
  assert.ok(elapsed < 1000, `took ${Math.round(elapsed)} ms for ${text.length} characters`);
});

/** At each position the longest value that starts there, else the character. */
function naiveRedaction(text: string, values: ReadonlySet<string>): string {
  const byLength = [...values].sort((a, b) => b.length - a.length);
  let output = "";
  for (let position = 0; position < text.length;) {
    const match = byLength.find((value) => text.startsWith(value, position));
    if (match) {
      output += "****";
      position += match.length;
    } else {
      output += text[position];
      position++;
    }
  }
  return output;
}
