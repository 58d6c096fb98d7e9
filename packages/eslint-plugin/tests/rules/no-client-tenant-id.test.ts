import rule from "../../src/rules/no-client-tenant-id.js";
import { runOrmCases, type OrmCases } from "../rule-tester.js";

runOrmCases("no-client-tenant-id", rule, import.meta.glob<{ default: OrmCases }>("../cases/*/no-client-tenant-id.ts", { eager: true }));
