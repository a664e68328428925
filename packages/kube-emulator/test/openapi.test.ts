import { test } from "node:test";
import assert from "node:assert/strict";
import { openApiV3Document, openApiV3Index } from "../src/openapi.ts";
import { BUILTIN_TYPES } from "../src/resources/builtin-types.ts";
import type { ResourceType } from "../src/resources/resource-type.ts";

type Json = Record<string, unknown>;

function helmReleaseType(
  specDescription = "HelmReleaseSpec defines the desired state of a Helm release.",
): ResourceType {
  return {
    group: "helm.toolkit.fluxcd.io",
    kind: "HelmRelease",
    listKind: "HelmReleaseList",
    plural: "helmreleases",
    singular: "helmrelease",
    namespaced: true,
    shortNames: ["hr"],
    categories: ["all"],
    versions: [
      {
        name: "v2",
        storage: true,
        printerColumns: [],
        statusSubresource: true,
        schema: {
          type: "object",
          description: "HelmRelease is the Schema for the helmreleases API",
          properties: {
            apiVersion: { type: "string" },
            kind: { type: "string" },
            metadata: { type: "object" },
            spec: {
              type: "object",
              description: specDescription,
              required: ["interval"],
              properties: {
                interval: { type: "string", description: "Interval at which to reconcile the Helm release." },
                suspend: { type: "boolean", description: "Suspend reconciliation." },
                values: {
                  "x-kubernetes-preserve-unknown-fields": true,
                  description: "Values holds the values.",
                },
              },
            },
            status: {
              type: "object",
              properties: { observedGeneration: { type: "integer", format: "int64" } },
            },
          },
        },
      },
      {
        name: "v2beta2",
        storage: false,
        printerColumns: [],
        statusSubresource: true,
        schema: { type: "object" },
      },
    ],
    verbs: ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"],
    crdName: "helmreleases.helm.toolkit.fluxcd.io",
  };
}

const types = [...BUILTIN_TYPES, helmReleaseType()];

function documentAt(path: string, served: readonly ResourceType[] = types): Json {
  const document = openApiV3Document(served, path);
  assert.ok(document, `a document is served at ${path}`);
  return document as Json;
}

function resolve(document: Json, schema: Json): Json {
  const reference = schema.$ref;
  if (typeof reference !== "string") return schema;
  const name = reference.replace("#/components/schemas/", "");
  return ((document.components as Json).schemas as Json)[name] as Json;
}

/**
 * Does what `kubectl explain <resource>.<field...>` does with a v3 document: take the GVK from the
 * operations on the resource's path, find the schema carrying it, then follow the field path through
 * properties, $ref and single-element allOf.
 */
function explain(document: Json, prefix: string, plural: string, namespaced: boolean, fields: string[]) {
  const path = namespaced ? `${prefix}/namespaces/{namespace}/${plural}` : `${prefix}/${plural}`;
  const pathItem = (document.paths as Json)[path] as Json | undefined;
  assert.ok(pathItem, `path ${path} exists`);
  const gvk = (pathItem.get ?? pathItem.post) as Json;
  const wanted = gvk["x-kubernetes-group-version-kind"] as Json;
  const schemas = (document.components as Json).schemas as Record<string, Json>;
  const found = Object.entries(schemas).filter(([, schema]) =>
    ((schema["x-kubernetes-group-version-kind"] as Json[] | undefined) ?? []).some(
      (candidate) => JSON.stringify(sortKeys(candidate)) === JSON.stringify(sortKeys(wanted)),
    ),
  );
  assert.equal(found.length, 1, `exactly one schema carries ${JSON.stringify(wanted)}`);
  const [name, kindSchema] = found[0]!;
  let schema = kindSchema;
  for (const field of fields) {
    const properties = resolve(document, schema).properties as Json | undefined;
    let next = properties?.[field] as Json | undefined;
    assert.ok(next, `field ${field} exists`);
    const allOf = next.allOf as Json[] | undefined;
    if (allOf?.length === 1) next = { ...resolve(document, allOf[0]!), description: next.description };
    schema = next;
  }
  return { name, gvk: wanted, schema: resolve(document, schema) };
}

function sortKeys(object: Json): Json {
  return Object.fromEntries(Object.entries(object).sort(([a], [b]) => (a < b ? -1 : 1)));
}

