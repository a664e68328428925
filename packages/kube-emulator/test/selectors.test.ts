import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { parseFieldSelector, parseLabelSelector, SelectorError } from "../src/selectors.ts";
import type { KubeObject } from "../src/types.ts";

function withLabels(labels: Record<string, string>): KubeObject {
  return { apiVersion: "v1", kind: "Pod", metadata: { name: "p", namespace: "default", labels } };
}

/** Which of the label sets the selector matches, by index. */
function matching(selector: string, ...labelSets: Record<string, string>[]): number[] {
  const matches = parseLabelSelector(selector);
  return labelSets.flatMap((labels, index) => (matches(withLabels(labels)) ? [index] : []));
}

function labelError(selector: string): string {
  try {
    parseLabelSelector(selector);
  } catch (error) {
    assert.ok(error instanceof SelectorError, `expected a SelectorError, got ${String(error)}`);
    return error.message;
  }
  assert.fail(`selector ${JSON.stringify(selector)} was accepted`);
}

const QUALIFIED_NAME_RULE =
  "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character " +
  "(e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
const LABEL_VALUE_RULE =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and " +
  "end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is " +
  "'(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";

describe("parseLabelSelector", () => {
  test("an empty selector matches everything, labels or not", () => {
    assert.deepEqual(matching("", {}, { a: "b" }), [0, 1]);
    assert.equal(parseLabelSelector("")({ apiVersion: "v1", kind: "Pod", metadata: {} }), true);
  });

  test("equality operators, and != also matching objects without the label", () => {
    const sets: Record<string, string>[] = [{ app: "web" }, { app: "db" }, {}];
    assert.deepEqual(matching("app=web", ...sets), [0]);
    assert.deepEqual(matching("app==web", ...sets), [0]);
    assert.deepEqual(matching("app!=web", ...sets), [1, 2]);
  });

  test("set operators, existence and absence", () => {
    const sets: Record<string, string>[] = [{ tier: "a" }, { tier: "b" }, { tier: "c" }, {}];
    assert.deepEqual(matching("tier in (a,b)", ...sets), [0, 1]);
    assert.deepEqual(matching("tier notin (a,b)", ...sets), [2, 3]);
    assert.deepEqual(matching("tier", ...sets), [0, 1, 2]);
    assert.deepEqual(matching("!tier", ...sets), [3]);
  });

  test("commas AND the requirements; whitespace around tokens is ignored", () => {
    const sets: Record<string, string>[] = [
      { app: "web", tier: "a" },
      { app: "web", tier: "c" },
      { app: "db", tier: "a" },
    ];
    assert.deepEqual(matching("app=web,tier in (a,b)", ...sets), [0]);
    assert.deepEqual(matching("  app = web ,\ttier  in  ( a , b ) ", ...sets), [0]);
    assert.deepEqual(matching("app=web,!missing,tier notin (c)", ...sets), [0]);
  });

  test("empty values: `a=`, `a in ()` and empty members stand for the empty string", () => {
    const sets: Record<string, string>[] = [{ a: "" }, { a: "x" }, {}];
    assert.deepEqual(matching("a=", ...sets), [0]);
    assert.deepEqual(matching("a==,a!=x", ...sets), [0]);
    assert.deepEqual(matching("a in ()", ...sets), [0]);
    assert.deepEqual(matching("a in (x,)", ...sets), [0, 1]);
    assert.deepEqual(matching("a notin ()", ...sets), [1, 2]);
  });

  test("`in` and `notin` are keywords only in operator position", () => {
    assert.deepEqual(matching("in in (in,notin)", { in: "in" }, { in: "notin" }, { in: "x" }), [0, 1]);
    assert.deepEqual(matching("notin=in", { notin: "in" }, { notin: "x" }), [0]);
  });

  test("qualified keys with a DNS prefix", () => {
    assert.deepEqual(
      matching(
        "app.kubernetes.io/name=source-controller",
        { "app.kubernetes.io/name": "source-controller" },
        {},
      ),
      [0],
    );
  });

  test("gt and lt compare integers; non-integer or missing labels never match", () => {
    const sets: Record<string, string>[] = [
      { replicas: "3" },
      { replicas: "2" },
      { replicas: "x" },
      {},
      { replicas: "-5" },
    ];
    assert.deepEqual(matching("replicas>2", ...sets), [0]);
    assert.deepEqual(matching("replicas<3", ...sets), [1, 4]);
  });

  test("syntax errors, worded as kube-apiserver words them", () => {
    assert.equal(labelError("app=foo bar"), "found 'bar', expected: ',' or 'end of string'");
    assert.equal(labelError("app=web,"), "found '', expected: identifier after ','");
    assert.equal(labelError(",app"), "found ',', expected: !, identifier, or 'end of string'");
    assert.equal(
      labelError("a b"),
      "unable to parse requirement: found 'b', expected: in, notin, =, ==, !=, gt, lt",
    );
    assert.equal(labelError("a in b"), "unable to parse requirement: found 'b' expected: '('");
    assert.equal(labelError("a in (b c)"), "unable to parse requirement: found 'c', expected: ',' or ')'");
    assert.equal(
      labelError("a in (=)"),
      "unable to parse requirement: found '=', expected: ',', ')' or identifier",
    );
    assert.equal(
      labelError("a in (b,=)"),
      "unable to parse requirement: found '=', expected: ',', or identifier",
    );
    assert.equal(labelError("a=!"), "unable to parse requirement: found '!', expected: identifier");
    assert.equal(labelError("a=(b)"), "unable to parse requirement: found '(', expected: identifier");
    assert.equal(labelError("!=a"), "found '!=', expected: !, identifier, or 'end of string'");
    assert.equal(labelError("!(a)"), "unable to parse requirement: found '(', expected: identifier");
    assert.equal(labelError("!a=b"), "found '=', expected: ',' or 'end of string'");
  });

  test("invalid keys are reported with Go's <nil> field path", () => {
    assert.equal(
      labelError("app:monolith"),
      `unable to parse requirement: <nil>: Invalid value: "app:monolith": name part ${QUALIFIED_NAME_RULE}`,
    );
    assert.equal(
      labelError("app.kubernetes_io/name=x"),
      'unable to parse requirement: <nil>: Invalid value: "app.kubernetes_io/name": prefix part a lowercase RFC 1123 ' +
        "subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an " +
        "alphanumeric character (e.g. 'example.com', regex used for validation is " +
        "'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
    );
    assert.equal(
      labelError("a/b/c=d"),
      `unable to parse requirement: <nil>: Invalid value: "a/b/c": a qualified name ${QUALIFIED_NAME_RULE} ` +
        "with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')",
    );
    assert.equal(
      labelError("example.com/=x"),
      `unable to parse requirement: <nil>: Invalid value: "example.com/": name part must be non-empty; name part ${QUALIFIED_NAME_RULE}`,
    );
    assert.equal(
      labelError(`${"k".repeat(64)}=x`),
      `unable to parse requirement: <nil>: Invalid value: "${"k".repeat(64)}": name part must be no more than 63 characters`,
    );
  });

  test("invalid values carry their index and key; several are aggregated", () => {
    assert.equal(
      labelError("app=demo-{nginx}"),
      `unable to parse requirement: values[0][app]: Invalid value: "demo-{nginx}": ${LABEL_VALUE_RULE}`,
    );
    // Values are sorted, as Kubernetes keeps them in a set.
    assert.equal(
      labelError("a in (z_, -b)"),
      `unable to parse requirement: [values[0][a]: Invalid value: "-b": ${LABEL_VALUE_RULE}, ` +
        `values[1][a]: Invalid value: "z_": ${LABEL_VALUE_RULE}]`,
    );
    assert.equal(
      labelError(`a=${"v".repeat(64)}`),
      `unable to parse requirement: values[0][a]: Invalid value: "${"v".repeat(64)}": must be no more than 63 characters`,
    );
  });

  test("gt and lt need an integer", () => {
    assert.equal(
      labelError("environment>qa"),
      `unable to parse requirement: values[0]: Invalid value: "qa": for 'Gt', 'Lt' operators, the value must be an integer`,
    );
  });
});

