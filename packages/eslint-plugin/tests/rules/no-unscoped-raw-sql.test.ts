import rule from "../../src/rules/no-unscoped-raw-sql.js";
import { runOrmCases, type OrmCases } from "../rule-tester.js";

runOrmCases("no-unscoped-raw-sql", rule, import.meta.glob<{ default: OrmCases }>("../cases/*/no-unscoped-raw-sql.ts", { eager: true }));
