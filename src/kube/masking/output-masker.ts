// The last pass over everything a tool call lets out (answers, errors, progress notifications, the
// call log's copy of the arguments): scanned for the Secret values of every cluster the call used.
import type { Kube } from "../types.ts";

export class OutputMasker {
  readonly #kubes = new Map<string, Kube>();

  /** Records that the call reads through this Kube; its Secrets start loading now, alongside the tool. */
  track(kube: Kube): Kube {
    if (!this.#kubes.has(kube.context)) {
      this.#kubes.set(kube.context, kube);
      kube.maskText("").catch(() => {}); // a failure is reported by the scan that needs it
    }
    return kube;
  }

  /** Whether the call obtained any Kube so far. */
  get tracksAny(): boolean {
    return this.#kubes.size > 0;
  }

  async text(text: string): Promise<string> {
    let masked = text;
    for (const kube of this.#kubes.values()) masked = await kube.maskText(masked);
    return masked;
  }

  /** Every string inside a JSON value (where escaping would hide a value from a scan of its text). */
  async json(value: unknown): Promise<unknown> {
    if (typeof value === "string") return this.text(value);
    if (Array.isArray(value)) return Promise.all(value.map((item) => this.json(item)));
    if (value === null || typeof value !== "object") return value;
    const entries = await Promise.all(
      Object.entries(value).map(async ([key, item]) => [key, await this.json(item)] as const),
    );
    return Object.fromEntries(entries);
  }
}
