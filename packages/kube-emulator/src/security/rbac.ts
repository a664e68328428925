// Role-based access control evaluated from real rbac.authorization.k8s.io/v1 objects, following
// kube-apiserver's RBAC authorizer: ClusterRoleBindings apply everywhere, RoleBindings only in
// their namespace (also when they grant a ClusterRole), and a request is allowed when any rule of
// any bound role allows it.
import { z } from "zod";
import type { Identity, KubeObject, RequestAttributes } from "../types.ts";
import { labelSelectorSchema, matchesLabelSelector } from "./label-selector.ts";

export interface RbacSource {
  clusterRoles(): KubeObject[];
  clusterRoleBindings(): KubeObject[];
  roles(namespace: string): KubeObject[];
  roleBindings(namespace: string): KubeObject[];
}

interface AuthorizationDecision {
  allowed: boolean;
  /** Kubernetes wording, e.g. `RBAC: allowed by ClusterRoleBinding "x" of ClusterRole "y" to User "z"`. */
  reason: string;
}

export type Authorizer = (attrs: RequestAttributes) => AuthorizationDecision;

/** Members are allowed everything without any binding, like kube-apiserver's privileged group. */
const MASTERS_GROUP = "system:masters";

const serviceAccountUserPrefix = "system:serviceaccount:";

const stringList = z.array(z.string()).default([]);

const policyRuleSchema = z.object({
  verbs: stringList,
  apiGroups: stringList,
  resources: stringList,
  resourceNames: stringList,
  nonResourceURLs: stringList,
});

export type PolicyRule = z.infer<typeof policyRuleSchema>;

const roleSchema = z.object({
  metadata: z.object({ name: z.string(), labels: z.record(z.string(), z.string()).optional() }),
  rules: z.array(policyRuleSchema).nullish(),
  aggregationRule: z.object({ clusterRoleSelectors: z.array(labelSelectorSchema).nullish() }).nullish(),
});

type Role = z.infer<typeof roleSchema>;

const subjectSchema = z.object({ kind: z.string(), name: z.string(), namespace: z.string().optional() });

type Subject = z.infer<typeof subjectSchema>;

const bindingSchema = z.object({
  metadata: z.object({ name: z.string(), namespace: z.string().optional() }),
  subjects: z.array(subjectSchema).nullish(),
  roleRef: z.object({ kind: z.string(), name: z.string() }),
});

type Binding = z.infer<typeof bindingSchema>;

/** Rules granted to an identity through one binding. */
interface Grant {
  rules: PolicyRule[];
  /** How Kubernetes names the binding in an "allowed by" reason. */
  description: string;
}

export function createAuthorizer(rbac: RbacSource): Authorizer {
  return (attrs) => {
    if (attrs.identity.groups.includes(MASTERS_GROUP)) return { allowed: true, reason: "" };
    // Non-resource URLs are cluster-wide: only ClusterRoleBindings can grant them.
    const namespace = attrs.nonResourcePath === undefined ? attrs.namespace : undefined;
    const errors: string[] = [];
    for (const grant of grantsFor(rbac, attrs.identity, namespace, errors)) {
      if (grant.rules.some((rule) => ruleAllows(rule, attrs))) {
        return { allowed: true, reason: `RBAC: allowed by ${grant.description}` };
      }
    }
    return { allowed: false, reason: errors.length > 0 ? `RBAC: ${aggregateErrors(errors)}` : "" };
  };
}

export interface GrantedRules {
  rules: PolicyRule[];
  /** Dangling role references met on the way, in Kubernetes wording; rules may be incomplete. */
  errors: string[];
}

/** Every rule that applies to `identity` in `namespace` (cluster-wide rules only when undefined). */
export function rulesFor(rbac: RbacSource, identity: Identity, namespace: string | undefined): GrantedRules {
  if (identity.groups.includes(MASTERS_GROUP)) {
    return {
      rules: [
        { verbs: ["*"], apiGroups: ["*"], resources: ["*"], resourceNames: [], nonResourceURLs: [] },
        { verbs: ["*"], apiGroups: [], resources: [], resourceNames: [], nonResourceURLs: ["*"] },
      ],
      errors: [],
    };
  }
  const errors: string[] = [];
  const rules = [...grantsFor(rbac, identity, namespace, errors)].flatMap((grant) => grant.rules);
  return { rules, errors };
}

