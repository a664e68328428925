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

/** A measurement's middle and how far it strays: the median and the 10th and 90th percentiles. */
export interface Spread {
  n: number;
  median: number;
  p10: number;
  p90: number;
}

/** Linear interpolation between the closest ranks, as most statistics packages do. */
export function percentile(values: number[], fraction: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const position = (sorted.length - 1) * fraction;
  const below = Math.floor(position);
  const low = sorted[below] as number;
  const high = sorted[Math.min(below + 1, sorted.length - 1)] as number;
  return low + (high - low) * (position - below);
}

export function spread(values: number[]): Spread {
  const finite = values.filter((value) => Number.isFinite(value));
  const round = (value: number) => Number(value.toPrecision(4));
  return {
    n: finite.length,
    median: round(median(finite)),
    p10: round(percentile(finite, 0.1)),
    p90: round(percentile(finite, 0.9)),
  };
}

/** Each item once, the order turned by `by` places: who goes first changes from round to round. */
export function rotated<Item>(items: Item[], by: number): Item[] {
  if (items.length === 0) return [];
  const start = ((by % items.length) + items.length) % items.length;
  return [...items.slice(start), ...items.slice(0, start)];
}
