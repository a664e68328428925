// The structured LabelSelector of the Kubernetes API (matchLabels + matchExpressions), as found
// in aggregationRule.clusterRoleSelectors, spec.selector of workloads, etc.
import { z } from "zod";

export const labelSelectorSchema = z.object({
  matchLabels: z.record(z.string(), z.string()).optional(),
  matchExpressions: z
    .array(
      z.object({
        key: z.string(),
        operator: z.enum(["In", "NotIn", "Exists", "DoesNotExist"]),
        values: z.array(z.string()).optional(),
      }),
    )
    .optional(),
});

export type LabelSelector = z.infer<typeof labelSelectorSchema>;

/**
 * One requirement of a selector. Gt and Lt exist only in the string syntax (`replicas>2`), never in
 * the structured form, which is why the schema above does not accept them.
 */
export interface LabelRequirement {
  key: string;
  operator: "In" | "NotIn" | "Exists" | "DoesNotExist" | "Gt" | "Lt";
  values?: string[];
}

/** An empty selector matches everything, as in Kubernetes. */
export function matchesLabelSelector(selector: LabelSelector, labels: Record<string, string> = {}): boolean {
  const labelsMatch = Object.entries(selector.matchLabels ?? {}).every(
    ([key, value]) => Object.hasOwn(labels, key) && labels[key] === value,
  );
  return (
    labelsMatch &&
    (selector.matchExpressions ?? []).every((requirement) => matchesLabelRequirement(requirement, labels))
  );
}

export function matchesLabelRequirement(
  { key, operator, values = [] }: LabelRequirement,
  labels: Record<string, string> = {},
): boolean {
  const present = Object.hasOwn(labels, key);
  const value = labels[key] ?? "";
  switch (operator) {
    case "In":
      return present && values.includes(value);
    case "NotIn":
      return !present || !values.includes(value);
    case "Exists":
      return present;
    case "DoesNotExist":
      return !present;
    case "Gt":
    case "Lt": {
      // Both sides must read as 64-bit integers; anything else simply does not match.
      const actual = present ? parseInt64(value) : undefined;
      const bound = values.length === 1 ? parseInt64(values[0] ?? "") : undefined;
      if (actual === undefined || bound === undefined) return false;
      return operator === "Gt" ? actual > bound : actual < bound;
    }
  }
}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** Go's strconv.ParseInt(text, 10, 64): optional sign, decimal digits, within int64. */
export function parseInt64(text: string): bigint | undefined {
  if (!/^[+-]?\d+$/.test(text)) return undefined;
  const value = BigInt(text);
  return value < INT64_MIN || value > INT64_MAX ? undefined : value;
}
