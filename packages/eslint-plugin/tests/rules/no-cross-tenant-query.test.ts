import rule from "../../src/rules/no-cross-tenant-query.js";
import { runOrmCases, type OrmCases } from "../rule-tester.js";

runOrmCases("no-cross-tenant-query", rule, import.meta.glob<{ default: OrmCases }>("../cases/*/no-cross-tenant-query.ts", { eager: true }));
