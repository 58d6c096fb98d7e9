import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";

interface JsonReport {
  testResults: { assertionResults: { ancestorTitles: string[]; title: string; status: string }[] }[];
}

/** Which contract test each flaw must fail (it may fail others too). */
const EXPECTED_FAILURE: Record<string, string> = {
  listIgnoresTenant: "lists never include another tenant's rows",
  getIgnoresTenant: "by-id reads, updates and deletes from another tenant touch nothing",
  updateIgnoresTenant: "by-id reads, updates and deletes from another tenant touch nothing",
  deleteIgnoresTenant: "by-id reads, updates and deletes from another tenant touch nothing",
  createTrustsInput: "create takes the tenant from the context, not from the input",
  updateMovesTenant: "never moves a row to another tenant through an update",
  sharedCurrentTenant: "concurrent requests for different tenants never mix",
  acceptsForgedContext: "refuses anything that is not a real TenantContext",
};

describe("describeTenantIsolationContract catches broken repositories", () => {
  let statusByFlaw: Map<string, Map<string, string>>;

  beforeAll(() => {
    // Run the fixture in its own vitest process: its failures are the data this test checks.
    const dir = mkdtempSync(path.join(tmpdir(), "contract-kit-"));
    const outputFile = path.join(dir, "report.json");
    try {
      // The CLI entry is not an export; find it next to vitest's package.json.
      const vitest = path.join(path.dirname(createRequire(import.meta.url).resolve("vitest/package.json")), "vitest.mjs");
      const config = path.join(import.meta.dirname, "contract-kit", "vitest.config.ts");
      spawnSync(process.execPath, [vitest, "run", "--config", config, "--reporter=json", "--outputFile", outputFile], {
        cwd: path.join(import.meta.dirname, "contract-kit"),
        stdio: "ignore",
        timeout: 120_000,
      });
      const report = JSON.parse(readFileSync(outputFile, "utf8")) as JsonReport;
      statusByFlaw = new Map();
      for (const result of report.testResults.flatMap((file) => file.assertionResults)) {
        const flaw = result.ancestorTitles[0]!.replace("tenant isolation contract: ", "");
        if (!statusByFlaw.has(flaw)) statusByFlaw.set(flaw, new Map());
        statusByFlaw.get(flaw)!.set(result.title, result.status);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("passes every contract test for the correct repository", () => {
    const statuses = [...statusByFlaw.get("none")!.values()];
    expect(statuses).toHaveLength(8);
    expect(statuses.every((status) => status === "passed")).toBe(true);
  });

  it.each(Object.entries(EXPECTED_FAILURE))("fails the repository whose flaw is %s on: %s", (flaw, testTitle) => {
    expect(statusByFlaw.get(flaw)?.get(testTitle)).toBe("failed");
  });
});
