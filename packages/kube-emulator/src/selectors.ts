// Label and field selectors in their query-string form (?labelSelector=…&fieldSelector=…), parsed,
// validated and matched the way kube-apiserver does it. The error messages keep kube-apiserver's
// wording because clients print them verbatim ("Error from server (BadRequest): …").
import { isBuiltInGroup } from "./resources/builtin-groups.ts";
import { Buffer } from "node:buffer";
import { toCoreEvent } from "./event-versions.ts";
import { matchesLabelRequirement, parseInt64, type LabelRequirement } from "./security/label-selector.ts";
import type { KubeObject } from "./types.ts";

/** A selector kube-apiserver would answer with 400 BadRequest; the message is the response message. */
export class SelectorError extends Error {
  override name = "SelectorError";
}

export type ObjectPredicate = (object: KubeObject) => boolean;

// ---------------------------------------------------------------------------------------------
// Label selectors: `a=b,c!=d,e in (f,g),h notin (i),j,!k,l>1,m<2`

export function parseLabelSelector(text: string): ObjectPredicate {
  const requirements = parseLabelRequirements(text);
  return (object) => {
    const labels = object.metadata.labels ?? {};
    return requirements.every((requirement) => matchesLabelRequirement(requirement, labels));
  };
}

/** The requirements of a label selector string; an empty string has none and matches everything. */
function parseLabelRequirements(text: string): LabelRequirement[] {
  const tokens = new TokenStream(tokenize(text));
  const requirements: LabelRequirement[] = [];
  for (;;) {
    const ahead = tokens.peek();
    if (ahead.kind === "end") return requirements;
    if (ahead.kind !== "identifier" && ahead.kind !== "!") {
      throw new SelectorError(`found '${ahead.text}', expected: !, identifier, or 'end of string'`);
    }
    try {
      requirements.push(parseRequirement(tokens));
    } catch (error) {
      throw new SelectorError(`unable to parse requirement: ${(error as Error).message}`);
    }
    const after = tokens.next();
    if (after.kind === "end") return requirements;
    if (after.kind !== ",")
      throw new SelectorError(`found '${after.text}', expected: ',' or 'end of string'`);
    const following = tokens.peek();
    if (following.kind !== "identifier" && following.kind !== "!") {
      throw new SelectorError(`found '${following.text}', expected: identifier after ','`);
    }
  }
}

type TokenKind =
  "identifier" | "in" | "notin" | "!" | "!=" | "=" | "==" | ">" | "<" | "(" | ")" | "," | "end";

interface Token {
  kind: TokenKind;
  text: string;
}

const SYMBOLS = new Set(["=", "!", "(", ")", ",", ">", "<"]);
const WHITESPACE = new Set([" ", "\t", "\r", "\n"]);

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let at = 0;
  for (;;) {
    while (WHITESPACE.has(text.charAt(at))) at++;
    if (at >= text.length) {
      tokens.push({ kind: "end", text: "" });
      return tokens;
    }
    if (SYMBOLS.has(text.charAt(at))) {
      const pair = text.slice(at, at + 2);
      const symbol = pair === "!=" || pair === "==" ? pair : text.charAt(at);
      tokens.push({ kind: symbol as TokenKind, text: symbol });
      at += symbol.length;
      continue;
    }
    let end = at;
    while (end < text.length && !SYMBOLS.has(text.charAt(end)) && !WHITESPACE.has(text.charAt(end))) end++;
    const word = text.slice(at, end);
    tokens.push({ kind: word === "in" || word === "notin" ? word : "identifier", text: word });
    at = end;
  }
}

/** Reads tokens; `in` and `notin` are keywords only where an operator is expected (`in in (in)`). */
class TokenStream {
  readonly #tokens: Token[];
  #position = 0;

  constructor(tokens: Token[]) {
    this.#tokens = tokens;
  }

  peek(operatorExpected = false): Token {
    return this.#read(this.#position, operatorExpected);
  }

  next(operatorExpected = false): Token {
    const token = this.#read(this.#position, operatorExpected);
    if (token.kind !== "end") this.#position++;
    return token;
  }

  #read(position: number, operatorExpected: boolean): Token {
    const token = this.#tokens[Math.min(position, this.#tokens.length - 1)] ?? { kind: "end", text: "" };
    const keyword = token.kind === "in" || token.kind === "notin";
    return keyword && !operatorExpected ? { kind: "identifier", text: token.text } : token;
  }
}

