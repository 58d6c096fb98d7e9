import rule from "../../src/rules/require-tenant-scope.js";
import { runOrmCases, type OrmCases } from "../rule-tester.js";

runOrmCases("require-tenant-scope", rule, import.meta.glob<{ default: OrmCases }>("../cases/*/require-tenant-scope.ts", { eager: true }));
