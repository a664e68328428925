// Resources that are computed, not stored: access reviews (what `kubectl auth can-i` creates) and
// the metrics.k8s.io API (what `kubectl top` reads).
import { badRequest, methodNotAllowed, notFound } from "./api-error.ts";
import { parseBody, readBody, sendJson } from "./http-io.ts";
import { parseListQuery } from "./list-query.ts";
import { nodeMetrics, nodeMetricsList, podMetrics, podMetricsList } from "./metrics-api.ts";
import type { ResourceType } from "./resources/resource-type.ts";
import type { ResourceRequest } from "./resource-handler.ts";
import {
  selfSubjectAccessReview,
  selfSubjectRulesReview,
  subjectAccessReview,
} from "./security/access-reviews.ts";
import { decodeReviewProtobuf, KUBERNETES_PROTOBUF_CONTENT_TYPE } from "./security/review-protobuf.ts";
import type { Identity, KubeObject } from "./types.ts";

export async function serveVirtual(request: ResourceRequest, identity: Identity): Promise<void> {
  const { type, verb } = request;
  if (!type.verbs.includes(verb)) throw methodNotAllowed();
  if (type.group === "authorization.k8s.io") return serveReview(request, identity);
  return serveMetrics(request);
}

async function serveReview(request: ResourceRequest, identity: Identity): Promise<void> {
  const { cluster, type, req, res } = request;
  const body = await readBody(req);
  const contentType = req.headers["content-type"] ?? "application/json";
  const review = contentType.startsWith(KUBERNETES_PROTOBUF_CONTENT_TYPE)
    ? decodeReviewProtobuf(body)
    : parseBody(body, contentType);
  if (typeof review !== "object" || review === null) throw badRequest(`a ${type.kind} body is required`);
  const answers: Record<string, () => KubeObject> = {
    SelfSubjectAccessReview: () => selfSubjectAccessReview(review, identity, cluster.authorize),
    SubjectAccessReview: () => subjectAccessReview(review, cluster.authorize),
    SelfSubjectRulesReview: () => selfSubjectRulesReview(review, identity, cluster.rbac),
  };
  const answer = answers[type.kind];
  if (!answer) throw methodNotAllowed();
  sendJson(res, 201, answer());
}

function serveMetrics(request: ResourceRequest): void {
  const { cluster, type, path, res } = request;
  const query = parseListQuery(request.query, type);
  const pods = cluster.registry.byPlural("", "pods") as ResourceType;
  const nodes = cluster.registry.byPlural("", "nodes") as ResourceType;
  const findPod = (namespace: string, name: string) => cluster.find(pods, namespace, name);
  const findNode = (name: string) => cluster.find(nodes, "", name);
  if (path.name === undefined) {
    const list =
      type.plural === "pods"
        ? podMetricsList(cluster.podMetrics, path.namespace, query.matches, findPod)
        : nodeMetricsList(cluster.nodeMetrics, query.matches, findNode);
    return sendJson(res, 200, list);
  }
  const name = path.name;
  const namespace = path.namespace ?? "";
  const item =
    type.plural === "pods"
      ? metricsOf(cluster.podMetrics, namespace, name, findPod(namespace, name), podMetrics)
      : metricsOf(cluster.nodeMetrics, "", name, findNode(name), nodeMetrics);
  if (!item) throw notFound(type, name);
  sendJson(res, 200, item);
}

/** The stored metrics of one pod or node that exists, shaped by `build`. */
function metricsOf(
  documents: KubeObject[],
  namespace: string,
  name: string,
  owner: KubeObject | undefined,
  build: (document: KubeObject, owner: KubeObject) => KubeObject,
): KubeObject | undefined {
  const document = documents.find(
    (candidate) => candidate.metadata.name === name && (candidate.metadata.namespace ?? "") === namespace,
  );
  return document && owner && build(document, owner);
}