test("the index lists every served group-version with a content-hashed URL", () => {
  const index = openApiV3Index(types) as { paths: Record<string, { serverRelativeURL: string }> };
  const expected = new Set<string>();
  for (const type of types) {
    for (const version of type.versions) {
      expected.add(type.group === "" ? `api/${version.name}` : `apis/${type.group}/${version.name}`);
    }
  }
  assert.deepEqual(Object.keys(index.paths).sort(), [...expected].sort());
  assert.ok(expected.has("apis/helm.toolkit.fluxcd.io/v2beta2"));
  for (const [path, { serverRelativeURL }] of Object.entries(index.paths)) {
    assert.match(serverRelativeURL, new RegExp(`^/openapi/v3/${path}\\?hash=[0-9A-F]{128}$`));
  }
});

test("nothing is served for unknown group-versions", () => {
  assert.equal(openApiV3Document(types, "apis/helm.toolkit.fluxcd.io/v9"), undefined);
  assert.equal(openApiV3Document(types, "apis/nope.example.com/v1"), undefined);
  assert.equal(openApiV3Document(types, "garbage"), undefined);
  assert.ok(openApiV3Document(types, "/api/v1"));
});

test("explain finds a custom resource's schema by group-version-kind", () => {
  const document = documentAt("apis/helm.toolkit.fluxcd.io/v2");
  assert.equal(document.openapi, "3.0.0");
  const root = explain(document, "/apis/helm.toolkit.fluxcd.io/v2", "helmreleases", true, []);
  assert.equal(root.name, "io.fluxcd.toolkit.helm.v2.HelmRelease");
  assert.deepEqual(root.gvk, { group: "helm.toolkit.fluxcd.io", version: "v2", kind: "HelmRelease" });
  assert.equal(root.schema.description, "HelmRelease is the Schema for the helmreleases API");

  const spec = explain(document, "/apis/helm.toolkit.fluxcd.io/v2", "helmreleases", true, ["spec"]);
  assert.equal(spec.schema.description, "HelmReleaseSpec defines the desired state of a Helm release.");
  assert.deepEqual(Object.keys(spec.schema.properties as Json), ["interval", "suspend", "values"]);
  assert.deepEqual(spec.schema.required, ["interval"]);

  // metadata is the shared ObjectMeta, whatever the CRD said about it.
  const labels = explain(document, "/apis/helm.toolkit.fluxcd.io/v2", "helmreleases", true, [
    "metadata",
    "labels",
  ]);
  assert.equal(labels.schema.type, "object");
  const kind = explain(document, "/apis/helm.toolkit.fluxcd.io/v2", "helmreleases", true, ["kind"]);
  assert.equal(kind.schema.type, "string");
  assert.ok(typeof kind.schema.description === "string" && kind.schema.description.length > 0);
});

test("explain finds built-in kinds, described by a permissive schema", () => {
  const deployment = explain(documentAt("apis/apps/v1"), "/apis/apps/v1", "deployments", true, []);
  assert.equal(deployment.name, "io.k8s.api.apps.v1.Deployment");
  assert.deepEqual(Object.keys(deployment.schema.properties as Json), [
    "apiVersion",
    "kind",
    "metadata",
    "spec",
    "status",
  ]);
  const spec = explain(documentAt("apis/apps/v1"), "/apis/apps/v1", "deployments", true, ["spec"]);
  assert.equal(spec.schema["x-kubernetes-preserve-unknown-fields"], true);

  const core = documentAt("api/v1");
  assert.equal(explain(core, "/api/v1", "pods", true, []).name, "io.k8s.api.core.v1.Pod");
  assert.equal(explain(core, "/api/v1", "namespaces", false, []).name, "io.k8s.api.core.v1.Namespace");
  const data = explain(core, "/api/v1", "configmaps", true, ["data"]);
  assert.deepEqual(data.schema.additionalProperties, { type: "string", default: "" });
  // The core Event and events.k8s.io Event do not share a document.
  assert.equal(explain(core, "/api/v1", "events", true, []).gvk.group, "");
});