function fieldError(text: string, kind: string, group: string, options = {}): string {
  try {
    parseFieldSelector(text, kind, group, options);
  } catch (error) {
    assert.ok(error instanceof SelectorError, `expected a SelectorError, got ${String(error)}`);
    return error.message;
  }
  assert.fail(`field selector ${JSON.stringify(text)} was accepted`);
}

function object(
  apiVersion: string,
  kind: string,
  body: Record<string, unknown>,
  name = "x",
  namespace?: string,
) {
  return { apiVersion, kind, metadata: { name, ...(namespace && { namespace }) }, ...body } as KubeObject;
}

describe("parseFieldSelector: syntax", () => {
  const configMaps = [object("v1", "ConfigMap", {}, "a", "ns1"), object("v1", "ConfigMap", {}, "b", "ns2")];
  const names = (text: string) =>
    configMaps.filter(parseFieldSelector(text, "ConfigMap", "")).map((item) => item.metadata.name);

  test("=, == and != on every kind's metadata fields; comma is AND; empty matches all", () => {
    assert.deepEqual(names("metadata.name=a"), ["a"]);
    assert.deepEqual(names("metadata.name==a"), ["a"]);
    assert.deepEqual(names("metadata.name!=a"), ["b"]);
    assert.deepEqual(names("metadata.namespace=ns2"), ["b"]);
    assert.deepEqual(names("metadata.namespace!=ns2,metadata.name!=b"), ["a"]);
    assert.deepEqual(names("metadata.namespace=ns2,metadata.name=a"), []);
    assert.deepEqual(names(""), ["a", "b"]);
    assert.deepEqual(names("metadata.name=a,"), ["a"]);
  });

  test("escaped commas and equal signs in values", () => {
    const odd = object("v1", "ConfigMap", {}, "a,b=c");
    assert.equal(parseFieldSelector("metadata.name=a\\,b\\=c", "ConfigMap", "")(odd), true);
    assert.equal(parseFieldSelector("metadata.name=a\\,b", "ConfigMap", "")(odd), false);
  });

  test("malformed selectors", () => {
    assert.equal(
      fieldError("metadata.name", "ConfigMap", ""),
      "invalid selector: 'metadata.name'; can't understand 'metadata.name'",
    );
    assert.equal(
      fieldError("metadata.name=a=b", "ConfigMap", ""),
      "invalid field selector: unescaped character in value: =",
    );
    assert.equal(
      fieldError("metadata.name=a\\x", "ConfigMap", ""),
      "invalid field selector: invalid escape sequence: \\x",
    );
    assert.equal(
      fieldError("metadata.name=a\\", "ConfigMap", ""),
      "invalid field selector: invalid escape sequence: \\",
    );
  });

  test("terms are checked in sorted order, as kube-apiserver sorts them", () => {
    assert.equal(
      fieldError("zzz=1,aaa=2", "ConfigMap", ""),
      '"aaa" is not a known field selector: only "metadata.name", "metadata.namespace"',
    );
  });
});