function parseRequirement(tokens: TokenStream): LabelRequirement {
  let token = tokens.next();
  const negated = token.kind === "!";
  if (negated) token = tokens.next();
  if (token.kind !== "identifier") throw new SelectorError(`found '${token.text}', expected: identifier`);
  const key = token.text;
  const keyErrors = qualifiedNameErrors(key);
  // The key is checked before any field path exists, hence Go's "<nil>" path in the message.
  if (keyErrors.length > 0) throw new SelectorError(invalid("<nil>", key, keyErrors.join("; ")));
  if (negated) return { key, operator: "DoesNotExist" };
  const ahead = tokens.peek().kind;
  if (ahead === "end" || ahead === ",") return { key, operator: "Exists" };

  const operator = tokens.next(true);
  switch (operator.kind) {
    case "in":
      return validatedRequirement(key, "In", parseValueSet(tokens));
    case "notin":
      return validatedRequirement(key, "NotIn", parseValueSet(tokens));
    case "=":
    case "==":
      return validatedRequirement(key, "In", parseExactValue(tokens));
    case "!=":
      return validatedRequirement(key, "NotIn", parseExactValue(tokens));
    case ">":
      return validatedRequirement(key, "Gt", parseExactValue(tokens));
    case "<":
      return validatedRequirement(key, "Lt", parseExactValue(tokens));
    default:
      throw new SelectorError(`found '${operator.text}', expected: in, notin, =, ==, !=, gt, lt`);
  }
}

/** `(a,b)`; empty members (`()`, `(a,)`, `(,,)`) stand for the empty value. */
function parseValueSet(tokens: TokenStream): string[] {
  const open = tokens.next();
  if (open.kind !== "(") throw new SelectorError(`found '${open.text}' expected: '('`);
  const first = tokens.peek();
  if (first.kind === ")") {
    tokens.next();
    return [""];
  }
  if (first.kind !== "identifier" && first.kind !== ",") {
    throw new SelectorError(`found '${first.text}', expected: ',', ')' or identifier`);
  }
  const values = new Set<string>();
  for (;;) {
    const token = tokens.next();
    if (token.kind === "identifier") {
      values.add(token.text);
      const after = tokens.peek();
      if (after.kind === ")") break;
      if (after.kind !== ",") throw new SelectorError(`found '${after.text}', expected: ',' or ')'`);
    } else if (token.kind === ",") {
      if (values.size === 0) values.add("");
      const after = tokens.peek();
      if (after.kind === ")") {
        values.add("");
        break;
      }
      if (after.kind === ",") {
        tokens.next();
        values.add("");
      }
    } else {
      throw new SelectorError(`found '${token.text}', expected: ',', or identifier`);
    }
  }
  tokens.next();
  return [...values].sort();
}

function parseExactValue(tokens: TokenStream): string[] {
  const ahead = tokens.peek();
  if (ahead.kind === "end" || ahead.kind === ",") return [""];
  const token = tokens.next();
  if (token.kind !== "identifier") throw new SelectorError(`found '${token.text}', expected: identifier`);
  return [token.text];
}

function validatedRequirement(
  key: string,
  operator: LabelRequirement["operator"],
  values: string[],
): LabelRequirement {
  const errors: string[] = [];
  if (operator === "Gt" || operator === "Lt") {
    values.forEach((value, index) => {
      if (parseInt64(value) === undefined) {
        errors.push(
          invalid(`values[${index}]`, value, "for 'Gt', 'Lt' operators, the value must be an integer"),
        );
      }
    });
  }
  values.forEach((value, index) => {
    const valueErrors = labelValueErrors(value);
    if (valueErrors.length > 0)
      errors.push(invalid(`values[${index}][${key}]`, value, valueErrors.join("; ")));
  });
  if (errors.length > 0) throw new SelectorError(aggregate(errors));
  return { key, operator, values };
}

// Validation of label keys and values, worded as k8s.io/apimachinery/pkg/util/validation words it.

const QUALIFIED_NAME_FORMAT = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]";
const QUALIFIED_NAME_MESSAGE =
  "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
const LABEL_VALUE_FORMAT = `(${QUALIFIED_NAME_FORMAT})?`;
const LABEL_VALUE_MESSAGE =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
const DNS1123_LABEL_FORMAT = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
const DNS1123_SUBDOMAIN_FORMAT = `${DNS1123_LABEL_FORMAT}(\\.${DNS1123_LABEL_FORMAT})*`;
const DNS1123_SUBDOMAIN_MESSAGE =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character";

