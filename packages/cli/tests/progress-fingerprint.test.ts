import path from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { assignFingerprints, fingerprintHash, normalizedText } from "../src/fingerprint.js";
import { Progress } from "../src/progress.js";
import { projectsDir, run } from "./helpers.js";

describe("Progress", () => {
  const stream = (isTTY: boolean) => {
    const writes: string[] = [];
    return { writes, isTTY, write: (text: string) => writes.push(text) };
  };

  it("stays silent for the first second, then redraws at most every 100 ms, and clears its line", () => {
    let now = 0;
    const out = stream(true);
    const progress = new Progress(out, { now: () => now });
    progress.update("a");
    now = 999;
    progress.update("b");
    expect(out.writes).toEqual([]);
    now = 1000;
    progress.update("c");
    now = 1050;
    progress.update("d");
    now = 1100;
    progress.update(() => "e");
    progress.done();
    expect(out.writes).toEqual(["\r\u001b[2Kc", "\r\u001b[2Ke", "\r\u001b[2K"]);
  });

  it("draws nothing at all when stderr is not a terminal", () => {
    let now = 0;
    const out = stream(false);
    const progress = new Progress(out, { now: () => now });
    now = 60_000;
    progress.update("checked 1/2 files");
    progress.done();
    expect(out.writes).toEqual([]);
  });

  it("adds nothing to a CI log: a run with findings writes only the report", async () => {
    const result = await run(["check", path.join(projectsDir, "findings"), "-f", "json"], { isTTY: false });
    expect(result.stderr).toBe("");
    expect(() => JSON.parse(result.stdout)).not.toThrow();
  });
});

describe("fingerprints", () => {
  const firstCall = (code: string) => {
    const sourceFile = ts.createSourceFile("x.ts", code, ts.ScriptTarget.Latest, true);
    let call: ts.Node | undefined;
    const visit = (node: ts.Node): void => {
      if (!call && ts.isCallExpression(node) && !ts.isPropertyAccessExpression(node.parent)) call = node;
      else ts.forEachChild(node, visit);
    };
    visit(sourceFile);
    return normalizedText(call!, sourceFile);
  };

  it("ignore whitespace, line breaks, comments, quote style, semicolons and trailing commas", () => {
    const a = firstCall('f(knex("subscriptions").where({ id, status: "active" }).first());');
    const b = firstCall("\n\n  f(\n    knex( 'subscriptions' ) // table\n      .where({ id,  status: 'active', })\n      .first( ),\n  )");
    expect(a).toBe(b);
    expect(a).toBe('f ( knex ( "subscriptions" ) . where ( { id , status : "active" } ) . first ( ) )');
  });

  it("change when the code does", () => {
    expect(firstCall('f(knex("subscriptions").where({ id }))')).not.toBe(firstCall('f(knex("subscriptions").where({ uid }))'));
    expect(firstCall('f("a b")')).not.toBe(firstCall('f("a  b")'));
  });

  it("number identical code in source order, whatever order the findings come in", () => {
    const item = (start: number, text = "same") => ({ ruleId: "require-tenant-scope", file: "src/a.ts", text, start });
    const hash = fingerprintHash("require-tenant-scope", "src/a.ts", "same");
    expect(assignFingerprints([item(50), item(10), item(30, "other"), item(90)])).toEqual([
      `${hash}:2`,
      `${hash}:1`,
      `${fingerprintHash("require-tenant-scope", "src/a.ts", "other")}:1`,
      `${hash}:3`,
    ]);
  });

  it("differ between rules and files for the same code", () => {
    expect(fingerprintHash("a", "src/x.ts", "t")).not.toBe(fingerprintHash("b", "src/x.ts", "t"));
    expect(fingerprintHash("a", "src/x.ts", "t")).not.toBe(fingerprintHash("a", "src/y.ts", "t"));
  });
});
