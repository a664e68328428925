// Connects the Flux controller simulation to a cluster: it sees every stored write and writes
// status and events back through the cluster, as the real controllers do through the API.
import type { Cluster } from "./cluster.ts";
import {
  DEFAULT_SIMULATION_TIMING,
  startFluxSimulation,
  type FluxSimulation,
  type FluxSimulationOptions,
} from "./flux-controller.ts";
import type { ResourceType } from "./resources/resource-type.ts";

export function startFluxHost(
  cluster: Cluster,
  timing: FluxSimulationOptions = DEFAULT_SIMULATION_TIMING,
): FluxSimulation {
  const events = () => cluster.registry.byPlural("", "events") as ResourceType;
  return startFluxSimulation(
    {
      subscribe: (listener) =>
        cluster.store.subscribe((change) => {
          if (change.type !== "DELETED") listener(change.object);
        }),
      get(apiVersion, kind, namespace, name) {
        const type = cluster.registry.byKind(apiVersion, kind);
        return type && cluster.find(type, namespace, name);
      },
      writeStatus(object) {
        const type = cluster.typeOf(object);
        const { resourceVersion: _ignored, ...metadata } = object.metadata;
        cluster.update(
          type,
          { ...object, metadata },
          { subresource: "status", fieldManager: "flux-controller-simulation" },
        );
      },
      recordEvent(event) {
        cluster.create(events(), event, { fieldManager: "flux-controller-simulation" });
      },
    },
    timing,
  );
}
