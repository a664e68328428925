import { test } from "node:test";
import assert from "node:assert/strict";
import { decodeReviewProtobuf } from "../../src/security/review-protobuf.ts";

// Protobuf wire format written out by hand (every length < 128, so one-byte varints), shaped
// like what kubectl 1.32 sends: a "k8s\0" envelope holding runtime.Unknown.
function field(number: number, content: Buffer | string): Buffer {
  const bytes = Buffer.from(content);
  return Buffer.concat([Buffer.from([(number << 3) | 2, bytes.length]), bytes]);
}

function envelope(apiVersion: string, kind: string, raw: Buffer): Buffer {
  const typeMeta = Buffer.concat([field(1, apiVersion), field(2, kind)]);
  return Buffer.concat([Buffer.from("k8s\0", "latin1"), field(1, typeMeta), field(2, raw), field(4, "")]);
}

test("a SelfSubjectRulesReview", () => {
  const raw = Buffer.concat([field(1, ""), field(2, field(1, "apps"))]);
  assert.deepEqual(decodeReviewProtobuf(envelope("authorization.k8s.io/v1", "SelfSubjectRulesReview", raw)), {
    apiVersion: "authorization.k8s.io/v1",
    kind: "SelfSubjectRulesReview",
    metadata: {},
    spec: { namespace: "apps" },
  });
});

test("a SelfSubjectAccessReview with resource attributes", () => {
  const attributes = Buffer.concat([field(1, "apps"), field(2, "get"), field(5, "pods"), field(6, "log")]);
  const raw = Buffer.concat([field(1, ""), field(2, field(1, attributes))]);
  const decoded = decodeReviewProtobuf(envelope("authorization.k8s.io/v1", "SelfSubjectAccessReview", raw));
  assert.deepEqual(decoded?.spec, {
    resourceAttributes: { namespace: "apps", verb: "get", resource: "pods", subresource: "log" },
  });
});

test("a SubjectAccessReview keeps user and repeated groups", () => {
  const spec = Buffer.concat([
    field(2, Buffer.concat([field(1, "/metrics"), field(2, "get")])),
    field(3, "bob"),
    field(4, "a"),
    field(4, "b"),
  ]);
  const decoded = decodeReviewProtobuf(
    envelope("authorization.k8s.io/v1", "SubjectAccessReview", field(2, spec)),
  );
  assert.deepEqual(decoded?.spec, {
    nonResourceAttributes: { path: "/metrics", verb: "get" },
    user: "bob",
    groups: ["a", "b"],
  });
});

test("other kinds, JSON and garbage are not decoded", () => {
  const raw = field(2, field(1, "apps"));
  assert.equal(decodeReviewProtobuf(envelope("v1", "Pod", raw)), undefined);
  assert.equal(decodeReviewProtobuf(Buffer.from('{"kind":"SelfSubjectRulesReview"}')), undefined);
  assert.equal(decodeReviewProtobuf(Buffer.from("k8s\0\x0a\xff\xff", "latin1")), undefined);
});
