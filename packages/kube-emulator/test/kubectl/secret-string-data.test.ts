// Secret stringData is write-only in Kubernetes: every write merges it into data (base64, over
// keys data already has) and the field is never stored, so never read back. Every way kubectl
// writes must get that behaviour.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { startTestApiServer, type TestApiServer } from "../../src/testing.ts";

let api: TestApiServer;
const base64 = (text: string) => Buffer.from(text, "utf8").toString("base64");

async function kubectl(args: string[], input?: string): Promise<string> {
  const { code, stdout, stderr } = await api.kubectl(["--context", "plain", "-n", "default", ...args], input);
  assert.equal(code, 0, `kubectl ${args.join(" ")} failed: ${stderr}`);
  return stdout;
}

async function readSecret(name: string): Promise<Record<string, unknown>> {
  return JSON.parse(await kubectl(["get", "secret", name, "-o", "json"]));
}

const secret = (name: string, stringData: Record<string, string>, data: Record<string, string> = {}) =>
  JSON.stringify({ apiVersion: "v1", kind: "Secret", metadata: { name }, type: "Opaque", data, stringData });

before(async () => {
  api = await startTestApiServer({ sources: [{ name: "plain", paths: [] }], simulation: false });
  const namespace = { apiVersion: "v1", kind: "Namespace", metadata: { name: "default" } };
  await api.kubectl(["--context", "plain", "create", "-f", "-"], JSON.stringify(namespace));
});
after(() => api?.close());

test("create merges stringData into data, over a key data also has", async () => {
  await kubectl(
    ["create", "-f", "-"],
    secret("created", { password: "s3cret", user: "admin" }, { user: base64("root") }),
  );
  const stored = await readSecret("created");
  assert.equal(stored.stringData, undefined);
  assert.deepEqual(stored.data, { password: base64("s3cret"), user: base64("admin") });
});

test("client-side apply, server-side apply, merge patch and replace all merge it and never store it", async () => {
  await kubectl(["apply", "-f", "-"], secret("applied", { token: "one" }));
  assert.deepEqual((await readSecret("applied")).data, { token: base64("one") });
  await kubectl(["apply", "-f", "-"], secret("applied", { token: "two" }));
  assert.deepEqual((await readSecret("applied")).data, { token: base64("two") });

  await kubectl(
    ["apply", "--server-side", "--field-manager=loader", "-f", "-"],
    secret("server-side", { token: "three" }),
  );
  assert.deepEqual((await readSecret("server-side")).data, { token: base64("three") });

  await kubectl([
    "patch",
    "secret",
    "server-side",
    "--type=merge",
    "-p",
    JSON.stringify({ stringData: { extra: "four" } }),
  ]);
  const patched = await readSecret("server-side");
  assert.deepEqual(patched.data, { token: base64("three"), extra: base64("four") });

  await kubectl(["replace", "-f", "-"], secret("server-side", { token: "five" }));
  const replaced = await readSecret("server-side");
  assert.deepEqual(replaced.data, { token: base64("five") });
  for (const name of ["applied", "server-side"]) {
    assert.equal((await readSecret(name)).stringData, undefined, name);
  }
  const listed = JSON.parse(await kubectl(["get", "secrets", "-o", "json"])) as {
    items: Record<string, unknown>[];
  };
  assert.ok(listed.items.length >= 3);
  assert.ok(listed.items.every((item) => item.stringData === undefined));
});
