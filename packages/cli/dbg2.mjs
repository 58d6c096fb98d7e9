import ts from "typescript";
import { loadProject } from "./dist/project.js";
import { getAnalyzer, originsOf } from "@tenant-lint/core";
const p = loadProject(process.argv[2]);
const a = getAnalyzer(p.program, { config: p.config, rootDir: p.dir });
const sf = p.program.getSourceFiles().find(f => f.fileName.endsWith(process.argv[3]));
const visit = (n) => { if (ts.isExpression(n) && n.getText() === process.argv[4]) { console.log(n.getText(), JSON.stringify(originsOf(n, a.context).map(o => ({kind: o.kind, label: o.label, index: o.index})))); } ts.forEachChild(n, visit); };
visit(sf);
