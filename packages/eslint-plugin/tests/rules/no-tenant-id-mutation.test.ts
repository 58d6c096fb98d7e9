import rule from "../../src/rules/no-tenant-id-mutation.js";
import { runOrmCases, type OrmCases } from "../rule-tester.js";

runOrmCases("no-tenant-id-mutation", rule, import.meta.glob<{ default: OrmCases }>("../cases/*/no-tenant-id-mutation.ts", { eager: true }));
