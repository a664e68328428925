// How long the in-memory API server takes to build a generated fleet, and to list it: the
// emulator's own cost at scale, apart from any MCP server. Not part of the test suite.
//
//   node bench/fleet-build.ts [--flux-objects 50000]
import { benchArguments } from "./arguments.ts";
import { buildFleetCluster, fleetNamespaces } from "./fleet.ts";

const FLUX_OBJECTS_PER_NAMESPACE = 50;
const values = benchArguments(import.meta.url, { "flux-objects": { type: "string", default: "50000" } });
const namespaces = fleetNamespaces(Math.ceil(Number(values["flux-objects"]) / FLUX_OBJECTS_PER_NAMESPACE));

const started = performance.now();
const { cluster, summary } = await buildFleetCluster("fleet", new Date(), namespaces);
const buildSeconds = (performance.now() - started) / 1000;
const type = cluster.registry.byKind("kustomize.toolkit.fluxcd.io/v1", "Kustomization");
if (!type) throw new Error("the fleet has no Kustomization kind");
const listStarted = performance.now();
for (const namespace of namespaces) cluster.list(type, namespace);
const namespaceListsMs = performance.now() - listStarted;
process.stdout.write(
  `${JSON.stringify({
    fluxObjects: summary.fluxObjects,
    apiObjects: summary.apiObjects,
    buildSeconds: Number(buildSeconds.toFixed(2)),
    everyNamespaceListMs: Math.round(namespaceListsMs),
    peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
  })}\n`,
);
