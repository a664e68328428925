// Secret masking in the kube layer: the needles a Secret gives (encodings, lines, structured leaves,
// public parts left out), the Aho–Corasick scan, structural masking, and the watched index: one
// list, then no request per call, changes picked up from the watch, Helm storage never fetched.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { startTestApiServer, type TestApiServer } from "../helpers/apiserver.ts";
import { createKubeProvider } from "../../src/kube/provider.ts";
import { NeedleSet } from "../../src/kube/masking/needle-set.ts";
import { secretNeedles, valueNeedles } from "../../src/kube/masking/needles.ts";
import { maskedValueChanged, maskSecretObject } from "../../src/kube/masking/secret-objects.ts";
import { SecretIndex, type SecretSource } from "../../src/kube/masking/secret-index.ts";
import { KubeError, type Kube, type KubeObject } from "../../src/kube/types.ts";

let api: TestApiServer;
let kube: Kube;

const base64 = (text: string | Buffer) => Buffer.from(text).toString("base64");
const never = () => false;

function maskWith(values: string[], text: string): string {
  const set = new NeedleSet();
  for (const value of values) set.add(valueNeedles(Buffer.from(value)));
  return set.mask(text, never);
}

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

test("a value is masked raw, JSON-escaped, YAML-quoted, URL-encoded and in base64 at every offset", () => {
  const value = `it's a "s3cr3t"/value`;
  const texts = [
    value,
    JSON.stringify({ v: value }),
    `v: '${value.replaceAll("'", "''")}'`,
    `https://example.com/?token=${encodeURIComponent(value)}`,
    base64(value),
    base64(`x${value}`),
    base64(`xy${value}`),
    base64(`prefix: ${value} suffix`),
  ];
  for (const text of texts) {
    const masked = maskWith([value], text);
    assert.ok(masked.includes("****"), `not masked: ${text}`);
    assert.ok(!masked.includes("s3cr3t"), masked);
  }
});

test("each line of a multi-line value is masked, PEM armour is not", () => {
  const key = [
    "-----BEGIN OPENSSH PRIVATE KEY-----",
    "b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW",
    "QyNTUxOQAAACCGkT0kqh4ixKq3c2x7xZ1a0vN8mT0fH0m6wq1WvB2kAAAAmMq1bpbKtW6W",
    "-----END OPENSSH PRIVATE KEY-----",
  ].join("\n");
  const block = `data:\n  identity: |\n    ${key.split("\n").join("\n    ")}\n`;
  const masked = maskWith([key], block);
  assert.ok(!masked.includes("b3BlbnNzaC1rZXkt"), masked);
  assert.ok(!masked.includes("QyNTUxOQAAACCG"), masked);
  assert.ok(masked.includes("-----BEGIN OPENSSH PRIVATE KEY-----"));
  assert.ok(!maskWith([key], JSON.stringify({ key })).includes("QyNTUxOQ"));
});

test("the leaves of YAML, JSON and docker config values are masked, not their keys", () => {
  const values = "auth:\n  token: tok-9f8e7d6c5b4a\n  password: password\nreplicas: 3\n";
  assert.equal(maskWith([values], "token=tok-9f8e7d6c5b4a"), "token=****");
  const docker = JSON.stringify({
    auths: {
      "ghcr.io": {
        username: "flux-bot",
        password: "ghp_R4nd0mT0k3n",
        auth: base64("flux-bot:ghp_R4nd0mT0k3n"),
      },
    },
  });
  const masked = maskWith([docker], "login ghcr.io as flux-bot with ghp_R4nd0mT0k3n");
  assert.equal(masked, "login ghcr.io as flux-bot with ****");
  assert.equal(maskWith([docker], "password: ok"), "password: ok");
});

