// Right after the MCP handshake, in the background: the Kubernetes provider and the default
// context's client with its discovery, first connection and Secret index (for masking), so that
// the first tool call finds them ready instead of paying for them. Nothing here is required: a
// failure is left for the first call to meet and report. Over stdio, when the initialize was
// answered early, `serve` has already begun it before the server loaded; this then finds it begun.
import type { CallRuntime } from "./tool-call.ts";

const warmed = new WeakSet<CallRuntime>();

/** Starts the warm-up once per process (every HTTP session calls it). */
export function warmUp(runtime: CallRuntime): void {
  if (warmed.has(runtime)) return;
  warmed.add(runtime);
  warmUpProvider(runtime).catch(() => {
    // The first call tries again and reports what is wrong, in its own words.
    warmed.delete(runtime);
  });
}

async function warmUpProvider(runtime: CallRuntime): Promise<void> {
  const provider = await runtime.provider();
  await provider.warmUp();
}
