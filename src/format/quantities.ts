// Kubernetes resource quantities ("250m", "123456789n", "45Mi", "1.5Gi", "1e3") read as numbers, and
// CPU and memory printed the way `kubectl top` does: millicores and mebibytes.

const SUFFIX_FACTORS: Record<string, number> = {
  n: 1e-9,
  u: 1e-6,
  m: 1e-3,
  "": 1,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};

const QUANTITY = /^([+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?)(n|u|m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)?$/;

/** The quantity in base units (cores, bytes), or undefined when it is not a quantity. */
export function parseQuantity(text: string): number | undefined {
  const match = QUANTITY.exec(text.trim());
  if (!match) return undefined;
  return Number(match[1]) * (SUFFIX_FACTORS[match[2] ?? ""] ?? 1);
}

/** Cores as millicores, rounded up like kubectl top: "4m". */
export function formatCpu(cores: number): string {
  return `${Math.ceil(Math.round(cores * 1e9) / 1e6)}m`;
}

/** Bytes as mebibytes ("45Mi"), or kibibytes below one mebibyte. */
export function formatMemory(bytes: number): string {
  if (bytes > 0 && bytes < 2 ** 20) return `${Math.ceil(bytes / 2 ** 10)}Ki`;
  return `${Math.round(bytes / 2 ** 20)}Mi`;
}
