import { test } from "node:test";
import assert from "node:assert/strict";
import { RequestLog } from "../src/request-log.ts";
import type { RequestLogEntry } from "../src/types.ts";

function entry(verb: string, overrides: Partial<RequestLogEntry> = {}): RequestLogEntry {
  const method = { create: "POST", update: "PUT", patch: "PATCH", delete: "DELETE" }[verb] ?? "GET";
  return {
    time: new Date(0).toISOString(),
    method,
    path: "/api/v1/namespaces/apps/pods",
    verb,
    user: "admin",
    groups: ["system:masters"],
    status: 200,
    ...overrides,
  };
}

test("entries come back oldest first and can be filtered", () => {
  const log = new RequestLog();
  log.record(entry("list"));
  log.record(
    entry("patch", {
      user: "bob",
      path: "/apis/kustomize.toolkit.fluxcd.io/v1/namespaces/x/kustomizations/a",
    }),
  );
  log.record(entry("get", { user: "bob" }));
  assert.deepEqual(
    log.entries().map((e) => e.verb),
    ["list", "patch", "get"],
  );
  assert.deepEqual(
    log.entries({ user: "bob" }).map((e) => e.verb),
    ["patch", "get"],
  );
  assert.deepEqual(
    log.entries({ method: "patch" }).map((e) => e.verb),
    ["patch"],
  );
  assert.deepEqual(log.entries({ verb: "list" }).length, 1);
  assert.deepEqual(
    log.entries({ pathPrefix: "/apis/kustomize" }).map((e) => e.verb),
    ["patch"],
  );
});

test("the log keeps only the most recent entries up to its capacity", () => {
  const log = new RequestLog({ capacity: 3 });
  for (let i = 0; i < 7; i++) log.record(entry("get", { path: `/${i}` }));
  assert.deepEqual(
    log.entries().map((e) => e.path),
    ["/4", "/5", "/6"],
  );
  assert.throws(() => new RequestLog({ capacity: 0 }), RangeError);
});

test("writesSince(mark) finds writes after the mark, failed ones included", () => {
  const log = new RequestLog();
  log.record(entry("delete"));
  const mark = log.mark();
  log.record(entry("list"));
  log.record(entry("get"));
  assert.deepEqual(log.writesSince(mark), []);
  for (const verb of ["create", "update", "patch", "delete", "deletecollection"]) {
    log.record(entry(verb, { status: 403 }));
  }
  assert.deepEqual(
    log.writesSince(mark).map((e) => e.verb),
    ["create", "update", "patch", "delete", "deletecollection"],
  );
  assert.equal(log.writesSince().length, 6);
});

test("clear() empties the log while earlier marks stay valid", () => {
  const log = new RequestLog({ capacity: 2 });
  log.record(entry("create"));
  const mark = log.mark();
  log.record(entry("patch"));
  log.clear();
  assert.deepEqual(log.entries(), []);
  assert.deepEqual(log.writesSince(mark), []);
  log.record(entry("delete"));
  assert.deepEqual(
    log.writesSince(mark).map((e) => e.verb),
    ["delete"],
  );
});

test("writesSince refuses to answer after the log overflowed past the mark", () => {
  const log = new RequestLog({ capacity: 2 });
  const mark = log.mark();
  log.record(entry("delete"));
  log.record(entry("get"));
  assert.equal(log.writesSince(mark).length, 1);
  log.record(entry("get"));
  assert.throws(() => log.writesSince(mark), /overflowed/);
  assert.deepEqual(log.writesSince(log.mark()), []);
});
