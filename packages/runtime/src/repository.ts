import { assertTenantContext, type TenantContext } from "./context.js";
import { useCrossTenantGrant, type CrossTenantGrant } from "./bypass.js";
import { TenantKeyImmutableError } from "./errors.js";

export type RowId = string | number;

/** Equality filter: every given field must match (null matches NULL). */
export type RowFilter<Row> = { [K in keyof Row]?: Row[K] | null };

/** The tenant a single adapter call is confined to. */
export interface TenantScope {
  readonly tenantKey: string;
  readonly tenantId: string;
}

/**
 * The ORM-specific half of a repository. Every scoped method must put the tenant condition in the
 * same statement as the rest of its WHERE clause (no read-then-write), so a row of another tenant is
 * never touched, not even briefly.
 */
export interface TenantRepositoryAdapter<Row, Create, Update> {
  /** Field/column holding the tenant id on rows (as rows come back from this adapter). */
  readonly tenantKey: string;
  readonly idKey: string;
  list(scope: TenantScope, filter: Readonly<Record<string, unknown>>): Promise<Row[]>;
  /** Every tenant's rows: reachable only through TenantScopedRepository.listAcrossTenants and a grant. */
  listAll(filter: Readonly<Record<string, unknown>>): Promise<Row[]>;
  get(scope: TenantScope, id: RowId): Promise<Row | null>;
  /** A plain INSERT (never an upsert): `data` already carries the tenant key. */
  insert(data: Create): Promise<Row>;
  /** null when no row with this id exists in the scope. */
  update(scope: TenantScope, id: RowId, patch: Update): Promise<Row | null>;
  /** false when no row with this id exists in the scope. */
  delete(scope: TenantScope, id: RowId): Promise<boolean>;
}

/** Thrown when an adapter hands back a row of another tenant: an adapter bug, caught before the caller sees it. */
export class TenantIsolationViolationError extends Error {
  override readonly name = "TenantIsolationViolationError";
}

/**
 * Tenant-safe CRUD over any adapter. Every method takes the TenantContext first and fails closed:
 * - not a real TenantContext: throws NotATenantContextError;
 * - the tenant condition is always added; a filter naming another tenant matches nothing;
 * - create takes the tenant from the context and ignores any tenant key in the input;
 * - update throws TenantKeyImmutableError when the patch names a different tenant (the same tenant is dropped);
 * - another tenant's id reads as absent: get/update give null, delete gives false.
 */
export class TenantScopedRepository<Row extends object, Create extends object = Partial<Row>, Update extends object = Partial<Row>> {
  protected readonly adapter: TenantRepositoryAdapter<Row, Create, Update>;

  constructor(adapter: TenantRepositoryAdapter<Row, Create, Update>) {
    this.adapter = adapter;
  }

  get tenantKey(): string {
    return this.adapter.tenantKey;
  }

  async listForTenant(ctx: TenantContext, filter?: RowFilter<Row>): Promise<Row[]> {
    const scope = this.scopeOf(ctx, "listForTenant");
    const where = definedFields(filter ?? {});
    if (this.tenantKey in where) {
      if (String(where[this.tenantKey]) !== scope.tenantId) return []; // AND of two different tenants
      delete where[this.tenantKey];
    }
    return this.checked(scope, await this.adapter.list(scope, where));
  }

  async getForTenant(ctx: TenantContext, id: RowId): Promise<Row | null> {
    const scope = this.scopeOf(ctx, "getForTenant");
    return this.checkedOne(scope, await this.adapter.get(scope, requireId(id)));
  }

  async createForTenant(ctx: TenantContext, input: Create): Promise<Row> {
    const scope = this.scopeOf(ctx, "createForTenant");
    const data = definedFields(input);
    data[this.tenantKey] = scope.tenantId;
    return this.checkedOne(scope, await this.adapter.insert(data as Create))!;
  }

  async updateForTenant(ctx: TenantContext, id: RowId, patch: Update): Promise<Row | null> {
    const scope = this.scopeOf(ctx, "updateForTenant");
    const rowId = requireId(id);
    const changes = definedFields(patch);
    if (this.tenantKey in changes) {
      if (String(changes[this.tenantKey]) !== scope.tenantId) throw new TenantKeyImmutableError(this.tenantKey);
      delete changes[this.tenantKey];
    }
    // An empty UPDATE is invalid SQL for some builders; nothing to change means "read it back".
    if (Object.keys(changes).length === 0) return this.getForTenant(ctx, rowId);
    return this.checkedOne(scope, await this.adapter.update(scope, rowId, changes as Update));
  }

  async deleteForTenant(ctx: TenantContext, id: RowId): Promise<boolean> {
    const scope = this.scopeOf(ctx, "deleteForTenant");
    return (await this.adapter.delete(scope, requireId(id))) === true;
  }

  /** Rows of every tenant. Needs a live grant from withCrossTenantAccess; each call is audited. */
  async listAcrossTenants(grant: CrossTenantGrant, filter?: RowFilter<Row>): Promise<Row[]> {
    await useCrossTenantGrant(grant, "listAcrossTenants");
    return this.adapter.listAll(definedFields(filter ?? {}));
  }

  /** For subclasses adding their own queries: asserts the context and returns the scope to filter by. */
  protected scopeOf(ctx: TenantContext, operation: string): TenantScope {
    assertTenantContext(ctx, `${this.constructor.name}.${operation}`);
    return { tenantKey: this.tenantKey, tenantId: ctx.tenantId };
  }

  private checked(scope: TenantScope, rows: Row[]): Row[] {
    for (const row of rows) this.assertInScope(scope, row);
    return rows;
  }

  private checkedOne(scope: TenantScope, row: Row | null): Row | null {
    if (row !== null) this.assertInScope(scope, row);
    return row;
  }

  private assertInScope(scope: TenantScope, row: Row): void {
    const value = (row as Record<string, unknown>)[scope.tenantKey];
    if (value === undefined || value === null || String(value) !== scope.tenantId) {
      throw new TenantIsolationViolationError(
        `Adapter returned a row whose "${scope.tenantKey}" is not the caller's tenant (or is missing).`,
      );
    }
  }
}

// Some ORMs read `{ id: undefined }` as "no condition" (TypeORM returns the first row): refuse such ids.
function requireId(id: RowId): RowId {
  const valid = (typeof id === "string" && id !== "") || (typeof id === "number" && Number.isFinite(id));
  if (!valid) throw new TypeError("A row id must be a non-empty string or a finite number.");
  return id;
}

// Drops undefined fields, which ORMs treat inconsistently (ignored, DEFAULT, or "match anything").
function definedFields(input: object): Record<string, unknown> {
  if (typeof input !== "object" || input === null) throw new TypeError("Expected an object.");
  return Object.fromEntries(Object.entries(input).filter(([, value]) => value !== undefined));
}