function* grantsFor(
  rbac: RbacSource,
  identity: Identity,
  namespace: string | undefined,
  errors: string[],
): Generator<Grant> {
  const clusterRoles = parseAll(rbac.clusterRoles(), roleSchema);
  const clusterRoleRules = (name: string): PolicyRule[] | undefined => {
    const role = clusterRoles.find((candidate) => candidate.metadata.name === name);
    return role && aggregatedRules(role, clusterRoles, new Set());
  };

  for (const binding of parseAll(rbac.clusterRoleBindings(), bindingSchema)) {
    const subject = matchingSubject(binding, identity, "");
    if (!subject || binding.roleRef.kind !== "ClusterRole") continue;
    const rules = clusterRoleRules(binding.roleRef.name);
    if (!rules) {
      errors.push(notFound("clusterrole", binding.roleRef.name));
      continue;
    }
    yield {
      rules,
      description: describeGrant("ClusterRoleBinding", binding.metadata.name, binding, subject, ""),
    };
  }

  if (namespace === undefined) return;
  const roles = parseAll(rbac.roles(namespace), roleSchema);
  for (const binding of parseAll(rbac.roleBindings(namespace), bindingSchema)) {
    const subject = matchingSubject(binding, identity, namespace);
    if (!subject) continue;
    const { kind, name } = binding.roleRef;
    const role = kind === "Role" ? roles.find((candidate) => candidate.metadata.name === name) : undefined;
    const rules = kind === "ClusterRole" ? clusterRoleRules(name) : role && (role.rules ?? []);
    if (!rules) {
      errors.push(notFound(kind === "ClusterRole" ? "clusterrole" : "role", name));
      continue;
    }
    const bindingName = `${binding.metadata.name}/${namespace}`;
    yield { rules, description: describeGrant("RoleBinding", bindingName, binding, subject, namespace) };
  }
}

// The aggregation controller of a real cluster copies the selected roles' rules into the
// aggregated role; without that controller the union is computed on every evaluation.
function aggregatedRules(role: Role, clusterRoles: Role[], visited: Set<string>): PolicyRule[] {
  visited.add(role.metadata.name);
  const selectors = role.aggregationRule?.clusterRoleSelectors ?? [];
  const selected = clusterRoles.filter(
    (candidate) =>
      !visited.has(candidate.metadata.name) &&
      selectors.some((selector) => matchesLabelSelector(selector, candidate.metadata.labels)),
  );
  return [
    ...(role.rules ?? []),
    ...selected.flatMap((other) => aggregatedRules(other, clusterRoles, visited)),
  ];
}

function matchingSubject(
  binding: Binding,
  identity: Identity,
  bindingNamespace: string,
): Subject | undefined {
  return binding.subjects?.find((subject) => {
    switch (subject.kind) {
      case "User":
        return subject.name === identity.user;
      case "Group":
        return identity.groups.includes(subject.name);
      case "ServiceAccount":
        return (
          identity.user ===
          `${serviceAccountUserPrefix}${subject.namespace ?? bindingNamespace}:${subject.name}`
        );
      default:
        return false;
    }
  });
}

function ruleAllows(rule: PolicyRule, attrs: RequestAttributes): boolean {
  if (!matchesOrWildcard(rule.verbs, attrs.verb)) return false;
  if (attrs.nonResourcePath !== undefined)
    return nonResourceURLMatches(rule.nonResourceURLs, attrs.nonResourcePath);
  return (
    matchesOrWildcard(rule.apiGroups, attrs.apiGroup) &&
    resourceMatches(rule.resources, attrs.resource, attrs.subresource) &&
    (rule.resourceNames.length === 0 || rule.resourceNames.includes(attrs.name ?? ""))
  );
}

function matchesOrWildcard(allowed: string[], value: string): boolean {
  return allowed.includes("*") || allowed.includes(value);
}

function resourceMatches(allowed: string[], resource: string, subresource: string | undefined): boolean {
  const combined = subresource ? `${resource}/${subresource}` : resource;
  return allowed.some(
    (entry) =>
      entry === "*" || entry === combined || (subresource !== undefined && entry === `*/${subresource}`),
  );
}

function nonResourceURLMatches(allowed: string[], path: string): boolean {
  return allowed.some(
    (entry) =>
      entry === "*" || entry === path || (entry.endsWith("*") && path.startsWith(entry.slice(0, -1))),
  );
}

function describeGrant(
  bindingKind: string,
  bindingName: string,
  binding: Binding,
  subject: Subject,
  bindingNamespace: string,
): string {
  const subjectName =
    subject.kind === "ServiceAccount"
      ? `${subject.name}/${subject.namespace ?? bindingNamespace}`
      : subject.name;
  const { kind, name } = binding.roleRef;
  return `${bindingKind} ${JSON.stringify(bindingName)} of ${kind} ${JSON.stringify(name)} to ${subject.kind} ${JSON.stringify(subjectName)}`;
}

function notFound(resource: "clusterrole" | "role", name: string): string {
  return `${resource}.rbac.authorization.k8s.io ${JSON.stringify(name)} not found`;
}

// Go's errors aggregate: one error alone, several in brackets.
function aggregateErrors(errors: string[]): string {
  return errors.length === 1 ? (errors[0] ?? "") : `[${errors.join(", ")}]`;
}

// Objects that do not parse (the store does not validate RBAC kinds) grant nothing.
function parseAll<T>(objects: KubeObject[], schema: z.ZodType<T>): T[] {
  return objects.flatMap((object) => {
    const parsed = schema.safeParse(object);
    return parsed.success ? [parsed.data] : [];
  });
}
