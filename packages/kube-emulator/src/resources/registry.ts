// The resources one cluster serves: the built-in kinds plus whatever its CRDs register. Lookups
// by plural, kind, short name and category are what discovery, routing and loading need.
import type { KubeObject } from "../types.ts";
import { BUILTIN_TYPES } from "./builtin-types.ts";
import { crdToResourceType } from "./crd.ts";
import type { ResourceType } from "./resource-type.ts";
import { compareVersionNames } from "./version-order.ts";

export class ResourceRegistry {
  readonly #byPlural = new Map<string, ResourceType>();

  constructor() {
    for (const type of BUILTIN_TYPES) this.#byPlural.set(pluralKey(type.group, type.plural), type);
  }

  /** Registers (or re-registers, after an update) the kind a CRD defines. */
  registerCrd(crd: KubeObject): ResourceType {
    const type = crdToResourceType(crd);
    this.#byPlural.set(pluralKey(type.group, type.plural), type);
    return type;
  }

  unregisterCrd(crd: KubeObject): ResourceType | undefined {
    const type = crdToResourceType(crd);
    const key = pluralKey(type.group, type.plural);
    const registered = this.#byPlural.get(key);
    if (registered?.crdName === undefined) return undefined;
    this.#byPlural.delete(key);
    return registered;
  }

  all(): ResourceType[] {
    return [...this.#byPlural.values()];
  }

  byPlural(group: string, plural: string): ResourceType | undefined {
    return this.#byPlural.get(pluralKey(group, plural));
  }

  /** The type serving `apiVersion` + `kind`, if that version is served. */
  byKind(apiVersion: string, kind: string): ResourceType | undefined {
    const slash = apiVersion.indexOf("/");
    const group = slash < 0 ? "" : apiVersion.slice(0, slash);
    const version = slash < 0 ? apiVersion : apiVersion.slice(slash + 1);
    return this.all().find(
      (type) =>
        type.group === group &&
        type.kind === kind &&
        !type.virtual &&
        type.versions.some((candidate) => candidate.name === version),
    );
  }

  /** Groups with their served versions, preferred first, in the order discovery lists them. */
  groups(): { name: string; versions: string[] }[] {
    const versionsByGroup = new Map<string, string[]>();
    for (const type of this.all()) {
      const versions = versionsByGroup.get(type.group) ?? [];
      for (const version of type.versions) if (!versions.includes(version.name)) versions.push(version.name);
      versionsByGroup.set(type.group, versions);
    }
    return [...versionsByGroup].map(([name, versions]) => ({
      name,
      versions: versions.sort(compareVersionNames),
    }));
  }

  /** Types served at group/version. */
  inGroupVersion(group: string, version: string): ResourceType[] {
    return this.all().filter(
      (type) => type.group === group && type.versions.some((candidate) => candidate.name === version),
    );
  }
}

function pluralKey(group: string, plural: string): string {
  return `${group}/${plural}`;
}
