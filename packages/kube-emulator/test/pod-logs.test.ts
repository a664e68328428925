import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { parse } from "yaml";
import { LogError, parsePodLogs, readPodLog, type LogQuery } from "../src/pod-logs.ts";
import type { KubeObject } from "../src/types.ts";

const logsDocument = parse(`
apiVersion: apiserver.flux-mcp.dev/v1alpha1
kind: PodLogs
metadata: {namespace: flux-system, name: source-controller-7d9f}
containers:
  - name: manager
    log: |
      2026-08-20T09:58:01.123456789Z {"level":"info","msg":"starting manager"}
      2026-08-20T09:58:30.000000001Z {"level":"info","msg":"artifact up-to-date"}
      2026-08-20T09:59:00.5Z {"level":"error","msg":"fetch failed: ünreachable"}
      2026-08-20T09:59:59Z
    previous: |
      2026-08-20T09:50:00Z panic: runtime error
  - name: sidecar
    log: |
      2026-08-20T09:58:02Z sidecar ready
`) as KubeObject;

function pod(spec: Record<string, unknown>, annotations?: Record<string, string>): KubeObject {
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: {
      namespace: "flux-system",
      name: "source-controller-7d9f",
      ...(annotations && { annotations }),
    },
    spec,
  };
}

const onePod = pod({ containers: [{ name: "manager" }] });
const logs = parsePodLogs(logsDocument);
const now = new Date("2026-08-20T10:00:00Z");

function read(query: Omit<LogQuery, "now"> = {}, target = onePod): string {
  return readPodLog(target, logs, { now, ...query });
}

function logError(query: Omit<LogQuery, "now">, target = onePod): LogError {
  try {
    read(query, target);
  } catch (error) {
    assert.ok(error instanceof LogError, `expected a LogError, got ${String(error)}`);
    return error;
  }
  assert.fail("the log was returned");
}

describe("parsePodLogs", () => {
  test("reads the containers of a PodLogs document", () => {
    assert.equal(logs.namespace, "flux-system");
    assert.equal(logs.name, "source-controller-7d9f");
    assert.deepEqual([...logs.containers.keys()], ["manager", "sidecar"]);
    assert.equal(logs.containers.get("sidecar")?.log, "2026-08-20T09:58:02Z sidecar ready\n");
    assert.equal(logs.containers.get("sidecar")?.previous, undefined);
    assert.equal(logs.containers.get("manager")?.previous, "2026-08-20T09:50:00Z panic: runtime error\n");
  });

  const broken = (change: (document: Record<string, unknown>) => void): string => {
    const document = structuredClone(logsDocument) as unknown as Record<string, unknown>;
    change(document);
    assert.throws(() => parsePodLogs(document as KubeObject), Error);
    try {
      parsePodLogs(document as KubeObject);
    } catch (error) {
      return (error as Error).message;
    }
    return "";
  };
  const containers = (document: Record<string, unknown>) => document.containers as Record<string, unknown>[];

  test("rejects bad documents, naming the pod and the problem", () => {
    const noName = broken((document) => {
      document.metadata = { namespace: "flux-system" };
    });
    assert.match(noName, /^invalid PodLogs flux-system\/<no name>: metadata\.name: /);

    const misspelt = broken((document) => {
      containers(document)[0] = { name: "manager", log: "", previos: "" };
    });
    assert.match(misspelt, /^invalid PodLogs flux-system\/source-controller-7d9f: containers\.0: .*previos/);

    const wrongKind = broken((document) => {
      document.kind = "PodLog";
    });
    assert.match(wrongKind, /kind: /);

    const twice = broken((document) => {
      containers(document)[1] = { name: "manager", log: "" };
    });
    assert.match(twice, /container "manager" is listed twice/);
  });

  test("rejects log lines without a timestamp", () => {
    const message = broken((document) => {
      containers(document)[1] = { name: "sidecar", log: "2026-08-20T09:58:02Z ok\nno timestamp here\n" };
    });
    assert.equal(
      message,
      'invalid PodLogs flux-system/source-controller-7d9f: container "sidecar" log line 2 has no RFC3339 timestamp: ' +
        "no timestamp here",
    );
    const badPrevious = broken((document) => {
      containers(document)[1] = { name: "sidecar", previous: "2026-13-45T99:00:00Z boom\n" };
    });
    assert.match(badPrevious, /container "sidecar" previous line 1/);
  });
});

