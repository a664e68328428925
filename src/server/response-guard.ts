// Keeps a tool's answer within the model's budget. A read that is too big is replaced by advice on
// how to ask for less, never silently cut; a write already happened, so its answer is cut with a
// note instead of turning into a failure.
import type { Tool, ToolResult } from "../tools/tool.ts";

export const DEFAULT_RESPONSE_LIMIT = 100_000;

export function guardResponseSize(tool: Tool, result: ToolResult, limit: number): ToolResult {
  const size = result.text.length;
  if (size <= limit) return result;
  if (tool.writes) {
    const note = `\n[answer cut at ${limit} of ${size} characters; the operation itself completed]`;
    return { ...result, text: result.text.slice(0, Math.max(0, limit - note.length)) + note };
  }
  return { text: narrowingHint(tool, size, limit), isError: true };
}

function narrowingHint(tool: Tool, size: number, limit: number): string {
  const arguments_ = new Set(Object.keys(tool.input));
  const ways = [
    arguments_.has("name") && "a name",
    arguments_.has("namespace") && "a namespace",
    arguments_.has("selector") && "a label selector",
    arguments_.has("fields") && "fields to project",
    arguments_.has("limit") && "a smaller limit",
    arguments_.has("grep") && "a grep pattern",
    arguments_.has("since") && "a shorter since",
    arguments_.has("query") && "a more specific query",
  ].filter((way): way is string => typeof way === "string");
  const advice = ways.length > 0 ? `call ${tool.name} again with ${ways.join(", ")}` : "ask for less";
  return `The answer of ${tool.name} is ${size} characters, over the ${limit}-character limit: ${advice}.`;
}