describe("parseFieldSelector: built-in kinds", () => {
  const pod = object(
    "v1",
    "Pod",
    {
      spec: { nodeName: "node-1", serviceAccountName: "source-controller", containers: [] },
      status: { phase: "Running", podIP: "10.0.0.9", podIPs: [{ ip: "10.0.0.9" }, { ip: "fd00::9" }] },
    },
    "source-controller-1",
    "flux-system",
  );
  const podMatches = (text: string) => parseFieldSelector(text, "Pod", "")(pod);

  test("pods by node, phase, IP, service account, and defaulted fields", () => {
    assert.equal(podMatches("spec.nodeName=node-1"), true);
    assert.equal(podMatches("spec.nodeName=node-2"), false);
    assert.equal(podMatches("spec.host=node-1"), true);
    assert.equal(podMatches("status.phase!=Running"), false);
    assert.equal(podMatches("status.podIP=10.0.0.9"), true);
    assert.equal(podMatches("spec.serviceAccountName=source-controller"), true);
    assert.equal(podMatches("spec.hostNetwork=false"), true);
    assert.equal(podMatches("spec.restartPolicy=Always"), true);
    assert.equal(podMatches("spec.schedulerName=default-scheduler"), true);
    assert.equal(podMatches("status.nominatedNodeName="), true);
    assert.equal(podMatches("metadata.namespace=flux-system,status.phase=Running"), true);
  });

  test("kinds with their own field list reject others with 'field label not supported'", () => {
    assert.equal(fieldError("spec.containers=x", "Pod", ""), "field label not supported: spec.containers");
    assert.equal(
      fieldError("metadata.namespace=x", "Node", ""),
      "field label not supported: metadata.namespace",
    );
    assert.equal(fieldError("status.phase=Active", "Secret", ""), "field label not supported: status.phase");
    assert.equal(
      fieldError("status.active=1", "Job", "batch"),
      'field label "status.active" not supported for Job',
    );
  });

  test("kinds without a field list accept only metadata, ReplicaSet's status.replicas included", () => {
    const notKnown =
      '"status.replicas" is not a known field selector: only "metadata.name", "metadata.namespace"';
    assert.equal(fieldError("status.replicas=0", "ReplicaSet", "apps"), notKnown);
    assert.equal(
      fieldError("foo.bar=baz", "Ingress", "networking.k8s.io"),
      '"foo.bar" is not a known field selector: only "metadata.name", "metadata.namespace"',
    );
  });

  test("nodes, namespaces, secrets, services, jobs", () => {
    const node = object("v1", "Node", { spec: { unschedulable: true } }, "node-1");
    assert.equal(parseFieldSelector("spec.unschedulable=true", "Node", "")(node), true);
    assert.equal(parseFieldSelector("spec.unschedulable=true", "Node", "")(object("v1", "Node", {})), false);

    const namespace = object("v1", "Namespace", {}, "flux-system");
    assert.equal(parseFieldSelector("status.phase=Active", "Namespace", "")(namespace), true);
    const terminating = object("v1", "Namespace", { status: { phase: "Terminating" } });
    assert.equal(parseFieldSelector("status.phase=Active", "Namespace", "")(terminating), false);

    const secret = object("v1", "Secret", { type: "kubernetes.io/tls" });
    assert.equal(parseFieldSelector("type=kubernetes.io/tls", "Secret", "")(secret), true);
    assert.equal(parseFieldSelector("type=Opaque", "Secret", "")(object("v1", "Secret", {})), true);

    const service = object("v1", "Service", { spec: { clusterIP: "10.96.0.10" } });
    assert.equal(
      parseFieldSelector("spec.type=ClusterIP,spec.clusterIP=10.96.0.10", "Service", "")(service),
      true,
    );

    const job = object("batch/v1", "Job", { status: { succeeded: 1 } });
    assert.equal(parseFieldSelector("status.successful=1", "Job", "batch")(job), true);
    assert.equal(
      parseFieldSelector("status.successful=0", "Job", "batch")(object("batch/v1", "Job", {})),
      true,
    );
  });
});

