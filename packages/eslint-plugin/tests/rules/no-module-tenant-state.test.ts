import rule from "../../src/rules/no-module-tenant-state.js";
import { runOrmCases, type OrmCases } from "../rule-tester.js";

runOrmCases("no-module-tenant-state", rule, import.meta.glob<{ default: OrmCases }>("../cases/*/no-module-tenant-state.ts", { eager: true }));
