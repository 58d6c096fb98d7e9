import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { expectedFindings, findingKey } from "../../core/tests/labels.js";
import { repoRoot, run, tempDir } from "./helpers.js";

const fixture = (name: string) => path.join(repoRoot, "fixtures", name);

/** A fixture app copied without its configuration, resolving packages from the fixtures' node_modules. */
function fixtureWithoutConfig(name: string): string {
  const dir = tempDir();
  fs.cpSync(fixture(name), dir, { recursive: true });
  fs.rmSync(path.join(dir, "tenant-lint.config.json"));
  fs.symlinkSync(path.join(repoRoot, "fixtures", "node_modules"), path.join(dir, "node_modules"), "dir");
  return dir;
}

const configOf = (dir: string) => JSON.parse(fs.readFileSync(path.join(dir, "tenant-lint.config.json"), "utf8"));

describe("tenant-lint init", () => {
  it("detects the ORM, the framework, the tenant keys and the context type, and says so", async () => {
    const dir = fixtureWithoutConfig("knex-koa");
    const result = await run(["init", dir], { cwd: dir });
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(
      [
        "Scanned 6 TypeScript files.",
        "  ORMs:          Knex (imports)",
        "  frameworks:    Koa (imports)",
        "  tenant keys:   org_id (2 models: SubscriptionRow, UsageRow); orgId (on OrgContext)",
        "  context types: OrgContext",
        "Wrote tenant-lint.config.json.",
        'Review it, list the files that resolve the tenant from a request under "trustedResolvers", then run `tenant-lint check`.',
        "",
      ].join("\n"),
    );
    expect(configOf(dir)).toEqual({ tenantKeys: ["org_id", "orgId"], contextTypes: ["OrgContext"] });
  });

  it("writes a configuration with which check finds the fixture's labelled findings", async () => {
    const dir = fixtureWithoutConfig("knex-koa");
    await run(["init", dir]);
    // What init cannot know: which files are trusted to turn request input into a tenant.
    fs.writeFileSync(path.join(dir, "tenant-lint.config.json"), JSON.stringify({ ...configOf(dir), trustedResolvers: ["src/org/**"] }));
    const result = await run(["check", dir, "-f", "json"]);
    const actual = (JSON.parse(result.stdout) as { filePath: string; messages: { line: number; ruleId: string; messageId: string }[] }[]).flatMap((r) =>
      r.messages.map((m) => findingKey({ file: path.relative(dir, r.filePath), line: m.line, ruleId: m.ruleId.replace("@tenant-lint/", ""), messageId: m.messageId })),
    );
    expect(actual.sort()).toEqual(expectedFindings(dir).map(findingKey).sort());
  });

  it("reads column names and decorated entities (Drizzle, TypeORM)", async () => {
    const drizzle = fixtureWithoutConfig("drizzle-hono");
    await run(["init", drizzle]);
    expect(configOf(drizzle)).toEqual({ tenantKeys: ["orgId", "org_id"], contextTypes: ["OrgContext"] });
    const typeorm = fixtureWithoutConfig("typeorm-nestjs");
    const result = await run(["init", typeorm]);
    expect(result.stdout).toContain("  ORMs:          TypeORM (imports)\n  frameworks:    NestJS (imports), Express (imports)\n");
    expect(configOf(typeorm)).toEqual({ tenantKeys: ["tenantId", "tenant_id"], contextTypes: ["TenantContext"] });
  });

  it("reads package.json dependencies and Prisma schema fields", async () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ dependencies: { "@prisma/client": "^7", fastify: "^5" } }));
    fs.mkdirSync(path.join(dir, "prisma"));
    fs.writeFileSync(
      path.join(dir, "prisma/schema.prisma"),
      [
        "model Workspace {\n  id String @id\n}",
        'model Doc {\n  id String @id\n  workspaceId String @map("workspace_id")\n}',
        "model Comment {\n  id String @id\n  workspaceId String\n}",
        "model Plan {\n  id String @id\n  accountId String\n}",
      ].join("\n"),
    );
    const result = await run(["init", dir]);
    expect(result.stdout).toContain("  ORMs:          Prisma (package.json, schema.prisma)\n  frameworks:    Fastify (package.json)\n");
    // accountId is on one model only: a foreign key, not evidence of a tenant.
    expect(configOf(dir)).toEqual({ tenantKeys: ["workspaceId", "workspace_id"] });
  });

  it("falls back to the defaults, and says so, when no key is on several models", async () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, "app.ts"), "export interface UserRow { id: string; accountId: string }\n");
    const result = await run(["init", dir]);
    expect(result.stdout).toContain("  tenant keys:   none on 2 or more models; using the defaults (tenantId, tenant_id)\n");
    expect(configOf(dir)).toEqual({});
  });

  it("refuses to overwrite a configuration unless --force", async () => {
    const dir = fixtureWithoutConfig("knex-koa");
    fs.writeFileSync(path.join(dir, "tenant-lint.config.json"), '{ "tenantKeys": ["mine"] }\n');
    const refused = await run(["init", dir], { cwd: dir });
    expect(refused).toEqual({ code: 2, stdout: "", stderr: "tenant-lint: tenant-lint.config.json: already exists (pass --force to overwrite it)\n" });
    expect(configOf(dir)).toEqual({ tenantKeys: ["mine"] });
    expect((await run(["init", dir, "--force"])).code).toBe(0);
    expect(configOf(dir).tenantKeys).toEqual(["org_id", "orgId"]);
  });

  it("fails on a missing directory", async () => {
    expect(await run(["init", "no/such/dir"])).toMatchObject({ code: 2, stderr: "tenant-lint: no/such/dir: no such directory (see `tenant-lint --help`)\n" });
  });
});

describe("tenant-lint explain", () => {
  it("prints the rule's documentation page without the generator's markers", async () => {
    const result = await run(["explain", "require-tenant-scope"], { cwd: tempDir() });
    const page = fs.readFileSync(path.join(repoRoot, "docs/rules/require-tenant-scope.md"), "utf8");
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^# require-tenant-scope\n\n> Require reads, updates and deletes/);
    expect(result.stdout).not.toContain("auto-generated");
    const markers = page.split("\n").filter((line) => line.startsWith("<!-- begin auto-generated") || line.startsWith("<!-- end auto-generated"));
    expect(markers.length).toBeGreaterThan(0);
    expect(result.stdout.split("\n").length).toBe(page.split("\n").length - markers.length);
  });

  it("accepts the prefixed id", async () => {
    const result = await run(["explain", "@tenant-lint/no-client-tenant-id"]);
    expect(result.stdout).toMatch(/^# no-client-tenant-id\n/);
  });

  it("fails on an unknown rule, listing the rules", async () => {
    const result = await run(["explain", "no-such-rule"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^tenant-lint: unknown rule "no-such-rule" \(rules: require-tenant-scope, .*require-bypass-reason\) \(see `tenant-lint --help`\)\n$/);
  });
});