const anchored = (format: string) => new RegExp(`^(?:${format})$`);
const QUALIFIED_NAME = anchored(QUALIFIED_NAME_FORMAT);
const LABEL_VALUE = anchored(LABEL_VALUE_FORMAT);
const DNS1123_SUBDOMAIN = anchored(DNS1123_SUBDOMAIN_FORMAT);

function qualifiedNameErrors(value: string): string[] {
  const parts = value.split("/");
  const errors: string[] = [];
  if (parts.length > 2) {
    const format = regexError(QUALIFIED_NAME_MESSAGE, QUALIFIED_NAME_FORMAT, "MyName", "my.name", "123-abc");
    return [
      `a qualified name ${format} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`,
    ];
  }
  const name = parts.at(-1) ?? "";
  if (parts.length === 2) {
    const prefix = parts[0] ?? "";
    if (prefix === "") errors.push("prefix part must be non-empty");
    else errors.push(...dns1123SubdomainErrors(prefix).map((error) => `prefix part ${error}`));
  }
  if (name === "") errors.push("name part must be non-empty");
  else if (byteLength(name) > 63) errors.push("name part must be no more than 63 characters");
  if (!QUALIFIED_NAME.test(name)) {
    errors.push(
      `name part ${regexError(QUALIFIED_NAME_MESSAGE, QUALIFIED_NAME_FORMAT, "MyName", "my.name", "123-abc")}`,
    );
  }
  return errors;
}

function dns1123SubdomainErrors(value: string): string[] {
  const errors: string[] = [];
  if (byteLength(value) > 253) errors.push("must be no more than 253 characters");
  if (!DNS1123_SUBDOMAIN.test(value)) {
    errors.push(regexError(DNS1123_SUBDOMAIN_MESSAGE, DNS1123_SUBDOMAIN_FORMAT, "example.com"));
  }
  return errors;
}

function labelValueErrors(value: string): string[] {
  const errors: string[] = [];
  if (byteLength(value) > 63) errors.push("must be no more than 63 characters");
  if (!LABEL_VALUE.test(value)) {
    errors.push(regexError(LABEL_VALUE_MESSAGE, LABEL_VALUE_FORMAT, "MyValue", "my_value", "12345"));
  }
  return errors;
}

/** Go's validation.RegexError, double space after each example included. */
function regexError(message: string, format: string, ...examples: string[]): string {
  const shown = examples.map((example) => `'${example}', `).join(" or ");
  return `${message} (e.g. ${shown}regex used for validation is '${format}')`;
}

/** A field.Invalid error as Go prints it. */
function invalid(path: string, value: string, detail: string): string {
  return `${path}: Invalid value: ${goQuote(value)}: ${detail}`;
}

/** Go's errors aggregate: one message alone, several de-duplicated in brackets. */
function aggregate(messages: string[]): string {
  const unique = [...new Set(messages)];
  return unique.length === 1 ? (unique[0] ?? "") : `[${unique.join(", ")}]`;
}

const byteLength = (text: string) => Buffer.byteLength(text, "utf8");

/** Go's %q for strings. */
function goQuote(text: string): string {
  const escapes: Record<string, string> = {
    '"': '\\"',
    "\\": "\\\\",
    "\x07": "\\a",
    "\b": "\\b",
    "\f": "\\f",
    "\n": "\\n",
    "\r": "\\r",
    "\t": "\\t",
    "\v": "\\v",
  };
  let quoted = "";
  for (const char of text) {
    const code = char.codePointAt(0) ?? 0;
    if (escapes[char] !== undefined) quoted += escapes[char];
    else if (code < 0x20 || code === 0x7f) quoted += `\\x${code.toString(16).padStart(2, "0")}`;
    else quoted += char;
  }
  return `"${quoted}"`;
}

// ---------------------------------------------------------------------------------------------
// Field selectors: `metadata.name=a,status.phase!=Running`, with `\,` `\=` `\\` escapes in values

/** How a custom resource's fields may be selected; ignored for built-in kinds. */
export interface CustomResourceFieldOptions {
  /** Cluster-scoped custom resources reject `metadata.namespace`. */
  clusterScoped?: boolean;
  /** spec.selectableFields of the CRD version, as JSONPaths (`.spec.color`) or labels (`spec.color`). */
  selectableFields?: readonly string[];
}

