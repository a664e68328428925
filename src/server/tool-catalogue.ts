// Which tools a server offers and how tools/list shows them: the catalogue filtered by mode, each
// tool's input schema (its zod shape, plus the per-call `context` argument for cluster tools)
// converted to JSON Schema, by the build when it can (see inputSchemas).
import { z } from "zod";
import { quoted } from "../kube/errors.ts";
import { contextArgument } from "../params/bounds.ts";
import type { Tool } from "../tools/tool.ts";

export interface CatalogueMode {
  /** --read-only: tools that write are not offered (and so cannot be called). */
  readOnly: boolean;
  /** Running in a pod: tools that work on the local kubeconfig are not offered. */
  inCluster: boolean;
}

/** A tool as this server offers it: the argument parser and the tools/list entry. */
export interface OfferedTool {
  tool: Tool;
  /** Parses the call's arguments; unknown argument names are refused. */
  arguments: z.ZodObject;
  /** The tools/list entry, computed once. */
  listing: ListedTool;
}

export interface ListedTool {
  name: string;
  title: string;
  description: string;
  inputSchema: { type: "object"; [keyword: string]: unknown };
  annotations: Partial<Tool["annotations"]>;
}

/**
 * The value the MCP specification gives each hint a tool leaves out; destructiveHint and
 * idempotentHint mean something only for a tool that writes.
 */
const HINT_DEFAULTS: readonly (readonly [keyof Tool["annotations"], boolean])[] = [
  ["readOnlyHint", false],
  ["destructiveHint", true],
  ["idempotentHint", false],
  ["openWorldHint", true],
];

const CONTEXT_ARGUMENT = contextArgument().optional().describe("Kubeconfig context");

export function selectTools(tools: readonly Tool[], mode: CatalogueMode): Tool[] {
  return tools.filter((tool) => !(mode.readOnly && tool.writes) && !(mode.inCluster && tool.kubeconfigOnly));
}

export function offerTools(tools: readonly Tool[], mode: CatalogueMode): OfferedTool[] {
  return selectTools(tools, mode).map((tool) => offerTool(tool, mode));
}

function offerTool(tool: Tool, mode: CatalogueMode): OfferedTool {
  // In a pod there is one cluster and no kubeconfig: a context argument would only mislead.
  const withContext = tool.usesCluster && !mode.inCluster;
  const shape = withContext ? { ...tool.input, context: CONTEXT_ARGUMENT } : tool.input;
  const parser = z.strictObject(shape);
  return {
    tool,
    arguments: parser,
    listing: {
      name: tool.name,
      title: tool.title,
      description: tool.description,
      inputSchema: BUILT_INPUT_SCHEMAS?.[schemaKey(tool, withContext)] ?? jsonSchemaOf(parser),
      annotations: listedAnnotations(tool.annotations),
    },
  };
}

/**
 * The hints that say something: every listed tool pays for its annotations in a model's context, and a
 * hint at its default value, or one that means nothing for a tool that only reads, tells a client nothing.
 */
function listedAnnotations(annotations: Tool["annotations"]): ListedTool["annotations"] {
  const listed: ListedTool["annotations"] = {};
  for (const [hint, byDefault] of HINT_DEFAULTS) {
    const meaningful = !annotations.readOnlyHint || hint === "readOnlyHint" || hint === "openWorldHint";
    if (meaningful && annotations[hint] !== byDefault) listed[hint] = annotations[hint];
  }
  return listed;
}

/** Set by the bundler (scripts/build.ts): what inputSchemas returned at build time, as JSON. */
declare const FLUX_MCP_INPUT_SCHEMAS: string | undefined;

// Converting zod shapes to JSON Schema is the slowest part of a start: the bundle gets them made.
// JSON text, because parsing it is much quicker than evaluating the same object as a JS literal.
const BUILT_INPUT_SCHEMAS =
  typeof FLUX_MCP_INPUT_SCHEMAS === "undefined"
    ? undefined
    : (JSON.parse(FLUX_MCP_INPUT_SCHEMAS) as Record<string, ListedTool["inputSchema"]>);

/** Every input schema a mode may list, by tool and by whether it has the context argument. */
export function inputSchemas(tools: readonly Tool[]): Record<string, ListedTool["inputSchema"]> {
  const schemas: Record<string, ListedTool["inputSchema"]> = {};
  for (const inCluster of [false, true]) {
    for (const { tool, listing } of offerTools(tools, { readOnly: false, inCluster })) {
      schemas[schemaKey(tool, tool.usesCluster && !inCluster)] = listing.inputSchema;
    }
  }
  return schemas;
}

function schemaKey(tool: Tool, withContext: boolean): string {
  return withContext ? `${tool.name}+context` : tool.name;
}

/**
 * The JSON Schema of a tool's arguments, less what costs every session tokens and tells a client
 * nothing it needs: the dialect, `additionalProperties: false` and `minLength: 1`. The parser still
 * refuses an unknown argument and an empty string, each with a one-line error; every bound that
 * keeps work small (maxLength, maxItems, maximum) stays in the listing.
 */
function jsonSchemaOf(parser: z.ZodObject): ListedTool["inputSchema"] {
  const {
    $schema: _dialect,
    additionalProperties: _refusedAnyway,
    ...schema
  } = z.toJSONSchema(parser, { io: "input" });
  const properties = Object.fromEntries(
    Object.entries(schema.properties ?? {}).map(([name, property]) => [name, withoutNonEmpty(property)]),
  );
  return { ...schema, type: "object", properties };
}

function withoutNonEmpty(schema: unknown): unknown {
  if (typeof schema !== "object" || schema === null) return schema;
  const { minLength, items, ...rest } = schema as { minLength?: unknown; items?: unknown };
  return {
    ...rest,
    ...(minLength !== undefined && minLength !== 1 && { minLength }),
    ...(items !== undefined && { items: withoutNonEmpty(items) }),
  };
}

/** One line naming every problem with the arguments, e.g. `limit: expected number, received string`. */
export function describeInvalidArguments(offered: OfferedTool, error: z.ZodError): string {
  const accepted = Object.keys(offered.arguments.shape);
  const problems = error.issues.map((issue) => {
    if (issue.code === "unrecognized_keys") {
      const names = issue.keys.map(quoted).join(", ");
      return `unknown argument ${names} (accepted: ${accepted.join(", ") || "none"})`;
    }
    const at = issue.path.map(String).join(".");
    const message = issue.message
      .replace(/^Invalid input: /, "")
      .replace(/^[A-Z]/, (first) => first.toLowerCase());
    return at ? `${at}: ${message}` : message;
  });
  return `invalid arguments for ${offered.tool.name}: ${problems.join("; ")}`;
}
