// Counting and summarising: tokens as a model would see them, medians, ratios.
import { countTokens } from "gpt-tokenizer/encoding/o200k_base";

export const TOKENIZER = "o200k_base (gpt-tokenizer)";

export function tokens(text: string): number {
  return text.length === 0 ? 0 : countTokens(text);
}

export function median(values: number[]): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

/** ours / theirs, or undefined when either side has no number. */
export function ratio(ours: number | undefined, theirs: number | undefined): number | undefined {
  if (ours === undefined || theirs === undefined || !Number.isFinite(ours) || !Number.isFinite(theirs)) {
    return undefined;
  }
  return theirs === 0 ? undefined : Number((ours / theirs).toPrecision(3));
}

/** Milliseconds to a hundredth: finer digits are noise and make results.json unreadable. */
export function roundMs(ms: number): number {
  return Math.round(ms * 100) / 100;
}
