import fs from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { repoRoot, run } from "./helpers.js";

// `tenant-lint migrate` runs the codemods package; its own tests cover each codemod in depth.
// These check the wiring: a dry run prints the diff and exits 1, --write applies and exits 0.
const fixture = path.join(repoRoot, "fixtures", "knex-koa");
const copy = path.join(repoRoot, "fixtures", "codemod-knex", ".tmp", "cli-migrate");

afterEach(() => fs.rmSync(copy, { recursive: true, force: true }));

const UNSCOPED = `import { knex } from "./db/knex.js";
import type { OrgContext } from "./org/context.js";

export const seats = (org: OrgContext, id: number) => knex("subscriptions").where({ id }).first();
`;

/** The Knex fixture plus one read that has the org context in scope but forgets to filter on it. */
function copyFixture(): string {
  fs.rmSync(copy, { recursive: true, force: true });
  fs.cpSync(fixture, copy, { recursive: true });
  fs.writeFileSync(path.join(copy, "src/seats.ts"), UNSCOPED);
  return copy;
}

describe("tenant-lint migrate", () => {
  it("prints a diff of the added tenant filters in a dry run, and exits 1", async () => {
    const dir = copyFixture();
    const result = await run(["migrate", "scope-queries", dir]);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(`+export const seats = (org: OrgContext, id: number) => knex("subscriptions").where("org_id", org.orgId).where({ id }).first();`);
    expect(fs.readFileSync(path.join(dir, "src/seats.ts"), "utf8")).toBe(UNSCOPED);
  });

  it("applies the change with --write, and a second run has nothing left to do", async () => {
    const dir = copyFixture();
    expect((await run(["migrate", "scope-queries", dir, "--write"])).code).toBe(0);
    expect(fs.readFileSync(path.join(dir, "src/seats.ts"), "utf8")).toBe(
      UNSCOPED.replace(`knex("subscriptions").where({ id })`, `knex("subscriptions").where("org_id", org.orgId).where({ id })`),
    );
    const again = await run(["migrate", "scope-queries", dir]);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain("0 call site(s) to change");
  });

  it("refuses an unknown codemod with exit 2", async () => {
    const result = await run(["migrate", "rename-everything", fixture]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^tenant-lint: Invalid values: Argument: codemod, Given: "rename-everything"/);
  });
});
