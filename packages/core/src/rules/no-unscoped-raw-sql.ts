import ts from "typescript";
import { enclosingBypass, isInsideTenantTransaction } from "../bypass.js";
import type { TableInfo } from "../model.js";
import { defineCoreRule } from "../rule.js";
import { escapeRegExp } from "../scope.js";
import { sqlTenantTables } from "../sql-tables.js";
import { forEachDescendant } from "../ts-utils.js";

export const noUnscopedRawSql = defineCoreRule({
  id: "no-unscoped-raw-sql",
  description: "Require raw SQL on tenant-scoped tables to filter on the tenant column",
  recommended: true,
  messages: {
    unscopedRawSql:
      "Raw SQL touches tenant-scoped table {{table}} without a predicate on {{columns}}: add `{{column}} = <tenant id>` (raw SQL bypasses every ORM-level scope).",
  },
  check(sourceFile, ctx, report) {
    forEachDescendant(sourceFile, (node) => {
      if (!ts.isCallExpression(node) && !ts.isTaggedTemplateExpression(node)) return;
      const raw = ctx.rawSqlOf(node);
      if (!raw || enclosingBypass(raw.node, ctx) || isInsideTenantTransaction(raw.node, ctx)) return;
      // Table discovery walks the whole program: only pay for it once a file sends raw SQL.
      // Tenant tables come from ORM metadata, and from the program's own SQL for tables no ORM declares.
      const tables = [...ctx.tables().filter((t) => t.tenantColumns.length > 0), ...sqlTenantTables(ctx)];
      const unscoped = unscopedTables(raw.text, tables);
      if (unscoped) {
        report({
          messageId: "unscopedRawSql",
          node: raw.node,
          data: { table: unscoped.name, columns: unscoped.tenantColumns.join(" or "), column: unscoped.tenantColumns[0]! },
        });
      }
    });
  },
});

/** The first tenant-scoped table the SQL reads or writes without pinning its tenant column. */
export function unscopedTables(sql: string, tables: readonly TableInfo[]): TableInfo | undefined {
  const text = sql.replace(/--.*$/gm, "").replace(/\/\*[\s\S]*?\*\//g, "");
  for (const table of referencedTables(text, tables)) {
    if (!table.tenantColumns.some((column) => pinsColumn(text, column))) return table;
  }
  return undefined;
}

function referencedTables(text: string, tables: readonly TableInfo[]): TableInfo[] {
  const found: TableInfo[] = [];
  const re = /\b(?:from|join|update|into)\s+((?:"[^"]+"|`[^`]+`|[\w]+)(?:\.(?:"[^"]+"|`[^`]+`|\w+))?)/gi;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const quoted = /["`]/.test(m[1]!);
    const name = m[1]!.replace(/^.*\./, "").replace(/["`]/g, "");
    const table = tables.find((t) => (quoted ? t.name === name : t.name.toLowerCase() === name.toLowerCase()));
    if (table && !found.includes(table)) found.push(table);
  }
  return found;
}

/** `"tenantId" = $1`, `t.org_id = ?`, an INSERT column list naming the tenant column. */
function pinsColumn(text: string, column: string): boolean {
  const col = `(?:[\\w"\`]+\\.)?["\`]?${escapeRegExp(column)}["\`]?`;
  if (new RegExp(`${col}\\s*=\\s*(?:\\$\\d+|\\?|:\\w+|@\\w+|'[^']*'|\\d+|current_setting)`, "i").test(text)) return true;
  if (new RegExp(`\\binsert\\s+into\\s+[^(]*\\([^)]*${col}[^)]*\\)`, "i").test(text)) return true;
  return false;
}
