import fs from "node:fs";
import path from "node:path";
import { coreRules } from "@tenant-lint/core";
import { Ajv, type ValidateFunction } from "ajv";
import addFormatsModule from "ajv-formats";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { docsUrlOf } from "../src/main.js";
import { copyProject, projectsDir, run } from "./helpers.js";

// ajv-formats is CommonJS: under NodeNext its default import is `module.exports`, which carries the
// plugin again as `.default`.
const addFormats = addFormatsModule.default;

/* eslint-disable @typescript-eslint/no-explicit-any -- SARIF logs are read as plain JSON here */

let validate: ValidateFunction;

beforeAll(() => {
  const schema = JSON.parse(fs.readFileSync(path.join(import.meta.dirname, "schemas", "sarif-schema-2.1.0.json"), "utf8"));
  // The file names draft 2020-12 but uses only draft-07 keywords; Ajv's draft-07 validator checks it
  // as written, and would refuse the unknown meta-schema URI.
  delete schema.$schema;
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats(ajv);
  validate = ajv.compile(schema);
});

afterEach(() => {
  vi.restoreAllMocks();
});

async function sarifOf(dir: string, ...args: string[]): Promise<{ log: any; code: number; stderr: string }> {
  const result = await run(["check", dir, "--format", "sarif", ...args]);
  return { log: JSON.parse(result.stdout), code: result.code, stderr: result.stderr };
}

function expectValid(log: unknown): void {
  const valid = validate(log);
  expect(validate.errors ?? []).toEqual([]);
  expect(valid).toBe(true);
}

describe("SARIF output", () => {
  it.each(["clean", "findings", "parse-error"])("validates against the SARIF 2.1.0 schema (%s)", async (name) => {
    const { log } = await sarifOf(path.join(projectsDir, name));
    expectValid(log);
  });

  it("is checked by a validator that rejects broken logs", async () => {
    const { log } = await sarifOf(path.join(projectsDir, "findings"));
    log.runs[0].results[0].level = "fatal";
    log.runs[0].results[0].locations[0].physicalLocation.region.startLine = 0;
    expect(validate(log)).toBe(false);
    expect(validate.errors?.map((e) => e.instancePath)).toEqual(
      expect.arrayContaining(["/runs/0/results/0/level", "/runs/0/results/0/locations/0/physicalLocation/region/startLine"]),
    );
  });

  it("describes every rule with its description and documentation link", async () => {
    const { log } = await sarifOf(path.join(projectsDir, "clean"));
    const rules = log.runs[0].tool.driver.rules;
    expect(rules.map((r: any) => r.id)).toEqual(Object.keys(coreRules).map((id) => `@tenant-lint/${id}`));
    for (const rule of rules) {
      expect(rule.helpUri).toBe(docsUrlOf(rule.id));
      expect(rule.shortDescription.text).toBe(coreRules[rule.name]!.description);
    }
  });

  it("locates results relative to the repository root, with the taint path as a code flow", async () => {
    const { log } = await sarifOf(path.join(projectsDir, "findings"));
    const [taint, unscoped] = log.runs[0].results;
    expect(taint.ruleId).toBe("@tenant-lint/no-client-tenant-id");
    expect(log.runs[0].tool.driver.rules[taint.ruleIndex].id).toBe(taint.ruleId);
    expect(taint.locations[0].physicalLocation.artifactLocation).toEqual({
      uri: "packages/cli/tests/projects/findings/src/billing/routes.ts",
      uriBaseId: "%SRCROOT%",
    });
    const steps = taint.codeFlows[0].threadFlows[0].locations.map(
      (l: any) => `${l.location.physicalLocation.artifactLocation.uri.replace(/.*\//, "")}:${l.location.physicalLocation.region.startLine} ${l.location.message.text}`,
    );
    expect(steps).toEqual([
      "routes.ts:10 client-controlled Koa `ctx.query`",
      "routes.ts:10 assigned to `requested`",
      "routes.ts:11 passed to `subscriptionsOfOrg()`",
      "subscriptions.ts:9 reaches the tenant key of this subscriptions read",
    ]);
    expect(unscoped.codeFlows).toBeUndefined();
    expect(unscoped.partialFingerprints["tenantLint/v1"]).toMatch(/^[0-9a-f]{32}:1$/);
  });

  it("keeps findings switched off in the source as suppressed results with their reason", async () => {
    const { log } = await sarifOf(path.join(projectsDir, "findings"));
    const suppressed = log.runs[0].results.filter((r: any) => r.suppressions);
    expect(suppressed).toHaveLength(1);
    expect(suppressed[0].suppressions).toEqual([{ kind: "inSource", justification: "nightly cleanup job, all orgs on purpose" }]);
  });

  it("reports a parse error as a tool execution notification, not as a finding", async () => {
    const { log } = await sarifOf(path.join(projectsDir, "parse-error"));
    const invocation = log.runs[0].invocations[0];
    expect(invocation.executionSuccessful).toBe(true);
    expect(invocation.toolExecutionNotifications).toEqual([
      expect.objectContaining({
        level: "error",
        message: { text: "Parsing error: ':' expected." },
        locations: [
          {
            physicalLocation: {
              artifactLocation: { uri: "packages/cli/tests/projects/parse-error/src/broken.ts", uriBaseId: "%SRCROOT%" },
              region: { startLine: 4, startColumn: 10 },
            },
          },
        ],
      }),
    ]);
    expect(log.runs[0].results.map((r: any) => r.ruleId)).toEqual(["@tenant-lint/require-tenant-scope"]);
  });

  it("reports a rule that throws as a failed execution, and exits 2 with the other findings intact", async () => {
    const rule = coreRules["require-bypass-reason"]!;
    vi.spyOn(rule, "check").mockImplementation((sourceFile) => {
      if (sourceFile.fileName.endsWith("routes.ts")) throw new Error("boom in routes");
    });
    // A copy, so no other test's analyzer (memoised per program) has these findings cached.
    const { log, code, stderr } = await sarifOf(copyProject("findings"));
    expectValid(log);
    expect(code).toBe(2);
    expect(stderr).toMatch(/routes\.ts: rule @tenant-lint\/require-bypass-reason failed: boom in routes/);
    const invocation = log.runs[0].invocations[0];
    expect(invocation.executionSuccessful).toBe(false);
    expect(invocation.toolExecutionNotifications).toEqual([
      expect.objectContaining({
        message: { text: "Rule @tenant-lint/require-bypass-reason failed: boom in routes" },
        associatedRule: { id: "@tenant-lint/require-bypass-reason", index: Object.keys(coreRules).indexOf("require-bypass-reason") },
      }),
    ]);
    expect(log.runs[0].results.filter((r: any) => !r.suppressions)).toHaveLength(2);
  });
});
