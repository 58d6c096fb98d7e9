import { randomUUID } from "node:crypto";
import type { RowId, TenantRepositoryAdapter, TenantScope } from "../repository.js";

export interface InMemoryAdapterOptions {
  /** Default "tenantId". */
  tenantKey?: string;
  /** Default "id". */
  idKey?: string;
  /** Id for rows created without one. Default crypto.randomUUID. */
  generateId?: () => RowId;
}

/**
 * An adapter over a Map, for unit tests and prototypes. Ids are unique across tenants (like a
 * single-column primary key); rows go in and out as copies so callers cannot edit stored rows.
 */
export function inMemoryAdapter<Row extends object, Create extends object = Partial<Row>, Update extends object = Partial<Row>>(
  options: InMemoryAdapterOptions = {},
): TenantRepositoryAdapter<Row, Create, Update> {
  const tenantKey = options.tenantKey ?? "tenantId";
  const idKey = options.idKey ?? "id";
  const generateId = options.generateId ?? randomUUID;
  const rows = new Map<RowId, Record<string, unknown>>();

  const inScope = (row: Record<string, unknown>, scope: TenantScope) => row[tenantKey] === scope.tenantId;
  const find = (scope: TenantScope, id: RowId) => {
    const row = rows.get(id);
    return row && inScope(row, scope) ? row : undefined;
  };
  const out = (row: Record<string, unknown>) => structuredClone(row) as Row;

  return {
    tenantKey,
    idKey,
    async list(scope, filter) {
      return [...rows.values()].filter((row) => inScope(row, scope) && matches(row, filter)).map(out);
    },
    async listAll(filter) {
      return [...rows.values()].filter((row) => matches(row, filter)).map(out);
    },
    async get(scope, id) {
      const row = find(scope, id);
      return row ? out(row) : null;
    },
    async insert(data) {
      const row = { ...structuredClone(data as Record<string, unknown>) };
      row[idKey] ??= generateId();
      const id = row[idKey] as RowId;
      if (rows.has(id)) throw new Error(`Duplicate id "${String(id)}".`);
      rows.set(id, row);
      return out(row);
    },
    async update(scope, id, patch) {
      const row = find(scope, id);
      if (!row) return null;
      const next = { ...row, ...structuredClone(patch as Record<string, unknown>) };
      const nextId = next[idKey] as RowId;
      // Like a primary key: renaming onto an existing id (maybe another tenant's) is a conflict, never an overwrite.
      if (nextId !== id && rows.has(nextId)) throw new Error(`Duplicate id "${String(nextId)}".`);
      rows.delete(id);
      rows.set(nextId, next);
      return out(next);
    },
    async delete(scope, id) {
      return find(scope, id) !== undefined && rows.delete(id);
    },
  };
}

function matches(row: Record<string, unknown>, filter: Readonly<Record<string, unknown>>): boolean {
  return Object.entries(filter).every(([key, value]) => (value === null ? row[key] == null : row[key] === value));
}