test("plain words, short values, URLs without credentials and public keys are not needles", () => {
  assert.deepEqual(valueNeedles(Buffer.from("password")), []);
  assert.deepEqual(valueNeedles(Buffer.from("1234")), []);
  assert.deepEqual(valueNeedles(Buffer.from("https://github.com/org/fleet")), []);
  assert.deepEqual(valueNeedles(Buffer.from("kustomize-controller")), [], "a name of the cluster's kind");
  assert.deepEqual(valueNeedles(Buffer.from("podinfo-pr-142")), []);
  assert.ok(valueNeedles(Buffer.from("admin-P4ss-2024")).length > 0, "mixed letters and digits in a word");
  const token: KubeObject = {
    apiVersion: "v1",
    kind: "Secret",
    type: "kubernetes.io/service-account-token",
    metadata: { name: "sa-token", namespace: "flux-system" },
    data: {
      namespace: base64("flux-system"),
      "ca.crt": base64("-----BEGIN CERTIFICATE-----\nMIIB\n"),
      token: base64("eyJhbGciOiJSUzI1NiJ9.payload.sig"),
    },
  };
  const origins = new Set(secretNeedles(token).map((needle) => needle.origin));
  assert.deepEqual([...origins], ["eyJhbGciOiJSUzI1NiJ9.payload.sig"]);
  const helm: KubeObject = {
    ...token,
    type: "helm.sh/release.v1",
    data: { release: base64("H4sIAAAAAAAA-huge") },
  };
  assert.deepEqual(secretNeedles(helm), []);
});

test("overlapping needles become one mask; kept names are not masked", () => {
  const set = new NeedleSet();
  set.add([
    { text: "abcdefgh12", origin: "abcdefgh12" },
    { text: "gh12345678", origin: "gh12345678" },
    { text: "flux-system", origin: "flux-system" },
  ]);
  assert.equal(
    set.mask("xx abcdefgh12345678 yy flux-system", (value) => value === "flux-system"),
    "xx **** yy flux-system",
  );
  set.remove([{ text: "gh12345678", origin: "gh12345678" }]);
  assert.equal(set.mask("abcdefgh12345678", never), "****345678");
  assert.equal(set.mask("πabcdefgh12✓", never), "π****✓");
});

/** The masking's definition, the slow way: every character inside an occurrence of a needle is covered, each run of covered characters becomes one mask. */
function maskedByDefinition(needles: readonly string[], text: string): string {
  const covered = new Array<boolean>(text.length).fill(false);
  for (const needle of needles) {
    for (let at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + 1)) {
      covered.fill(true, at, at + needle.length);
    }
  }
  return text
    .replace(/./gsu, (character, offset: number) => (covered[offset] ? "\0" : character))
    .replace(/\0+/g, "****");
}

for (const [shortest, kind] of [
  [8, "needles as long as real ones (the window filter in front of the automaton)"],
  [2, "needles shorter than the filter's window (the automaton alone)"],
] as const) {
  test(`the scan finds every occurrence of every needle, overlapping and repeated, as the definition does: ${kind}`, () => {
    assertScanMatchesDefinition(shortest);
  });
}

function assertScanMatchesDefinition(shortest: number): void {
  // A small alphabet makes needles share prefixes and overlap; texts are made of whole needles,
  // their beginnings and ends (near misses), and filler. The emoji is two UTF-16 code units.
  const alphabet = fc.constantFrom("a", "b", "c", "é", "=", "😀");
  const needles = fc.uniqueArray(fc.string({ unit: alphabet, minLength: shortest, maxLength: 14 }), {
    minLength: 1,
    maxLength: 12,
  });
  const part = fc.tuple(fc.nat(), fc.constantFrom("whole", "head", "tail", "filler"), fc.nat({ max: 13 }));
  const filler = fc.string({ unit: alphabet, maxLength: 6 });
  fc.assert(
    fc.property(needles, fc.array(fc.tuple(part, filler), { maxLength: 20 }), (chosen, parts) => {
      const text = parts
        .map(([[index, shape, cut], fill]) => {
          const needle = chosen[index % chosen.length] as string;
          if (shape === "whole") return needle;
          if (shape === "head") return needle.slice(0, cut);
          if (shape === "tail") return needle.slice(cut);
          return fill;
        })
        .join("");
      const set = new NeedleSet();
      set.add(chosen.map((needle) => ({ text: needle, origin: needle })));
      assert.equal(set.mask(text, never), maskedByDefinition(chosen, text));
    }),
    { numRuns: 500 },
  );
}

