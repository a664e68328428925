// kubectl sends built-in kinds it creates through its typed client (e.g. the reviews of
// `kubectl auth can-i`) as Kubernetes protobuf, never JSON, and gives up on a 415. It accepts a
// JSON answer, so decoding these few request bodies is all it takes.
import protobuf from "protobufjs";
import type { KubeObject } from "../types.ts";

export const KUBERNETES_PROTOBUF_CONTENT_TYPE = "application/vnd.kubernetes.protobuf";

// Field numbers from k8s.io/api/authorization/v1/generated.proto and apimachinery's runtime.Unknown;
// object metadata, extra and uid are left out (the decoder skips unknown fields).
const schema = protobuf.parse(`
  syntax = "proto2";
  message TypeMeta { optional string apiVersion = 1; optional string kind = 2; }
  message Unknown { optional TypeMeta typeMeta = 1; optional bytes raw = 2; }
  message ResourceAttributes {
    optional string namespace = 1; optional string verb = 2; optional string group = 3;
    optional string version = 4; optional string resource = 5; optional string subresource = 6;
    optional string name = 7;
  }
  message NonResourceAttributes { optional string path = 1; optional string verb = 2; }
  message SelfSubjectAccessReviewSpec {
    optional ResourceAttributes resourceAttributes = 1;
    optional NonResourceAttributes nonResourceAttributes = 2;
  }
  message SubjectAccessReviewSpec {
    optional ResourceAttributes resourceAttributes = 1;
    optional NonResourceAttributes nonResourceAttributes = 2;
    optional string user = 3;
    repeated string groups = 4;
  }
  message SelfSubjectRulesReviewSpec { optional string namespace = 1; }
  message SelfSubjectAccessReview { optional SelfSubjectAccessReviewSpec spec = 2; }
  message SubjectAccessReview { optional SubjectAccessReviewSpec spec = 2; }
  message SelfSubjectRulesReview { optional SelfSubjectRulesReviewSpec spec = 2; }
`).root;

const envelopeMagic = Buffer.from("k8s\0", "latin1");
const reviewApiVersion = "authorization.k8s.io/v1";
const reviewKinds = new Set(["SelfSubjectAccessReview", "SubjectAccessReview", "SelfSubjectRulesReview"]);

/**
 * The JSON form of a protobuf-encoded authorization.k8s.io/v1 review, or undefined for anything
 * else (other kinds, malformed bodies): the caller then answers 415 as before.
 */
export function decodeReviewProtobuf(body: Uint8Array): KubeObject | undefined {
  if (!Buffer.from(body.subarray(0, envelopeMagic.length)).equals(envelopeMagic)) return undefined;
  try {
    const envelope = schema.lookupType("Unknown").decode(body.subarray(envelopeMagic.length));
    const { typeMeta, raw } = envelope as unknown as {
      typeMeta?: { apiVersion?: string; kind?: string };
      raw?: Uint8Array;
    };
    const kind = typeMeta?.kind ?? "";
    if (typeMeta?.apiVersion !== reviewApiVersion || !reviewKinds.has(kind) || !raw) return undefined;
    const type = schema.lookupType(kind);
    const { spec = {} } = type.toObject(type.decode(raw));
    return { apiVersion: reviewApiVersion, kind, metadata: {}, spec };
  } catch {
    // protobufjs throws on truncated or mistyped input.
    return undefined;
  }
}
