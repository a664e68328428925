// The in-memory API server of the HTTP load, in a thread of its own: the load script's main thread
// runs the 20 MCP clients, and an API server waiting behind them would slow the server under test
// for reasons of the load script's own. Serves the demo fleet and the 10k fleet, as `npm run bench`
// does; posts { kubeconfig, fleet } once it listens; stops on "close".
import { parentPort } from "node:worker_threads";
import { demoClusterSources, loadCluster, startApiServer } from "@flux-mcp/kube-emulator";
import { buildFleetCluster, type FleetSummary } from "./fleet.ts";
import { FLEET_CONTEXT } from "./questions.ts";

export interface ApiServerReady {
  kubeconfig: string;
  fleet: FleetSummary;
}

const now = new Date();
const demo = await Promise.all(demoClusterSources().map((source) => loadCluster(source, now)));
const fleet = await buildFleetCluster(FLEET_CONTEXT, now);
const apiServer = await startApiServer({ clusters: [...demo, fleet.cluster], simulation: false });
const ready: ApiServerReady = { kubeconfig: apiServer.kubeconfig(), fleet: fleet.summary };
parentPort?.postMessage(ready);
parentPort?.on("message", (message: unknown) => {
  if (message !== "close") return;
  void apiServer.close().then(() => parentPort?.close());
});
