import { test, before, after, afterEach } from "node:test";
import assert from "node:assert/strict";
import type { IncomingMessage } from "node:http";
import { setTimeout as sleep } from "node:timers/promises";
import { FaultInjector } from "../src/faults.ts";
import type { RequestAttributes } from "../src/types.ts";
import { request, startHttpServer, type TestServer } from "./security/http-helpers.ts";

const verbs: Record<string, string> = { GET: "get", POST: "create", PATCH: "patch", DELETE: "delete" };

/** Stand-in for the core's attributes: the verb from the method, the user from a header. */
function attributesOf(req: IncomingMessage): RequestAttributes {
  const user = String(req.headers["x-user"] ?? "admin");
  return {
    identity: { user, groups: [] },
    verb: verbs[req.method ?? ""] ?? "get",
    apiGroup: "",
    resource: "pods",
  };
}

const injector = new FaultInjector({ seed: 42 });
/** What every intercept() call resolved to, in order. */
const intercepted: boolean[] = [];
let server: TestServer;

before(async () => {
  server = await startHttpServer(async (req, res) => {
    const handled = await injector.intercept(req, res, attributesOf(req));
    intercepted.push(handled);
    if (!handled) res.end("ok");
  });
});

afterEach(() => {
  injector.clear();
  intercepted.length = 0;
});

after(() => server.close());

test("without faults requests go through", async () => {
  const res = await request(server.port);
  assert.equal(res.body, "ok");
  assert.deepEqual(intercepted, [false]);
});

test("an error fault answers with a Kubernetes Status", async () => {
  injector.add({ kind: "error", status: 503 });
  const res = await request(server.port, { path: "/api/v1/pods?limit=1" });
  assert.equal(res.status, 503);
  assert.match(String(res.headers["content-type"]), /^application\/json/);
  assert.deepEqual(JSON.parse(res.body), {
    kind: "Status",
    apiVersion: "v1",
    metadata: {},
    status: "Failure",
    message: "injected fault",
    reason: "ServiceUnavailable",
    code: 503,
  });
  assert.deepEqual(intercepted, [true]);
  injector.clear();
  injector.add({ kind: "error", status: 500, message: "etcd is on fire" });
  const internal = JSON.parse((await request(server.port)).body);
  assert.equal(internal.reason, "InternalError");
  assert.equal(internal.message, "etcd is on fire");
});

test("a throttle fault answers 429 with Retry-After", async () => {
  injector.add({ kind: "throttle", retryAfterSeconds: 3 });
  const res = await request(server.port);
  assert.equal(res.status, 429);
  assert.equal(res.headers["retry-after"], "3");
  const status = JSON.parse(res.body);
  assert.equal(status.reason, "TooManyRequests");
  assert.deepEqual(status.details, { retryAfterSeconds: 3 });
});

test("an error fault that asks to come back carries Retry-After, as kube-apiserver sends it", async () => {
  injector.add({ kind: "error", status: 503, retryAfterSeconds: 2 });
  const res = await request(server.port);
  assert.equal(res.status, 503);
  assert.equal(res.headers["retry-after"], "2");
  const status = JSON.parse(res.body);
  assert.equal(status.reason, "ServiceUnavailable");
  assert.deepEqual(status.details, { retryAfterSeconds: 2 });
});

test("a drop fault closes the connection without an answer", async () => {
  injector.add({ kind: "drop" });
  await assert.rejects(request(server.port), (error: NodeJS.ErrnoException) => {
    assert.equal(error.code, "ECONNRESET");
    assert.match(error.message, /socket hang up/);
    return true;
  });
});

test("a latency fault delays, then lets the request through", async () => {
  injector.add({ kind: "latency", delayMs: 120 });
  const started = performance.now();
  const res = await request(server.port);
  assert.equal(res.body, "ok");
  // Loose on purpose: timers may fire a little early or late.
  assert.ok(performance.now() - started >= 100);
});

