// `flux-mcp snapshot`: writes a support bundle of one context into a YAML file, Secret values
// masked, that `flux-mcp serve --snapshot FILE` serves read-only to whoever has no cluster access.
import { writeFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import { stringify } from "yaml";
import { takeSnapshot } from "../flux/snapshot.ts";
import { createKubeProvider } from "../kube/provider.ts";
import type { Kube } from "../kube/types.ts";
import { UsageError } from "./usage-error.ts";
import { kubeconfigPathsFrom } from "./kubeconfig-paths.ts";

export const SNAPSHOT_HELP = `Usage: flux-mcp snapshot [--context NAME] -o FILE [--kubeconfig FILE]

Writes what flux-mcp's tools read from a cluster (Flux CRDs and objects with their status, events,
workloads and pods, log tails of troubled pods, metrics) into one YAML file. Secrets are left out
and any Secret value found elsewhere is masked. 'flux-mcp serve --snapshot FILE' serves it.

  --context NAME        kubeconfig context (default: the current context)
  -o, --output FILE     the file to write
  --kubeconfig FILE     kubeconfig to use instead of KUBECONFIG or ~/.kube/config
  -h, --help            show this help`;

export async function runSnapshotCommand(args: string[]): Promise<void> {
  const { values } = parse(args);
  if (values.help) {
    console.log(SNAPSHOT_HELP);
    return;
  }
  if (!values.output) throw new UsageError("snapshot: -o FILE is required: where to write the snapshot");
  const provider = createKubeProvider({
    kubeconfigPaths: kubeconfigPathsFrom(values.kubeconfig, process.env.KUBECONFIG),
    readOnly: true,
    ...(values.context && { context: values.context }),
  });
  const kube = await provider.forContext(values.context, AbortSignal.timeout(600_000));
  const cluster =
    (await provider.contexts()).find((context) => context.name === kube.context)?.cluster ?? kube.context;
  const documents = await takeSnapshot(kube, cluster, showProgress);
  if (process.stderr.isTTY) process.stderr.write("\n");
  // Read through a masking Kube, every object and log came masked; each string is scanned once
  // more, as every answer is, before YAML is written (so that a mask is always a quoted scalar).
  const maskedDocuments = await Promise.all(documents.map((document) => masked(document, kube)));
  const text = maskedDocuments.map((document) => `---\n${stringify(document, { lineWidth: 0 })}`).join("");
  await writeFile(values.output, text, { mode: 0o600 });
  console.error(
    `flux-mcp: wrote ${documents.length} objects of context ${kube.context} (cluster ${cluster}) to ${values.output}`,
  );
}

/** Every string in the value, keys included, as the masking module lets it out. */
async function masked(value: unknown, kube: Kube): Promise<unknown> {
  if (typeof value === "string") return kube.maskText(value);
  if (Array.isArray(value)) return Promise.all(value.map((item) => masked(item, kube)));
  if (typeof value === "object" && value !== null) {
    const entries = await Promise.all(
      Object.entries(value).map(async ([key, item]) => [await kube.maskText(key), await masked(item, kube)]),
    );
    return Object.fromEntries(entries);
  }
  return value;
}

/** A progress bar on a terminal; nothing when stderr is a file or a pipe. */
function showProgress(step: string, done: number, total: number): void {
  if (!process.stderr.isTTY) return;
  const width = 30;
  const filled = Math.round((done / total) * width);
  process.stderr.write(
    `\r[${"#".repeat(filled)}${" ".repeat(width - filled)}] ${done}/${total} ${step.padEnd(32)}`,
  );
}

function parse(args: string[]) {
  try {
    return parseArgs({
      args,
      options: {
        context: { type: "string" },
        output: { type: "string", short: "o" },
        kubeconfig: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
      allowPositionals: false,
    });
  } catch (error) {
    throw new UsageError(`snapshot: ${(error as Error).message}`);
  }
}
