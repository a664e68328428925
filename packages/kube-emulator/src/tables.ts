// Server-side printing: turns objects into the meta.k8s.io/v1 Table that `kubectl get` asks for
// (`Accept: application/json;as=Table;v=v1;g=meta.k8s.io`). Without it kubectl can only print
// NAME and AGE. Custom resources print their CRD's additionalPrinterColumns, built-in kinds the
// columns kube-apiserver prints for them, anything else Name + Age.
import { ageSince, parseTimestamp } from "./human-duration.ts";
import { evaluateJsonPath } from "./jsonpath.ts";
import type { PrinterColumn, ResourceType } from "./resources/resource-type.ts";
import {
  AGE_COLUMN,
  NAME_COLUMN,
  builtinPrinter,
  column,
  type PrintedRow,
  type TablePrinter,
} from "./table-printers.ts";
import type { KubeObject } from "./types.ts";

export interface TableOptions {
  /** What each row carries besides its cells; kubectl's default is Metadata. */
  includeObject?: "None" | "Metadata" | "Object";
  /** The clock ages are measured against. */
  now: Date;
  listMetadata?: { resourceVersion?: string; continue?: string; remainingItemCount?: number };
  /** Leave out column definitions (the `noHeaders` table option, used for watch events). */
  noHeaders?: boolean;
}

/** A meta.k8s.io/v1 Table of `objects`, which are all of `type` at `version`. */
export function toTable(
  type: ResourceType,
  version: string,
  objects: KubeObject[],
  options: TableOptions,
): KubeObject {
  const printer = printerFor(type, version);
  const rows = objects.map((object) => {
    const printed = safePrint(printer, object, options.now);
    const row: Record<string, unknown> = { cells: printed.cells };
    if (printed.conditions) row.conditions = printed.conditions;
    const rowObject = rowObjectOf(object, options.includeObject ?? "Metadata");
    if (rowObject !== undefined) row.object = rowObject;
    return row;
  });
  return {
    kind: "Table",
    apiVersion: "meta.k8s.io/v1",
    metadata: definedOnly(options.listMetadata ?? {}),
    columnDefinitions: options.noHeaders ? [] : printer.columns,
    rows,
  };
}

function printerFor(type: ResourceType, version: string): TablePrinter {
  if (type.crdName !== undefined) {
    const served = type.versions.find((candidate) => candidate.name === version) ?? type.versions[0];
    return customResourcePrinter(served?.printerColumns ?? []);
  }
  return builtinPrinter(type.group, type.kind) ?? NAME_AGE_PRINTER;
}

const NAME_AGE_PRINTER: TablePrinter = {
  columns: [NAME_COLUMN, AGE_COLUMN],
  print: (object, now) => ({
    cells: [object.metadata.name ?? "", ageSince(object.metadata.creationTimestamp, now)],
  }),
};

/** A malformed object must not fail the whole listing: print what can be printed. */
function safePrint(printer: TablePrinter, object: KubeObject, now: Date): PrintedRow {
  try {
    return printer.print(object, now);
  } catch {
    const cells: unknown[] = printer.columns.map(() => null);
    cells[0] = object.metadata.name ?? "";
    return { cells };
  }
}

/**
 * Columns of a custom resource: Name, then the version's printer columns. A CRD without
 * printer columns gets a single Age column, as kube-apiserver adds one by default.
 */
function customResourcePrinter(printerColumns: readonly PrinterColumn[]): TablePrinter {
  const declared: PrinterColumn[] =
    printerColumns.length > 0
      ? [...printerColumns]
      : [
          {
            name: "Age",
            type: "date",
            jsonPath: ".metadata.creationTimestamp",
            description: AGE_COLUMN.description,
          },
        ];
  return {
    columns: [
      NAME_COLUMN,
      ...declared.map((printerColumn) =>
        column(
          printerColumn.name,
          printerColumn.description || `JSONPath of the column: ${printerColumn.jsonPath}`,
          {
            type: printerColumn.type,
            format: printerColumn.format ?? "",
            priority: printerColumn.priority ?? 0,
          },
        ),
      ),
    ],
    print(object, now) {
      const cells = declared.map((printerColumn) => {
        // Like kube-apiserver, only the first match is shown.
        const matches = evaluateJsonPath(object, printerColumn.jsonPath);
        return matches.length === 0 ? null : customCell(printerColumn.type, matches[0], now);
      });
      return { cells: [object.metadata.name ?? "", ...cells] };
    },
  };
}

/** A cell of a typed printer column; null (printed blank) when the value does not fit the type. */
function customCell(type: PrinterColumn["type"], value: unknown, now: Date): unknown {
  if (value === null || value === undefined) return null;
  switch (type) {
    case "string":
      // Non-string values print the way kubectl's JSONPath prints them: objects as JSON.
      if (typeof value === "string") return value;
      return typeof value === "object" ? JSON.stringify(value) : String(value as number | boolean | bigint);
    case "integer":
      return typeof value === "number" ? Math.trunc(value) : null;
    case "number":
      return typeof value === "number" ? value : null;
    case "boolean":
      return typeof value === "boolean" ? value : null;
    case "date":
      // Dates are sent as ages, already rendered: kubectl prints cells verbatim.
      if (typeof value !== "string") return null;
      if (value === "") return "<unknown>";
      return parseTimestamp(value) === undefined ? "<invalid>" : ageSince(value, now);
    default:
      return null;
  }
}

function rowObjectOf(object: KubeObject, includeObject: "None" | "Metadata" | "Object"): unknown {
  switch (includeObject) {
    case "None":
      return undefined;
    case "Object":
      return object;
    default:
      // Enough for kubectl's NAMESPACE and --show-labels / -L columns.
      return { kind: "PartialObjectMetadata", apiVersion: "meta.k8s.io/v1", metadata: object.metadata };
  }
}

function definedOnly(value: object): Record<string, unknown> {
  return Object.fromEntries(Object.entries(value).filter(([, entry]) => entry !== undefined));
}