test("latency combines with a later fault", async () => {
  injector.add({ kind: "latency", delayMs: 50 });
  injector.add({ kind: "error", status: 500 });
  const started = performance.now();
  assert.equal((await request(server.port)).status, 500);
  assert.ok(performance.now() - started >= 40);
});

test("`times` limits how often a fault fires, and list() shows it", async () => {
  const id = injector.add({ kind: "error", status: 500, times: 2 });
  const statuses = [];
  for (let i = 0; i < 3; i++) statuses.push((await request(server.port)).status);
  assert.deepEqual(statuses, [500, 500, 200]);
  assert.deepEqual(injector.list(), [{ id, rule: { kind: "error", status: 500, times: 2 }, fired: 2 }]);
});

test("faults match on method, path prefix, verb and user", async () => {
  injector.add({ kind: "error", status: 500, method: "delete" });
  injector.add({ kind: "error", status: 502, pathPrefix: "/apis/kustomize.toolkit.fluxcd.io" });
  injector.add({ kind: "error", status: 503, verb: "patch" });
  injector.add({ kind: "error", status: 504, user: "bob" });
  assert.equal((await request(server.port, { method: "DELETE" })).status, 500);
  assert.equal((await request(server.port, { path: "/apis/kustomize.toolkit.fluxcd.io/v1" })).status, 502);
  assert.equal((await request(server.port, { path: "/apis/source.toolkit.fluxcd.io/v1" })).status, 200);
  assert.equal((await request(server.port, { method: "PATCH" })).status, 503);
  assert.equal((await request(server.port, { headers: { "x-user": "bob" } })).status, 504);
  assert.equal((await request(server.port, { headers: { "x-user": "alice" } })).status, 200);
});

test("verb and user conditions never match before attributes are known", async () => {
  const early = new FaultInjector();
  early.add({ kind: "drop", verb: "get" });
  const req = { method: "GET", url: "/", socket: { destroy: () => assert.fail("dropped") } };
  assert.equal(await early.intercept(req as unknown as IncomingMessage, {} as never, undefined), false);
});

test("remove() and clear() switch faults off", async () => {
  const id = injector.add({ kind: "error", status: 500 });
  assert.equal(injector.remove(id), true);
  assert.equal(injector.remove(id), false);
  assert.equal((await request(server.port)).status, 200);
  injector.add({ kind: "error", status: 500 });
  injector.clear();
  assert.deepEqual(injector.list(), []);
  assert.equal((await request(server.port)).status, 200);
});

test("probability is deterministic for a given seed", async () => {
  const pattern = async (seed: number) => {
    const seeded = new FaultInjector({ seed });
    seeded.add({ kind: "error", status: 500, probability: 0.5 });
    const fired: boolean[] = [];
    const res = { writeHead: () => res, end: () => res };
    for (let i = 0; i < 40; i++) {
      const req = { method: "GET", url: "/" } as IncomingMessage;
      fired.push(await seeded.intercept(req, res as never, undefined));
    }
    return fired;
  };
  const first = await pattern(7);
  assert.deepEqual(await pattern(7), first);
  assert.notDeepEqual(await pattern(8), first);
  const count = first.filter(Boolean).length;
  assert.ok(count > 5 && count < 35, `fired ${count} of 40`);
});

test(
  "a request waiting on latency is released when the server closes its connections",
  { timeout: 5_000 },
  async () => {
    const slow = new FaultInjector();
    slow.add({ kind: "latency", delayMs: 60_000 });
    let handled: Promise<boolean> | undefined;
    const own = await startHttpServer((req, res) => {
      handled = slow.intercept(req, res, undefined);
    });
    const response = request(own.port).catch((error: Error) => error);
    while (slow.list()[0]?.fired !== 1) await sleep(5);
    await own.close();
    assert.ok((await response) instanceof Error);
    assert.equal(await handled, true);
  },
);