test("every writable kind declares fieldValidation on its PATCH operation, so kubectl validates server-side", () => {
  const index = openApiV3Index(types) as { paths: Record<string, unknown> };
  let checked = 0;
  for (const path of Object.keys(index.paths)) {
    const document = documentAt(path);
    for (const type of types) {
      if (!type.verbs.includes("patch")) continue;
      for (const version of type.versions) {
        const gvPath = type.group === "" ? `api/${version.name}` : `apis/${type.group}/${version.name}`;
        if (gvPath !== path) continue;
        // What kubectl's query-param verifier does: the first PATCH operation with this GVK decides.
        const patches = Object.values(document.paths as Record<string, Json>)
          .map((pathItem) => pathItem.patch as Json | undefined)
          .filter((operation): operation is Json => {
            const gvk = operation?.["x-kubernetes-group-version-kind"] as Json | undefined;
            return gvk?.group === type.group && gvk.version === version.name && gvk.kind === type.kind;
          });
        assert.ok(patches.length > 0, `${type.kind} ${gvPath} has a PATCH operation`);
        for (const patch of patches) {
          const names = (patch.parameters as Json[]).filter((p) => p.in === "query").map((p) => p.name);
          assert.ok(names.includes("fieldValidation"), `${type.kind} PATCH declares fieldValidation`);
          assert.ok(names.includes("dryRun"), `${type.kind} PATCH declares dryRun`);
          const content = (patch.requestBody as { content: Json }).content;
          assert.equal("application/strategic-merge-patch+json" in content, false);
        }
        checked++;
      }
    }
  }
  assert.ok(checked >= 20, `checked ${checked} kinds`);
});

test("operations follow the resource's scope and verbs", () => {
  const paths = documentAt("apis/helm.toolkit.fluxcd.io/v2").paths as Record<string, Json>;
  assert.deepEqual(Object.keys(paths), [
    "/apis/helm.toolkit.fluxcd.io/v2/helmreleases",
    "/apis/helm.toolkit.fluxcd.io/v2/namespaces/{namespace}/helmreleases",
    "/apis/helm.toolkit.fluxcd.io/v2/namespaces/{namespace}/helmreleases/{name}",
    "/apis/helm.toolkit.fluxcd.io/v2/namespaces/{namespace}/helmreleases/{name}/status",
  ]);
  const collection = paths["/apis/helm.toolkit.fluxcd.io/v2/namespaces/{namespace}/helmreleases"]!;
  assert.deepEqual(Object.keys(collection).sort(), ["delete", "get", "parameters", "post"]);
  const item = paths["/apis/helm.toolkit.fluxcd.io/v2/namespaces/{namespace}/helmreleases/{name}"]!;
  assert.deepEqual(Object.keys(item).sort(), ["delete", "get", "parameters", "patch", "put"]);
  const post = collection.post as Json;
  assert.deepEqual(
    (post.parameters as Json[]).map((parameter) => parameter.name),
    ["dryRun", "fieldManager", "fieldValidation"],
  );

  const crdPaths = Object.keys(documentAt("apis/apiextensions.k8s.io/v1").paths as Json);
  assert.ok(crdPaths.includes("/apis/apiextensions.k8s.io/v1/customresourcedefinitions/{name}"));
  assert.ok(!crdPaths.some((path) => path.includes("{namespace}")));

  // A create-only review has nothing but POST on its collection.
  const reviews = documentAt("apis/authorization.k8s.io/v1").paths as Record<string, Json>;
  assert.deepEqual(Object.keys(reviews["/apis/authorization.k8s.io/v1/selfsubjectaccessreviews"]!).sort(), [
    "parameters",
    "post",
  ]);
});

test("a group-version's hash is stable and changes when one of its schemas changes", () => {
  const urlOf = (served: readonly ResourceType[], path: string) =>
    (openApiV3Index(served) as { paths: Record<string, { serverRelativeURL: string }> }).paths[path]!
      .serverRelativeURL;
  const helm = "apis/helm.toolkit.fluxcd.io/v2";
  const before = urlOf(types, helm);
  assert.equal(urlOf([...BUILTIN_TYPES, helmReleaseType()], helm), before);
  const changed = [...BUILTIN_TYPES, helmReleaseType("A different description.")];
  assert.notEqual(urlOf(changed, helm), before);
  // Other group-versions are untouched.
  assert.equal(urlOf(changed, "apis/apps/v1"), urlOf(types, "apis/apps/v1"));
});
