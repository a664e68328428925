// Answers that promise a size in tokens keep it without a tokenizer at run time: YAML of Kubernetes
// names, revisions and messages runs at 3.5 to 4 characters a token with the common tokenizers, so
// three characters a token errs on the short side.

const CHARACTERS_PER_TOKEN = 3;

function estimateTokens(text: string): number {
  return Math.ceil(text.length / CHARACTERS_PER_TOKEN);
}

/**
 * The most detailed rendering that fits the budget: `render(level)` for level = `levels - 1` down to
 * 0; when even level 0 is too long, its first lines that fit, and a last line saying what was left.
 */
export function fitToBudget(render: (level: number) => string, levels: number, maxTokens: number): string {
  for (let level = levels - 1; level > 0; level--) {
    const text = render(level);
    if (estimateTokens(text) <= maxTokens) return text;
  }
  const text = render(0);
  if (estimateTokens(text) <= maxTokens) return text;
  const lines = text.split("\n");
  const kept: string[] = [];
  let used = 0;
  const reserve = 40 * CHARACTERS_PER_TOKEN;
  for (const line of lines) {
    if ((used + line.length + 1) / CHARACTERS_PER_TOKEN > maxTokens - reserve / CHARACTERS_PER_TOKEN) break;
    kept.push(line);
    used += line.length + 1;
  }
  return `${kept.join("\n")}\n# … ${lines.length - kept.length} more lines cut to stay within ${maxTokens} tokens\n`;
}
