import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { checkProject } from "../src/check.js";
import { loadProject } from "../src/project.js";
import { expectedFindings, findingKey } from "../../core/tests/labels.js";

const fixturesDir = path.resolve(import.meta.dirname, "../../../fixtures");
// `migrate-*` apps are the codemods' whole-app inputs: single-tenant code, deliberately unscoped
// and unlabelled (packages/codemods/tests/whole-app.test.ts checks them before and after migration).
const apps = fs
  .readdirSync(fixturesDir)
  .filter((name) => fs.existsSync(path.join(fixturesDir, name, "tsconfig.json")) && !name.startsWith("migrate-"))
  .sort();

// Each fixture app is a small real-stack project labelled with `// expect-next: RULE MESSAGE_ID`:
// the whole-program analysis must report exactly the labelled places, and nothing else.
describe.each(apps)("fixture app %s", (app) => {
  it("reports exactly the labelled findings", () => {
    const appDir = path.join(fixturesDir, app);
    const outcome = checkProject(loadProject(appDir));
    expect(outcome.internalErrors).toEqual([]);
    const actual = outcome.results.flatMap((result) =>
      result.messages.map((m) =>
        findingKey({
          file: path.relative(appDir, result.filePath),
          line: m.line,
          ruleId: (m.ruleId ?? "").replace("@tenant-lint/", ""),
          messageId: m.messageId ?? "",
        }),
      ),
    );
    const expected = expectedFindings(appDir).map(findingKey);
    expect(actual.sort()).toEqual(expected.sort());
  });
});