test("a Secret is masked by structure, keys and last-applied kept valid; changes stay visible", () => {
  const secret: KubeObject = {
    apiVersion: "v1",
    kind: "Secret",
    metadata: {
      name: "db",
      annotations: {
        "kubectl.kubernetes.io/last-applied-configuration": JSON.stringify({
          kind: "Secret",
          stringData: { password: "password" },
        }),
      },
    },
    data: { password: base64("password") },
  };
  const masked = maskSecretObject(secret);
  assert.deepEqual(masked.data, { password: "****" });
  const lastApplied = JSON.parse(
    masked.metadata.annotations?.["kubectl.kubernetes.io/last-applied-configuration"] ?? "",
  );
  assert.deepEqual(lastApplied.stringData, { password: "****" });
  assert.equal(maskSecretObject(masked), masked);
  const changed = maskSecretObject({ ...secret, data: { password: base64("other") } });
  assert.ok(maskedValueChanged(masked, changed, "data", "password"));
  assert.ok(!maskedValueChanged(masked, maskSecretObject({ ...secret }), "data", "password"));
});

test("Kube answers Secrets masked, and masks their values in other objects and logs", async () => {
  const secrets = await kube.resolveKind("secrets");
  const secret = await kube.get(secrets, "credentials", "frontend");
  assert.deepEqual(secret.data, { password: "****", pin: "****", blob: "****" });
  const listed = await kube.list(secrets, { namespace: "frontend" });
  assert.ok(listed.items.every((item) => Object.values(item.data ?? {}).every((value) => value === "****")));
  const configMaps = await kube.resolveKind("configmaps");
  const note = await kube.create(configMaps, {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: { name: "copied", namespace: "frontend" },
    data: { note: "the password is s3cr3t-password, base64 " + base64("s3cr3t-password") },
  });
  assert.equal((note.data as Record<string, string>).note, "the password is ****, base64 ****");
  assert.equal(await kube.maskText("x s3cr3t-password x"), "x **** x");
});

test("after the first list, calls send no Secret request; the watch brings changes in", async () => {
  const provider = createKubeProvider({ kubeconfigPaths: [api.kubeconfigPath], readOnly: false });
  const first = await provider.forContext("staging");
  const mark = api.server.requestLog.mark();
  await first.maskText("warm");
  const listing = api.server.requestLog
    .entries({ since: mark })
    .filter((entry) => entry.path.includes("/secrets"));
  assert.equal(listing.length, 1);
  assert.match(
    listing[0]?.path ?? "",
    /fieldSelector=type%21%3Dhelm\.sh%2Frelease\.v1/,
    "Helm release storage is never fetched",
  );
  const secrets = await first.resolveKind("secrets");
  await first.create(secrets, {
    apiVersion: "v1",
    kind: "Secret",
    metadata: { name: "late", namespace: "frontend" },
    stringData: { token: "arrived-L4ter-0042x" },
  });
  const second = await provider.forContext("staging");
  let masked = "";
  for (let attempt = 0; attempt < 200; attempt++) {
    masked = await second.maskText("token arrived-L4ter-0042x");
    if (masked.includes("****")) break;
    await new Promise((resolve) => setImmediate(resolve));
  }
  assert.equal(masked, "token ****");
  const steady = api.server.requestLog.mark();
  for (let call = 0; call < 5; call++) await (await provider.forContext("staging")).maskText("again");
  assert.deepEqual(
    api.server.requestLog.entries({ since: steady }).filter((entry) => entry.verb !== "watch"),
    [],
  );
});

