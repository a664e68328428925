// A kubeconfig whose credentials are files, as a pod's are (its service account token and CA are
// mounted files): for the benches that measure what reading them on requests costs.
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { parse, stringify } from "yaml";

/**
 * The kubeconfig with every `*-data` entry written to a file under `directory` and named by its
 * path instead; answers the new kubeconfig's path.
 */
export async function withCredentialFiles(kubeconfig: string, directory: string): Promise<string> {
  const config = parse(kubeconfig) as Record<
    "clusters" | "users",
    { name: string; [section: string]: unknown }[]
  >;
  const files = join(directory, "credentials");
  await mkdir(files, { recursive: true });
  for (const [list, section] of [
    [config.clusters, "cluster"],
    [config.users, "user"],
  ] as const) {
    for (const entry of list) {
      const fields = entry[section] as Record<string, unknown>;
      for (const [field, value] of Object.entries(fields)) {
        if (!field.endsWith("-data") || typeof value !== "string") continue;
        const file = join(files, `${entry.name}-${field.slice(0, -"-data".length)}`);
        await writeFile(file, Buffer.from(value, "base64"), { mode: 0o600 });
        delete fields[field];
        fields[field.slice(0, -"-data".length)] = file;
      }
    }
  }
  const path = join(directory, "kubeconfig-files.yaml");
  await writeFile(path, stringify(config), { mode: 0o600 });
  return path;
}
