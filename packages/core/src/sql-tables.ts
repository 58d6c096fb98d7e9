import type { AnalysisContext } from "./context.js";
import type { TableInfo } from "./model.js";
import { escapeRegExp } from "./scope.js";
import { fileNodes } from "./file-nodes.js";

/**
 * Tables that no ORM declares but that the program's own raw SQL shows to be tenant-scoped: a
 * query names a configured tenant key as a column of the table (`SELECT ... FROM visits WHERE
 * clinic_id = $1`, `INSERT INTO visits (clinic_id, ...)`, `JOIN visits v ON v.clinic_id = ...`).
 * This is how a table reached only through a driver (`pg`) is known: if one query has to pin its
 * tenant column, every query on it has to. A column is attributed to a table only without
 * ambiguity: qualified by the table's name or alias, or unqualified in a query on one table.
 * Tables some ORM's metadata declares are left to that metadata (it knows their columns).
 */
function sqlTenantTables(ctx: AnalysisContext): readonly TableInfo[] {
  return ctx.programWide("sql:tenant-tables", () => {
    const found = new Map<string, { orm: TableInfo["orm"]; columns: Set<string> }>();
    for (const sf of ctx.program.getSourceFiles()) {
      if (sf.isDeclarationFile || sf.fileName.includes("/node_modules/")) continue;
      const { calls, taggedTemplates } = fileNodes(sf);
      for (const node of [...calls, ...taggedTemplates]) {
        const raw = ctx.rawSqlOf(node);
        if (!raw) continue;
        for (const [table, column] of tenantColumnsOf(raw.text, ctx.config.tenantKeys)) {
          if (ctx.tablesNamed(table).length) continue;
          const entry = found.get(table) ?? { orm: raw.orm, columns: new Set<string>() };
          entry.columns.add(column);
          found.set(table, entry);
        }
      }
    }
    return [...found].map(([name, { orm, columns }]) => ({ orm, name, tenantColumns: [...columns] }));
  });
}

/** Words after a table name that are SQL, not an alias. */
const NOT_ALIAS = new Set(
  "where on using join inner left right full outer cross natural group order limit offset having union set values select returning as for window fetch except intersect default".split(" "),
);

/** `[table, tenant column]` pairs the SQL text states without ambiguity. */
export function tenantColumnsOf(sql: string, tenantKeys: readonly string[]): Array<[string, string]> {
  const text = sql.replace(/--.*$/gm, "").replace(/\/\*[\s\S]*?\*\//g, "").replace(/'(?:[^']|'')*'/g, "''");
  const tables = new Map<string, string>(); // name or alias (lowercased) -> table name
  const names = new Set<string>();
  const re = /\b(?:from|join|update|into)\s+((?:"[^"]+"|`[^`]+`|\w+)(?:\.(?:"[^"]+"|`[^`]+`|\w+))?)(?:\s+(?:as\s+)?(\w+))?/gi;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const name = m[1]!.replace(/^.*\./, "").replace(/["`]/g, "");
    names.add(name);
    tables.set(name.toLowerCase(), name);
    const alias = m[2];
    if (alias && !NOT_ALIAS.has(alias.toLowerCase())) tables.set(alias.toLowerCase(), name);
  }
  const pairs: Array<[string, string]> = [];
  for (const key of tenantKeys) {
    const col = new RegExp(`(?:(["\`]?\\w+["\`]?)\\.)?(?<![\\w:@$])["\`]?${escapeRegExp(key)}["\`]?(?!\\w)`, "gi");
    for (let m = col.exec(text); m; m = col.exec(text)) {
      const qualifier = m[1]?.replace(/["`]/g, "").toLowerCase();
      const table = qualifier ? tables.get(qualifier) : names.size === 1 ? [...names][0] : undefined;
      if (table && !pairs.some(([t, c]) => t === table && c === key)) pairs.push([table, key]);
    }
  }
  return pairs;
}

/**
 * The tenant-scoped table raw SQL names (`quoted`: in quotes, so compared case-sensitively): as ORM
 * metadata declares it, or else as the program's own SQL shows it. The SQL is read only for tables
 * no ORM declares.
 */
export function rawSqlTenantTable(ctx: AnalysisContext, name: string, quoted: boolean): TableInfo | undefined {
  const matches = (table: TableInfo) => (quoted ? table.name === name : table.name.toLowerCase() === name.toLowerCase());
  const declared = ctx.tablesNamed(name);
  if (declared.length) return declared.find((table) => table.tenantColumns.length > 0 && matches(table));
  return sqlTenantTables(ctx).find(matches);
}

/** How a statement constrains a table's tenant column: to one tenant, to several, or not at all. */
export type RawSqlScope = "pinned" | "multi" | "none";

/**
 * The tenant-scoped tables a statement reads or writes, each with how it constrains the tenant
 * column, and for several tenants the predicate that allows them (`company_id IN (`).
 */
export function rawSqlTables(sql: string, ctx: AnalysisContext): { readonly table: TableInfo; readonly scope: RawSqlScope; readonly predicate?: string }[] {
  const text = sql.replace(/--.*$/gm, "").replace(/\/\*[\s\S]*?\*\//g, "");
  return referencedTables(text, ctx).map((table) => {
    const scopes = table.tenantColumns.map((column) => columnScope(text, column));
    if (scopes.some((s) => s.scope === "pinned")) return { table, scope: "pinned" };
    const multi = scopes.find((s) => s.scope === "multi");
    return multi ? { table, scope: "multi", predicate: multi.predicate } : { table, scope: "none" };
  });
}

function referencedTables(text: string, ctx: AnalysisContext): TableInfo[] {
  const found: TableInfo[] = [];
  const re = /\b(?:from|join|update|into)\s+((?:"[^"]+"|`[^`]+`|[\w]+)(?:\.(?:"[^"]+"|`[^`]+`|\w+))?)/gi;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const quoted = /["`]/.test(m[1]!);
    const name = m[1]!.replace(/^.*\./, "").replace(/["`]/g, "");
    const table = rawSqlTenantTable(ctx, name, quoted);
    if (table && !found.includes(table)) found.push(table);
  }
  return found;
}

/**
 * `"tenantId" = $1`, `t.org_id = ?`, an INSERT column list naming the tenant column: pinned.
 * `org_id IN (...)`, `= ANY($1)`, `<>`, `NOT IN`: several tenants.
 */
function columnScope(text: string, column: string): { readonly scope: RawSqlScope; readonly predicate?: string } {
  const col = `(?:[\\w"\`]+\\.)?["\`]?${escapeRegExp(column)}["\`]?`;
  if (new RegExp(`${col}\\s*=\\s*(?:\\$\\d+|\\?|:\\w+|@\\w+|'[^']*'|\\d+|current_setting)`, "i").test(text)) return { scope: "pinned" };
  if (new RegExp(`\\binsert\\s+into\\s+[^(]*\\([^)]*${col}[^)]*\\)`, "i").test(text)) return { scope: "pinned" };
  const several = new RegExp(`${col}\\s*(?:in\\s*\\(|not\\s+in\\b|=\\s*any\\s*\\(|<>|!=)`, "i").exec(text);
  return several ? { scope: "multi", predicate: several[0].replace(/\s+/g, " ") } : { scope: "none" };
}
