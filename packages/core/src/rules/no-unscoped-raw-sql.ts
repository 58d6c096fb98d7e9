import { enclosingBypass, isInsideTenantTransaction } from "../bypass.js";
import { defineCoreRule } from "../rule.js";
import { rawSqlTables } from "../sql-tables.js";
import { fileNodes } from "../file-nodes.js";

export const noUnscopedRawSql = defineCoreRule({
  id: "no-unscoped-raw-sql",
  description: "Require raw SQL on tenant-scoped tables to filter on the tenant column",
  recommended: true,
  messages: {
    unscopedRawSql:
      "Raw SQL touches tenant-scoped table {{table}} without a predicate on {{columns}}: add `{{column}} = <tenant id>` (raw SQL bypasses every ORM-level scope).",
  },
  check(sourceFile, ctx, report) {
    const { calls, taggedTemplates } = fileNodes(sourceFile);
    for (const node of [...calls, ...taggedTemplates]) {
      const raw = ctx.rawSqlOf(node);
      if (!raw || enclosingBypass(raw.node, ctx) || isInsideTenantTransaction(raw.node, ctx)) continue;
      // Table discovery walks the whole program: only pay for it once a file sends raw SQL.
      const unscoped = rawSqlTables(raw.text, ctx).find((t) => t.scope === "none")?.table;
      if (unscoped) {
        report({
          messageId: "unscopedRawSql",
          node: raw.node,
          data: { table: unscoped.name, columns: unscoped.tenantColumns.join(" or "), column: unscoped.tenantColumns[0]! },
        });
      }
    }
  },
});

