// Watches: a chunked stream of JSON watch events, resuming from a resourceVersion through the
// store's history (410 Gone when it no longer reaches back that far), as kube-apiserver does.
import { ApiError } from "./api-error.ts";
import { parseListQuery } from "./list-query.ts";
import { renderObject, type Rendering } from "./output-format.ts";
import { clientView, type ResourceRequest } from "./resource-handler.ts";
import { apiVersionOf } from "./resources/resource-type.ts";
import type { StoreChange, WatchEventType } from "./store.ts";
import type { KubeObject } from "./types.ts";

export function serveWatch(request: ResourceRequest, rendering: Rendering): void {
  const { cluster, type, res, req, query } = request;
  const collection = cluster.collectionOf(type);
  const namespace = type.namespaced ? request.path.namespace : undefined;
  const listQuery = parseListQuery(query, type, clientView(request));
  const byName = request.path.name;
  const fits = (object: KubeObject) =>
    (namespace === undefined || object.metadata.namespace === namespace) &&
    (byName === undefined || object.metadata.name === byName) &&
    listQuery.matches(object);

  res.writeHead(200, { "Content-Type": "application/json", "Transfer-Encoding": "chunked" });
  res.flushHeaders();
  const send = (type: WatchEventType | "BOOKMARK" | "ERROR", object: unknown) => {
    res.write(`${JSON.stringify({ type, object })}\n`);
  };
  const sendChange = (change: StoreChange) => {
    if (change.collection === collection && fits(change.object)) {
      send(change.type, renderObject(rendering, change.object));
    }
  };

  const since = query.get("resourceVersion");
  const sendInitialEvents = query.get("sendInitialEvents") === "true";
  if (!since || since === "0" || sendInitialEvents) {
    for (const object of cluster.store.list(collection, namespace).filter(fits)) {
      send("ADDED", renderObject(rendering, object));
    }
    if (sendInitialEvents) {
      send("BOOKMARK", {
        kind: type.kind,
        apiVersion: apiVersionOf(type.group, rendering.version),
        metadata: {
          resourceVersion: String(cluster.store.revision()),
          annotations: { "k8s.io/initial-events-end": "true" },
        },
      });
    }
  } else {
    const changes = cluster.store.changesSince(Number(since));
    if (!changes) {
      const gone = new ApiError(
        410,
        "Expired",
        `too old resource version: ${since} (${cluster.store.revision()})`,
      );
      send("ERROR", gone.toStatus());
      res.end();
      return;
    }
    for (const change of changes) sendChange(change);
  }

  const unsubscribe = cluster.store.subscribe(sendChange);
  const timeoutSeconds = Number(query.get("timeoutSeconds") ?? "1800");
  const timer = setTimeout(() => res.end(), Math.max(1, timeoutSeconds) * 1000);
  timer.unref();
  const stop = () => {
    clearTimeout(timer);
    unsubscribe();
  };
  req.once("close", stop);
  res.once("close", stop);
  res.once("finish", stop);
}