export function parseFieldSelector(
  text: string,
  kind: string,
  group: string,
  customResource: CustomResourceFieldOptions = {},
): ObjectPredicate {
  const fields = isBuiltInGroup(group)
    ? (BUILTIN_FIELDS[`${group}/${kind}`] ?? OBJECT_META_ONLY)
    : customResourceFields(customResource);
  const terms = parseFieldTerms(text).map((term) => {
    const read = fields.readers[term.field];
    if (read === undefined) throw new SelectorError(fields.reject(term.field));
    return { ...term, read };
  });
  return (object) => terms.every(({ read, value, equal }) => (read(object) === value) === equal);
}

interface FieldTerm {
  field: string;
  value: string;
  /** `=` and `==` against `!=`. */
  equal: boolean;
}

function parseFieldTerms(text: string): FieldTerm[] {
  // kube-apiserver sorts the terms before parsing them, which decides which error is reported first.
  const parts = splitUnescapedCommas(text).sort();
  const terms: FieldTerm[] = [];
  for (const part of parts) {
    if (part === "") continue;
    const term = splitTerm(part);
    if (term === undefined)
      throw new SelectorError(`invalid selector: '${text}'; can't understand '${part}'`);
    terms.push({ field: term.field, value: unescapeFieldValue(term.value), equal: term.operator !== "!=" });
  }
  return terms;
}

function splitUnescapedCommas(text: string): string[] {
  if (text === "") return [];
  const parts: string[] = [];
  let start = 0;
  let escaped = false;
  for (let at = 0; at < text.length; at++) {
    const char = text.charAt(at);
    if (escaped) escaped = false;
    else if (char === "\\") escaped = true;
    else if (char === ",") {
      parts.push(text.slice(start, at));
      start = at + 1;
    }
  }
  parts.push(text.slice(start));
  return parts;
}

/** The first operator from the left wins, `!=` and `==` before `=` at the same position. */
function splitTerm(term: string): { field: string; operator: string; value: string } | undefined {
  for (let at = 0; at < term.length; at++) {
    for (const operator of ["!=", "==", "="]) {
      if (term.startsWith(operator, at)) {
        return { field: term.slice(0, at), operator, value: term.slice(at + operator.length) };
      }
    }
  }
  return undefined;
}

function unescapeFieldValue(value: string): string {
  let unescaped = "";
  let escaped = false;
  for (const char of value) {
    if (escaped) {
      if (char !== "\\" && char !== "," && char !== "=") {
        throw new SelectorError(`invalid field selector: invalid escape sequence: \\${char}`);
      }
      unescaped += char;
      escaped = false;
    } else if (char === "\\") {
      escaped = true;
    } else if (char === "," || char === "=") {
      throw new SelectorError(`invalid field selector: unescaped character in value: ${char}`);
    } else {
      unescaped += char;
    }
  }
  if (escaped) throw new SelectorError("invalid field selector: invalid escape sequence: \\");
  return unescaped;
}

// Which fields each kind can be selected by, and the value each has on an object. Mirrors the field
// label conversion functions of kube-apiserver (pkg/apis/*/v1/conversion.go), which decide the
// accepted labels and the error wording, and the registries' selectable field sets, which decide
// the values (Go zero values and API defaults included, as stored objects always carry them).

type FieldReader = (object: KubeObject) => string;

interface SelectableFields {
  readers: Record<string, FieldReader>;
  reject: (field: string) => string;
}

/** A JSON value as a field selector compares it: Go's string form, "" when absent. */
function fieldText(value: unknown): string {
  return typeof value === "string" || typeof value === "number" || typeof value === "boolean"
    ? String(value)
    : "";
}

