// Connects the Flux controller simulation to a cluster: it sees every stored write and writes
// status and events back through the cluster, as the real controllers do through the API.
import { ApiError } from "./api-error.ts";
import type { Cluster } from "./cluster.ts";
import {
  DEFAULT_SIMULATION_TIMING,
  startFluxSimulation,
  type FluxSimulation,
  type FluxSimulationOptions,
} from "./flux-controller.ts";
import type { ResourceType } from "./resources/resource-type.ts";

const FIELD_MANAGER = "flux-controller-simulation";

export function startFluxHost(
  cluster: Cluster,
  timing: FluxSimulationOptions = DEFAULT_SIMULATION_TIMING,
): FluxSimulation {
  const events = () => cluster.registry.byPlural("", "events") as ResourceType;
  return startFluxSimulation(
    {
      existing: () => cluster.registry.all().flatMap((type) => cluster.list(type)),
      subscribe: (listener) =>
        cluster.store.subscribe((change) => listener(change.object, change.type === "DELETED")),
      get(apiVersion, kind, namespace, name) {
        const type = cluster.registry.byKind(apiVersion, kind);
        return type && cluster.find(type, namespace, name);
      },
      writeStatus(object) {
        try {
          // The object's resourceVersion makes the write conditional, as a controller's update is.
          return cluster.update(cluster.typeOf(object), object, {
            subresource: "status",
            fieldManager: FIELD_MANAGER,
          });
        } catch (error) {
          if (error instanceof ApiError && error.code === 409) return undefined;
          throw error;
        }
      },
      recordEvent(event) {
        cluster.create(events(), event, { fieldManager: FIELD_MANAGER });
      },
    },
    timing,
  );
}
