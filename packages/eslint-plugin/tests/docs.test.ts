import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import plugin from "../src/index.js";
import { fixtureRuleTester } from "./rule-tester.js";

const repoRoot = path.resolve(import.meta.dirname, "../../..");
const docsDir = path.join(repoRoot, "docs", "rules");

interface Example {
  readonly kind: "incorrect" | "correct";
  readonly fixture: string;
  readonly code: string;
}

/** The ❌/✅ code blocks of a rule page; `ts fixture=<app>` picks the fixture app they are linted in. */
function examplesOf(markdown: string): Example[] {
  const examples: Example[] = [];
  const sections = markdown.split(/^### /m).slice(1);
  for (const section of sections) {
    const kind = section.startsWith("❌") ? "incorrect" : section.startsWith("✅") ? "correct" : undefined;
    if (!kind) continue;
    for (const block of section.matchAll(/```ts(?: fixture=([\w-]+))?\n([\s\S]*?)```/g)) {
      examples.push({ kind, fixture: block[1] ?? "prisma-express", code: block[2]! });
    }
  }
  return examples;
}

/** Lines marked `// ❌ messageId` (or `... ❌ messageId` at the end of a comment) must be reported. */
function expectedErrors(code: string): { messageId: string; line: number }[] {
  return code
    .split("\n")
    .map((text, i) => ({ match: /❌\s+(\w+)\s*$/.exec(text), line: i + 1 }))
    .filter((l) => l.match)
    .map((l) => ({ messageId: l.match![1]!, line: l.line }));
}

for (const [id, rule] of Object.entries(plugin.rules)) {
  const file = path.join(docsDir, `${id}.md`);
  const markdown = fs.existsSync(file) ? fs.readFileSync(file, "utf8") : "";

  describe(`docs/rules/${id}.md`, () => {
    it("has the sections every rule page has", () => {
      expect(markdown.startsWith(`# ${id}\n`)).toBe(true);
      for (const heading of ["## Rule details", "## Examples", "### ❌ Incorrect", "### ✅ Correct", "## Options", "## When not to use it"]) {
        expect(markdown, heading).toContain(heading);
      }
      expect(markdown).toContain(`> ${rule.meta.docs.description}.`);
    });

    it("has incorrect examples with marked errors and correct examples", () => {
      const examples = examplesOf(markdown);
      expect(examples.filter((e) => e.kind === "incorrect").every((e) => expectedErrors(e.code).length > 0)).toBe(true);
      expect(examples.some((e) => e.kind === "incorrect")).toBe(true);
      expect(examples.some((e) => e.kind === "correct")).toBe(true);
    });
  });

  // The examples are linted for real, in the fixture app they name.
  const examples = examplesOf(markdown);
  for (const fixture of new Set(examples.map((e) => e.fixture))) {
    const inFixture = examples.filter((e) => e.fixture === fixture);
    fixtureRuleTester(fixture).run(`${id} docs examples (${fixture})`, rule as never, {
      valid: inFixture.filter((e) => e.kind === "correct").map((e) => ({ code: e.code })),
      invalid: inFixture.filter((e) => e.kind === "incorrect").map((e) => ({ code: e.code, errors: expectedErrors(e.code) as never })),
    });
  }
}