function dig(object: unknown, path: readonly string[]): unknown {
  let current = object;
  for (const key of path) {
    if (typeof current !== "object" || current === null) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

const at =
  (path: string, fallback = ""): FieldReader =>
  (object) =>
    fieldText(dig(object, path.split("."))) || fallback;

const flag =
  (path: string): FieldReader =>
  (object) =>
    String(dig(object, path.split(".")) === true);

const count =
  (path: string): FieldReader =>
  (object) => {
    const value = dig(object, path.split("."));
    return typeof value === "number" ? String(value) : "0";
  };

const metadataName: FieldReader = (object) => object.metadata.name ?? "";
const metadataNamespace: FieldReader = (object) => object.metadata.namespace ?? "";
const objectMeta = { "metadata.name": metadataName, "metadata.namespace": metadataNamespace };

const notSupported = (field: string) => `field label not supported: ${field}`;

const OBJECT_META_ONLY: SelectableFields = {
  readers: objectMeta,
  reject: (field) =>
    `${goQuote(field)} is not a known field selector: only "metadata.name", "metadata.namespace"`,
};

const podIP: FieldReader = (object) => {
  const podIPs = dig(object, ["status", "podIPs"]);
  const first: unknown = Array.isArray(podIPs) ? podIPs[0] : undefined;
  return fieldText(dig(first, ["ip"])) || fieldText(dig(object, ["status", "podIP"]));
};

/** Events are read in their core/v1 shape, whichever version the object is in. */
const coreEvent = (object: KubeObject) =>
  object.apiVersion.startsWith("events.k8s.io/") ? toCoreEvent(object) : object;
const eventField =
  (path: string): FieldReader =>
  (object) =>
    fieldText(dig(coreEvent(object), path.split(".")));
const eventSource: FieldReader = (object) => {
  const event = coreEvent(object);
  return fieldText(dig(event, ["source", "component"])) || fieldText(event.reportingComponent);
};

const INVOLVED_OBJECT_FIELDS = [
  "kind",
  "namespace",
  "name",
  "uid",
  "apiVersion",
  "resourceVersion",
  "fieldPath",
];

const coreEventReaders: Record<string, FieldReader> = {
  ...objectMeta,
  ...Object.fromEntries(
    INVOLVED_OBJECT_FIELDS.map((field) => [`involvedObject.${field}`, eventField(`involvedObject.${field}`)]),
  ),
  reason: eventField("reason"),
  reportingComponent: eventField("reportingComponent"),
  source: eventSource,
  type: eventField("type"),
};

const BUILTIN_FIELDS: Record<string, SelectableFields> = {
  "/Pod": {
    readers: {
      ...objectMeta,
      "spec.nodeName": at("spec.nodeName"),
      "spec.restartPolicy": at("spec.restartPolicy", "Always"),
      "spec.schedulerName": at("spec.schedulerName", "default-scheduler"),
      "spec.serviceAccountName": at("spec.serviceAccountName"),
      "spec.hostNetwork": flag("spec.hostNetwork"),
      "status.phase": at("status.phase"),
      "status.podIP": podIP,
      // Accepted by the conversion but absent from the selectable set, so it only ever equals "".
      "status.podIPs": () => "",
      "status.nominatedNodeName": at("status.nominatedNodeName"),
      // The pre-1.0 name of spec.nodeName, still accepted.
      "spec.host": at("spec.nodeName"),
    },
    reject: notSupported,
  },
  "/Node": {
    readers: { "metadata.name": metadataName, "spec.unschedulable": flag("spec.unschedulable") },
    reject: notSupported,
  },
  "/Namespace": {
    readers: { "metadata.name": metadataName, "status.phase": at("status.phase", "Active") },
    reject: notSupported,
  },
  "/Secret": { readers: { ...objectMeta, type: at("type", "Opaque") }, reject: notSupported },
  "/Service": {
    readers: {
      ...objectMeta,
      "spec.clusterIP": at("spec.clusterIP"),
      "spec.type": at("spec.type", "ClusterIP"),
    },
    reject: notSupported,
  },
  "/ReplicationController": {
    readers: { ...objectMeta, "status.replicas": count("status.replicas") },
    reject: notSupported,
  },
  "/Event": { readers: coreEventReaders, reject: notSupported },
  "events.k8s.io/Event": {
    readers: {
      ...objectMeta,
      ...Object.fromEntries(
        INVOLVED_OBJECT_FIELDS.map((field) => [`regarding.${field}`, eventField(`involvedObject.${field}`)]),
      ),
      reason: eventField("reason"),
      reportingController: eventField("reportingComponent"),
      source: eventSource,
      type: eventField("type"),
    },
    reject: notSupported,
  },
  "batch/Job": {
    readers: { ...objectMeta, "status.successful": count("status.succeeded") },
    reject: (field) => `field label ${goQuote(field)} not supported for Job`,
  },
  "certificates.k8s.io/CertificateSigningRequest": {
    readers: { "metadata.name": metadataName, "spec.signerName": at("spec.signerName") },
    reject: notSupported,
  },
};

function customResourceFields({
  clusterScoped = false,
  selectableFields = [],
}: CustomResourceFieldOptions): SelectableFields {
  const readers: Record<string, FieldReader> = { "metadata.name": metadataName };
  if (!clusterScoped) readers["metadata.namespace"] = metadataNamespace;
  for (const path of selectableFields) {
    const field = path.replace(/^\./, "");
    readers[field] = at(field);
  }
  return { readers, reject: notSupported };
}
