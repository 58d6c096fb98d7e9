import rule from "../../src/rules/require-bypass-reason.js";
import { runOrmCases, type OrmCases } from "../rule-tester.js";

runOrmCases("require-bypass-reason", rule, import.meta.glob<{ default: OrmCases }>("../cases/*/require-bypass-reason.ts", { eager: true }));