describe("readPodLog", () => {
  test("the only container by default, timestamps stripped, an empty line kept empty", () => {
    assert.equal(
      read(),
      '{"level":"info","msg":"starting manager"}\n' +
        '{"level":"info","msg":"artifact up-to-date"}\n' +
        '{"level":"error","msg":"fetch failed: ünreachable"}\n' +
        "\n",
    );
  });

  test("timestamps=true keeps each line's timestamp as stored", () => {
    assert.equal(
      read({ timestamps: true, tailLines: 2 }),
      '2026-08-20T09:59:00.5Z {"level":"error","msg":"fetch failed: ünreachable"}\n2026-08-20T09:59:59Z \n',
    );
  });

  test("tailLines keeps the last lines; 0 keeps none", () => {
    assert.equal(read({ tailLines: 1 }), "\n");
    assert.equal(read({ tailLines: 100 }).split("\n").length, 5);
    assert.equal(read({ tailLines: 0 }), "");
  });

  test("sinceSeconds and sinceTime drop older lines, to the nanosecond-precise timestamp", () => {
    // now - 90s = 09:58:30.000; the line at 09:58:30.000000001 is not older.
    assert.equal(read({ sinceSeconds: 90 }).split("\n").length - 1, 3);
    assert.equal(
      read({ sinceSeconds: 60, timestamps: true }).split("\n")[0],
      "2026-08-20T09:59:00.5Z " + '{"level":"error","msg":"fetch failed: ünreachable"}',
    );
    // sinceTime counts whole seconds only, as kube-apiserver passes it on in RFC3339.
    assert.equal(read({ sinceTime: "2026-08-20T09:59:00.900Z" }).split("\n").length - 1, 2);
    assert.equal(read({ sinceTime: "2026-08-20T11:59:00+02:00" }).split("\n").length - 1, 2);
  });

  test("tailLines applies before since, as the kubelet seeks to the tail first", () => {
    assert.equal(read({ tailLines: 3, sinceSeconds: 3600 }).split("\n").length - 1, 3);
    assert.equal(read({ tailLines: 3, sinceSeconds: 30 }), "\n");
  });

  test("limitBytes truncates the output, never inside a character", () => {
    assert.equal(read({ limitBytes: 10 }), '{"level":"');
    const third = read({ tailLines: 2 });
    const bytesToUmlaut = Buffer.byteLength(third.slice(0, third.indexOf("ü")));
    // One byte into the two-byte "ü": it is dropped whole.
    assert.equal(read({ tailLines: 2, limitBytes: bytesToUmlaut + 1 }), third.slice(0, third.indexOf("ü")));
    assert.equal(
      read({ tailLines: 2, limitBytes: bytesToUmlaut + 2 }),
      third.slice(0, third.indexOf("ü") + 1),
    );
  });

  test("previous reads the terminated container's log, or fails as the kubelet does", () => {
    assert.equal(read({ previous: true }), "panic: runtime error\n");
    const twoContainers = pod({ containers: [{ name: "manager" }, { name: "sidecar" }] });
    const error = logError({ previous: true, container: "sidecar" }, twoContainers);
    assert.equal(error.code, 400);
    assert.equal(
      error.message,
      'previous terminated container "sidecar" in pod "source-controller-7d9f" not found',
    );
  });

  test("a named container, init containers included", () => {
    const withInit = pod({ initContainers: [{ name: "sidecar" }], containers: [{ name: "manager" }] });
    assert.equal(read({ container: "sidecar" }, withInit), "sidecar ready\n");
    assert.equal(read({ container: "manager" }, withInit).split("\n").length, 5);
  });

  test("several containers and none named: 400 listing init, regular and ephemeral containers", () => {
    const several = pod(
      {
        initContainers: [{ name: "init-db" }],
        containers: [{ name: "manager" }, { name: "sidecar" }],
        ephemeralContainers: [{ name: "debugger" }],
      },
      // kubectl applies this annotation client-side; kube-apiserver ignores it.
      { "kubectl.kubernetes.io/default-container": "manager" },
    );
    const error = logError({}, several);
    assert.equal(error.code, 400);
    assert.equal(
      error.message,
      "a container name must be specified for pod source-controller-7d9f, choose one of: [init-db manager sidecar debugger]",
    );
    assert.equal(
      logError({}, pod({ containers: [] })).message,
      "a container name must be specified for pod source-controller-7d9f",
    );
  });

  test("an unknown container is a 400", () => {
    const error = logError({ container: "nope" });
    assert.equal(error.code, 400);
    assert.equal(error.message, "container nope is not valid for pod source-controller-7d9f");
  });

  test("no stored logs: the container is still checked, then the log is empty", () => {
    assert.equal(readPodLog(onePod, undefined, { now }), "");
    assert.throws(
      () => readPodLog(onePod, undefined, { now, previous: true }),
      /previous terminated container "manager" in pod "source-controller-7d9f" not found/,
    );
    assert.throws(() => readPodLog(onePod, undefined, { now, container: "x" }), LogError);
    const started = pod({ containers: [{ name: "manager" }, { name: "unlogged" }] });
    assert.equal(read({ container: "unlogged" }, started), "");
  });

  test("invalid options are a 422, worded as kube-apiserver's validation", () => {
    const tail = logError({ tailLines: -1 });
    assert.equal(tail.code, 422);
    assert.equal(
      tail.message,
      'PodLogOptions "source-controller-7d9f" is invalid: tailLines: Invalid value: -1: must be greater than or equal to 0',
    );
    assert.equal(
      logError({ limitBytes: 0, sinceSeconds: 0 }).message,
      'PodLogOptions "source-controller-7d9f" is invalid: [limitBytes: Invalid value: 0: must be greater than 0, ' +
        "sinceSeconds: Invalid value: 0: must be greater than 0]",
    );
    assert.match(
      logError({ sinceSeconds: 5, sinceTime: "2026-08-20T09:00:00Z" }).message,
      /at most one of `sinceTime` or `sinceSeconds` may be specified$/,
    );
    const badTime = logError({ sinceTime: "yesterday" });
    assert.equal(badTime.code, 400);
  });
});
