// `flux-mcp apiserver`: placeholder until the in-memory API server lands.
import { UsageError } from "./usage-error.ts";

export async function runApiServerCommand(_args: string[]): Promise<void> {
  throw new UsageError("apiserver is not built yet");
}
