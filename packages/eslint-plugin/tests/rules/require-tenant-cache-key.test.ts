import rule from "../../src/rules/require-tenant-cache-key.js";
import { runOrmCases, type OrmCases } from "../rule-tester.js";

runOrmCases("require-tenant-cache-key", rule, import.meta.glob<{ default: OrmCases }>("../cases/*/require-tenant-cache-key.ts", { eager: true }));
