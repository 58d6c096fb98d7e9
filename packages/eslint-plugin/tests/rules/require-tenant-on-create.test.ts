import rule from "../../src/rules/require-tenant-on-create.js";
import { runOrmCases, type OrmCases } from "../rule-tester.js";

runOrmCases("require-tenant-on-create", rule, import.meta.glob<{ default: OrmCases }>("../cases/*/require-tenant-on-create.ts", { eager: true }));
