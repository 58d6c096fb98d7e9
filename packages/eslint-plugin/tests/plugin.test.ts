import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { coreRules } from "@tenant-lint/core";
import { describe, expect, it } from "vitest";
import plugin from "../src/index.js";
import { DOCS_BASE_URL } from "../src/util/create-rule.js";

const pluginDir = path.resolve(import.meta.dirname, "..");
const repoRoot = path.resolve(pluginDir, "../..");
const idsIn = (dir: string, suffix: string) =>
  fs.readdirSync(dir).filter((f) => f.endsWith(suffix) && f !== `index${suffix}`).map((f) => f.slice(0, -suffix.length)).sort();

describe("the plugin's rules", () => {
  const ruleIds = Object.keys(plugin.rules).sort();

  it("has one source file, one test file and one doc page per rule id, and nothing else", () => {
    expect(idsIn(path.join(pluginDir, "src", "rules"), ".ts")).toEqual(ruleIds);
    expect(idsIn(path.join(pluginDir, "tests", "rules"), ".test.ts")).toEqual(ruleIds);
    expect(idsIn(path.join(repoRoot, "docs", "rules"), ".md")).toEqual(ruleIds);
  });

  it("exposes exactly the core's checks, with the core's descriptions and messages", () => {
    expect(ruleIds).toEqual(Object.keys(coreRules).sort());
    for (const id of ruleIds) {
      const rule = plugin.rules[id as keyof typeof plugin.rules];
      expect(rule.meta.docs?.description).toBe(coreRules[id]!.description);
      expect(rule.meta.messages).toEqual(coreRules[id]!.messages);
      expect(rule.meta.docs?.url).toBe(`${DOCS_BASE_URL}${id}.md`);
      expect(rule.meta.type).toBe("problem");
      expect(rule.meta.defaultOptions).toBeDefined();
    }
  });

  it("describes every option in every schema", () => {
    for (const rule of Object.values(plugin.rules)) {
      for (const schema of rule.meta.schema as { properties?: Record<string, { description?: string }> }[]) {
        for (const [name, property] of Object.entries(schema.properties ?? {})) {
          expect(property.description, name).toMatch(/\w{10,}/);
        }
      }
    }
  });

  it("puts every recommended rule, and only those, in the recommended config", () => {
    const recommended = Object.keys(plugin.configs.recommended.rules ?? {}).sort();
    const expected = ruleIds.filter((id) => coreRules[id]!.recommended).map((id) => `@tenant-lint/${id}`);
    expect(recommended).toEqual(expected);
    expect(plugin.configs.recommended.plugins?.["@tenant-lint"]).toBe(plugin);
  });

  it("has generated docs that are up to date with the rule metadata", () => {
    // Fails with the list of stale files; `pnpm run docs` regenerates them.
    expect(() => execFileSync(process.execPath, [path.join(repoRoot, "scripts", "docs.mjs"), "--check"], { stdio: "pipe" })).not.toThrow();
  });
});
