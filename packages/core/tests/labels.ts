import fs from "node:fs";
import path from "node:path";

/** A place a fixture app says a rule must report: `// expect-next: RULE MESSAGE_ID` above the line. */
export interface ExpectedFinding {
  readonly file: string;
  readonly line: number;
  readonly ruleId: string;
  readonly messageId: string;
}

const LABEL = /\/\/\s*expect-next:\s*([\w-]+)\s+(\w+)/;

/** Every label in the app's sources (generated code excluded), with the line each one points at. */
export function expectedFindings(appDir: string): ExpectedFinding[] {
  const out: ExpectedFinding[] = [];
  for (const file of sourceFiles(appDir)) {
    const lines = fs.readFileSync(file, "utf8").split("\n");
    lines.forEach((text, index) => {
      const match = LABEL.exec(text);
      if (!match) return;
      let target = index + 1;
      while (target < lines.length && (/^\s*$/.test(lines[target]!) || /^\s*\/\//.test(lines[target]!))) target++;
      out.push({ file: path.relative(appDir, file), line: target + 1, ruleId: match[1]!, messageId: match[2]! });
    });
  }
  return out;
}

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === "node_modules" || entry.name === "generated") continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...sourceFiles(full));
    else if (/\.(ts|tsx|mts|cts)$/.test(entry.name) && !entry.name.endsWith(".d.ts")) out.push(full);
  }
  return out.sort();
}

export function findingKey(f: { file: string; line: number; ruleId: string; messageId: string }): string {
  return `${f.file}:${f.line} ${f.ruleId} ${f.messageId}`;
}
