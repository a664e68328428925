// The module hooks of sdk-gate.ts (they run on Node's loader thread).
import { existsSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";

interface Loaded {
  source?: string | ArrayBuffer | Uint8Array | null;
}

type NextLoad = (url: string, context: unknown) => Promise<Loaded>;

const SDK_MARK = "node_modules/@modelcontextprotocol/";

export async function load(url: string, context: unknown, nextLoad: NextLoad): Promise<Loaded> {
  const loaded = await nextLoad(url, context);
  const gate = process.env.FLUX_MCP_TEST_SDK_GATE;
  if (gate && url.includes("/chunks/") && sourceText(loaded).includes(SDK_MARK)) {
    while (!existsSync(gate)) await sleep(10);
  }
  return loaded;
}

function sourceText(loaded: Loaded): string {
  const source = loaded.source;
  if (source === undefined || source === null) return "";
  return typeof source === "string" ? source : Buffer.from(source as ArrayBuffer).toString("utf8");
}
