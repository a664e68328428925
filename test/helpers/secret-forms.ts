// Every form a Secret value can take in an output, computed here independently of the server's
// masking code: raw, JSON-escaped (once and twice), YAML single-quoted, URL-encoded, base64 in its
// three alignments, and each long line of a multi-line value the same ways.
export function encodingsOf(value: string): string[] {
  const forms = new Set<string>();
  const add = (text: string) => {
    forms.add(text);
    forms.add(JSON.stringify(text).slice(1, -1));
    forms.add(JSON.stringify(JSON.stringify(text).slice(1, -1)).slice(1, -1));
    forms.add(text.replaceAll("'", "''"));
    forms.add(encodeURIComponent(text));
    const bytes = Buffer.from(text);
    for (let offset = 0; offset < 3; offset++) {
      const encoded = Buffer.concat([Buffer.alloc(offset), bytes]).toString("base64");
      forms.add(encoded.slice(Math.ceil((offset * 8) / 6), Math.floor(((offset + bytes.length) * 8) / 6)));
    }
  };
  add(value);
  for (const line of value.split("\n")) if (line.length >= 16 && !line.startsWith("-----")) add(line);
  return [...forms].filter((form) => form.length >= 8);
}