describe("parseFieldSelector: events", () => {
  const coreEvent = object(
    "v1",
    "Event",
    {
      involvedObject: { kind: "Kustomization", namespace: "flux-system", name: "apps", uid: "u-1" },
      reason: "ReconciliationSucceeded",
      type: "Normal",
      source: {},
      reportingComponent: "kustomize-controller",
    },
    "apps.1",
    "flux-system",
  );
  const v1Event = object(
    "events.k8s.io/v1",
    "Event",
    {
      regarding: { kind: "Kustomization", namespace: "flux-system", name: "apps", uid: "u-1" },
      reason: "ReconciliationSucceeded",
      type: "Normal",
      reportingController: "kustomize-controller",
    },
    "apps.1",
    "flux-system",
  );

  test("core/v1 events by involvedObject, reason, type and source (falling back to the reporter)", () => {
    const matches = (text: string) => parseFieldSelector(text, "Event", "")(coreEvent);
    assert.equal(matches("involvedObject.kind=Kustomization,involvedObject.name=apps"), true);
    assert.equal(matches("involvedObject.uid=u-1,reason=ReconciliationSucceeded,type!=Warning"), true);
    assert.equal(matches("source=kustomize-controller"), true);
    assert.equal(matches("reportingComponent=kustomize-controller"), true);
    assert.equal(matches("involvedObject.name=other"), false);
    assert.equal(fieldError("regarding.name=apps", "Event", ""), "field label not supported: regarding.name");
  });

  test("events.k8s.io events by regarding and reportingController, in either stored shape", () => {
    for (const event of [v1Event, coreEvent]) {
      const matches = (text: string) => parseFieldSelector(text, "Event", "events.k8s.io")(event);
      assert.equal(
        matches("regarding.kind=Kustomization,regarding.name=apps,regarding.namespace=flux-system"),
        true,
      );
      assert.equal(matches("reportingController=kustomize-controller,reason=ReconciliationSucceeded"), true);
      assert.equal(matches("regarding.name=other"), false);
    }
    assert.equal(
      fieldError("involvedObject.name=apps", "Event", "events.k8s.io"),
      "field label not supported: involvedObject.name",
    );
  });
});

describe("parseFieldSelector: custom resources", () => {
  const kustomization = object(
    "kustomize.toolkit.fluxcd.io/v1",
    "Kustomization",
    { spec: { path: "./apps", suspend: true } },
    "apps",
    "flux-system",
  );

  test("only metadata.name and metadata.namespace, with the CRD wording for others", () => {
    const group = "kustomize.toolkit.fluxcd.io";
    assert.equal(parseFieldSelector("metadata.name=apps", "Kustomization", group)(kustomization), true);
    assert.equal(
      parseFieldSelector("metadata.namespace=default", "Kustomization", group)(kustomization),
      false,
    );
    assert.equal(
      fieldError("status.ready=True", "Kustomization", group),
      "field label not supported: status.ready",
    );
  });

  test("cluster-scoped custom resources reject metadata.namespace; selectableFields are honoured", () => {
    assert.equal(
      fieldError("metadata.namespace=x", "ClusterThing", "example.com", { clusterScoped: true }),
      "field label not supported: metadata.namespace",
    );
    const selectable = { selectableFields: [".spec.path", "spec.suspend"] };
    const matches = (text: string) =>
      parseFieldSelector(text, "Kustomization", "kustomize.toolkit.fluxcd.io", selectable)(kustomization);
    assert.equal(matches("spec.path=./apps,spec.suspend=true"), true);
    assert.equal(matches("spec.path!=./apps"), false);
  });

  test("a CRD in a k8s.io-looking group is still a custom resource", () => {
    assert.equal(
      fieldError("spec.gatewayClassName=x", "Gateway", "gateway.networking.k8s.io"),
      "field label not supported: spec.gatewayClassName",
    );
  });
});
