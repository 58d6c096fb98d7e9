import type ts from "typescript";

export type OrmName = "prisma" | "typeorm" | "drizzle" | "knex" | "kysely" | "sequelize" | "mongoose" | "mikro-orm" | "pg" | "runtime";

/** A persisted entity (model, table, collection) as its ORM's types describe it. */
export interface EntityInfo {
  readonly orm: OrmName;
  /** Model, class or table name as written in code. */
  readonly name: string;
  /** Tenant key properties the entity has (a subset of the configured tenant keys). */
  readonly tenantKeys: readonly string[];
  /** Relation properties that point at the tenant (`tenant` for key `tenantId`). */
  readonly tenantRelations: readonly string[];
  /** True when the ORM applies a tenant filter to every query by default (MikroORM `@Filter({ default: true })`). */
  readonly scopedByDefault?: boolean;
  /**
   * True for the rows of a type parameter (`Repository<T>` in a generic base repository): whichever
   * entity a subclass binds, with the tenant key the constraint declares.
   */
  readonly generic?: boolean;
}

export type Operation = "read" | "update" | "delete" | "create" | "upsert";

/**
 * One part of a query's filter. Parts are ANDed: a query is scoped when any part pins the tenant key.
 * - `object`: a criteria object (`where: {...}`), evaluated by property.
 * - `column`: a column compared with a value (`where("org_id", v)`, `where("org_id", "in", vs)`).
 * - `condition`: an expression that builds a condition (Drizzle `SQL`, a Kysely callback).
 * - `sql`: a string predicate (`"i.tenantId = :tenantId"`), with its named parameters.
 * - `unscoped`: a part that constrains something other than the tenant (a primary key).
 * - `context`: a tenant context passed to an API that scopes by it (the runtime's scoped repositories).
 * - `row`: the one row an instance method acts on (`row.update(...)`), loaded, and scoped or
 *   checked, earlier: confined to that row's tenant.
 * - `alternatives`: conditions ORed together (`where(a).where(b).orWhere(c)` is `(a AND b) OR c`),
 *   each branch parts ANDed: every branch has to pin the tenant.
 */
export type FilterPart =
  | { readonly kind: "object"; readonly expr: ts.Expression }
  | { readonly kind: "column"; readonly column: string; readonly operator: string; readonly value: ts.Expression | undefined; readonly node: ts.Node }
  | { readonly kind: "condition"; readonly expr: ts.Expression }
  | { readonly kind: "sql"; readonly text: string; readonly params: ts.Expression | undefined; readonly node: ts.Node }
  | { readonly kind: "unscoped"; readonly node: ts.Node }
  | { readonly kind: "row"; readonly node: ts.Node }
  | { readonly kind: "context"; readonly expr: ts.Expression }
  | { readonly kind: "alternatives"; readonly branches: readonly (readonly FilterPart[])[]; readonly node: ts.Node };

/** One ORM call that touches an entity, as the core understands it. */
export interface DataAccess {
  readonly orm: OrmName;
  readonly entity: EntityInfo;
  readonly operation: Operation;
  /** The method that decides the operation (`findMany`, `update`, `del`, ...). */
  readonly method: string;
  /** Where findings about this access are reported: the whole ORM call (chain). */
  readonly node: ts.Expression;
  readonly filters: readonly FilterPart[];
  /** Values of new rows (create data, inserted objects), one expression per row or row list. */
  readonly created: readonly ts.Expression[];
  /** Changes written to existing rows (update data, `set({...})`). */
  readonly updated: readonly ts.Expression[];
  /** True when the call returns one row that the caller may check after loading. */
  readonly singleRow?: boolean;
  /** True when the ORM's default entity filters are switched off for this call. */
  readonly filtersDisabled?: boolean;
  /** The key the ORM's own result cache keeps this query's rows under (MikroORM `cache: [key, ttl]`, TypeORM `cache: { id }`). */
  readonly resultCacheKey?: ts.Expression;
}

/** Raw SQL text sent to the database, with the call that sends it. */
export interface RawSqlCall {
  readonly orm: OrmName;
  readonly node: ts.Expression;
  /** The SQL text; interpolated values appear as `$1`, `$2`, ... */
  readonly text: string;
}

/** A table the raw-SQL rule knows about: its database name and its tenant columns. */
export interface TableInfo {
  readonly orm: OrmName;
  readonly name: string;
  readonly tenantColumns: readonly string[];
}

/** Selects the tables of a lowercase name (see `OrmAdapter.tables`). */
export const tableNamed =
  (name: string) =>
  (table: TableInfo): boolean =>
    table.name.toLowerCase() === name;