test("a call stops waiting for the Secret list at its own signal; a stuck list does not hold up the next call", async () => {
  const listSignals: AbortSignal[] = [];
  let stuck = true;
  const source: SecretSource = {
    context: "test",
    namespace: "n",
    namespaces: () => Promise.resolve(["n"]),
    list: (_query, signal) => {
      listSignals.push(signal);
      if (!stuck) {
        return Promise.resolve({
          items: [
            {
              apiVersion: "v1",
              kind: "Secret",
              metadata: { name: "s", namespace: "n" },
              stringData: { t: "v4lue-Of-Test" },
            },
          ],
          resourceVersion: "1",
        });
      }
      return new Promise((_, reject) =>
        signal.addEventListener("abort", () => reject(signal.reason), { once: true }),
      );
    },
    watch: (_query, _onEvent, signal) =>
      new Promise((resolve) => signal.addEventListener("abort", () => resolve(), { once: true })),
  };
  const index = new SecretIndex(source, () => {});
  const first = new AbortController();
  const waiting = index.ready(first.signal);
  first.abort(new Error("call timed out"));
  await assert.rejects(waiting, /call timed out/);
  assert.equal(listSignals[0]?.aborted, true, "the list nobody waits for is abandoned");
  stuck = false;
  await index.ready(new AbortController().signal);
  assert.equal(listSignals.length, 2, "the next call started a fresh list");
  assert.equal(
    index.needles.mask("x v4lue-Of-Test x", () => false),
    "x **** x",
  );
  index.stop();
});

/** A source whose identity may list Secrets only in the namespaces `readable` names. */
function namespacedSource(options: { namespaces: string[] | "forbidden"; readable: Set<string> }) {
  const forbidden = (what: string) => new KubeError("Forbidden", `${what} is forbidden`, { status: 403 });
  const watched: (string | undefined)[] = [];
  const listed: (string | undefined)[] = [];
  const source: SecretSource = {
    context: "tenant",
    namespace: "home",
    list: (_query, _signal, namespace) => {
      listed.push(namespace);
      if (namespace === undefined || !options.readable.has(namespace)) {
        return Promise.reject(forbidden(`secrets in ${namespace ?? "all namespaces"}`));
      }
      const secret = {
        apiVersion: "v1",
        kind: "Secret",
        metadata: { name: "creds", namespace },
        stringData: { token: `t0ken-Of-${namespace}` },
      };
      return Promise.resolve({ items: [secret], resourceVersion: "1" });
    },
    watch: (_query, _onEvent, signal, namespace) => {
      watched.push(namespace);
      return new Promise((resolve) => signal.addEventListener("abort", () => resolve(), { once: true }));
    },
    namespaces: () =>
      options.namespaces === "forbidden"
        ? Promise.reject(forbidden("namespaces"))
        : Promise.resolve(options.namespaces),
  };
  return { source, watched, listed };
}

test("an identity that may list Secrets only in some namespaces: those are listed and watched, said once", async () => {
  const { source, watched } = namespacedSource({
    namespaces: ["home", "team-a", "team-b", "team-c"],
    readable: new Set(["team-a", "team-c"]),
  });
  const warnings: string[] = [];
  const index = new SecretIndex(source, (message) => warnings.push(message));
  await index.ready(new AbortController().signal);
  assert.equal(
    index.needles.mask("t0ken-Of-team-a t0ken-Of-team-c t0ken-Of-team-b", never),
    "**** **** t0ken-Of-team-b",
  );
  assert.deepEqual(watched.sort(), ["team-a", "team-c"]);
  assert.deepEqual(warnings, [
    "context tenant: this identity may list Secrets only in some namespaces; masking the values of those it may read: team-a, team-c",
  ]);
  index.stop();
});

test("an identity that may list neither namespaces nor all Secrets: the context's namespace is tried", async () => {
  const { source, listed } = namespacedSource({ namespaces: "forbidden", readable: new Set(["home"]) });
  const index = new SecretIndex(source, () => {});
  await index.ready(new AbortController().signal);
  assert.deepEqual(listed, [undefined, "home"]);
  assert.equal(index.needles.mask("t0ken-Of-home", never), "****");
  index.stop();
});

test("more readable namespaces than watches to spare: listed, and none watched", async () => {
  const namespaces = Array.from({ length: 12 }, (_, number) => `team-${number}`);
  const { source, watched } = namespacedSource({ namespaces, readable: new Set(namespaces) });
  const index = new SecretIndex(source, () => {});
  await index.ready(new AbortController().signal);
  assert.equal(index.needles.mask("t0ken-Of-team-11 t0ken-Of-team-0", never), "**** ****");
  assert.deepEqual(watched, []);
  index.stop();
});
