import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseMarkdown, sectionBody, slugify } from "../../src/docs/markdown.ts";

const TEXT = `---
title: Front title
keywords: [alpha, beta]
---

# Front title

Intro line.

## First

Body of first.

\`\`\`yaml
# a YAML comment, not a heading
key: value
\`\`\`

### Nested

Nested body.

## First

Same heading again.
`;

describe("parseMarkdown", () => {
  const doc = parseMarkdown("notes/sample", TEXT);

  it("takes the title and keywords from the front matter", () => {
    assert.equal(doc.title, "Front title");
    assert.equal(doc.keywords, "alpha beta");
  });

  it("splits sections at headings outside code fences, with their trail and line ranges", () => {
    const summary = doc.sections.map((section) => ({
      trail: section.trail.join(" › "),
      anchor: section.anchor,
      lines: [section.startLine, section.bodyEnd, section.end],
    }));
    assert.deepEqual(summary, [
      { trail: "", anchor: "", lines: [7, 9, 9] },
      { trail: "First", anchor: "first", lines: [10, 18, 22] },
      { trail: "First › Nested", anchor: "nested", lines: [19, 22, 22] },
      { trail: "First", anchor: "first-1", lines: [23, 25, 25] },
    ]);
  });

  it("gives a section's body without its heading or surrounding blank lines", () => {
    const [intro, first] = doc.sections;
    assert.ok(intro && first);
    assert.deepEqual(sectionBody(doc, intro), { text: "Intro line.", firstLine: 8 });
    const body = sectionBody(doc, first);
    assert.equal(body.firstLine, 12);
    assert.match(body.text, /^Body of first\.\n\n```yaml\n# a YAML comment, not a heading/);
  });

  it("uses a single top heading as the title when there is no front matter", () => {
    const plain = parseMarkdown("a/b", "# Plain title\n\ntext\n\n## Part\n\nmore\n");
    assert.equal(plain.title, "Plain title");
    assert.deepEqual(
      plain.sections.map((section) => section.trail),
      [[], ["Part"]],
    );
  });

  it("keeps several top headings as sections and falls back to the path for the title", () => {
    const multi = parseMarkdown("guide/multi", "# One\n\na\n\n# Two\n\nb\n");
    assert.equal(multi.title, "guide/multi");
    assert.deepEqual(
      multi.sections.map((section) => section.anchor),
      ["one", "two"],
    );
  });
});

describe("slugify", () => {
  it("makes GitHub-style anchors", () => {
    assert.equal(slugify("Install, upgrade and remediation"), "install-upgrade-and-remediation");
    assert.equal(slugify("spec.install.remediation"), "specinstallremediation");
    assert.equal(slugify("Force and reset (HelmRelease)"), "force-and-reset-helmrelease");
  });
});
