import { positionOf, type OrmCases } from "../../rule-tester.js";

// node-postgres used directly next to Mongoose: no ORM declares the SQL tables, so a table is
// tenant-scoped when the program's own SQL names a tenant key as one of its columns.
const header = `import type { Pool, PoolClient } from "pg";
import type { AccountContext } from "./accounts/account-context.js";
declare const pool: Pool;
declare const client: PoolClient;
export const scoped = (a: AccountContext) => pool.query("SELECT day, total FROM usage_daily WHERE accountId = $1", [a.accountId]);
`;

function reported(code: string, snippet: string) {
  return { code: header + code, errors: [{ messageId: "unscopedRawSql" as const, ...positionOf(header + code, snippet) }] };
}

export default {
  fixture: "mongoose-koa",
  valid: [
    header + `export const f = (a: AccountContext, day: string) => client.query({ text: "SELECT total FROM usage_daily WHERE accountId = $1 AND day = $2", values: [a.accountId, day] });`,
    // No SQL names a tenant column of \`plans_catalog\`.
    header + `export const f = () => pool.query("SELECT code, price FROM plans_catalog ORDER BY code");`,
    // A tenant column in a join names the joined table only (qualified), not the other.
    header + `export const f = (a: AccountContext) => pool.query("SELECT c.name FROM countries c JOIN usage_daily u ON u.country = c.code WHERE u.accountId = $1", [a.accountId]);\nexport const g = () => pool.query("SELECT name FROM countries");`,
    // Not node-postgres: another library's \`query\`.
    header + `declare const other: { query(sql: string): Promise<unknown> };\nexport const f = () => other.query("SELECT * FROM usage_daily");`,
  ],
  invalid: [
    reported(`export const f = (day: string) => pool.query("SELECT accountId, total FROM usage_daily WHERE day = $1", [day]);`, `pool.query("SELECT accountId`),
    reported("const sql = `DELETE FROM usage_daily WHERE day < now() - interval '1 year'`;\nexport const f = () => client.query(sql);", "client.query(sql)"),
  ],
} satisfies OrmCases<"unscopedRawSql">;
