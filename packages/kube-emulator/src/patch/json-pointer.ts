// RFC 6901 JSON pointers: "/spec/containers/0/image", with "~1" for "/" and "~0" for "~".

/** The reference tokens of a pointer; "" (the whole document) has none. Undefined when malformed. */
export function parseJsonPointer(pointer: string): string[] | undefined {
  if (pointer === "") return [];
  if (!pointer.startsWith("/")) return undefined;
  return pointer
    .slice(1)
    .split("/")
    .map((token) => token.replaceAll("~1", "/").replaceAll("~0", "~"));
}

/** An array index token: digits without leading zeros (RFC 6901 section 4). */
export function parseArrayIndex(token: string): number | undefined {
  return /^(0|[1-9][0-9]*)$/.test(token) ? Number(token) : undefined;
}
