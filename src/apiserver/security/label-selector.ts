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

/** An empty selector matches everything, as in Kubernetes. */
export function matchesLabelSelector(selector: LabelSelector, labels: Record<string, string> = {}): boolean {
  const labelsMatch = Object.entries(selector.matchLabels ?? {}).every(
    ([key, value]) => labels[key] === value,
  );
  return (
    labelsMatch &&
    (selector.matchExpressions ?? []).every(({ key, operator, values = [] }) => {
      const present = Object.hasOwn(labels, key);
      switch (operator) {
        case "In":
          return present && values.includes(labels[key] ?? "");
        case "NotIn":
          return !present || !values.includes(labels[key] ?? "");
        case "Exists":
          return present;
        case "DoesNotExist":
          return !present;
      }
    })
  );
}
