import { randomUUID } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createTenantContext, type TenantContext } from "../context.js";
import type { RowFilter, RowId } from "../repository.js";

/** The five tenant-scoped methods; TenantScopedRepository has them, and so may a hand-written repository. */
export interface TenantScopedRepositoryLike<Row, Create, Update> {
  listForTenant(ctx: TenantContext, filter?: RowFilter<Row>): Promise<Row[]>;
  getForTenant(ctx: TenantContext, id: RowId): Promise<Row | null>;
  createForTenant(ctx: TenantContext, input: Create): Promise<Row>;
  updateForTenant(ctx: TenantContext, id: RowId, patch: Update): Promise<Row | null>;
  deleteForTenant(ctx: TenantContext, id: RowId): Promise<boolean>;
}

export interface TenantIsolationSubject<Row, Create, Update> {
  repository: TenantScopedRepositoryLike<Row, Create, Update>;
  /** Field holding the tenant on rows. Default "tenantId". */
  tenantKey?: string;
  /** Default "id". */
  idKey?: string;
  /** A valid create input. The same `key` in two tenants is "the same record" (e.g. a per-tenant unique business key). */
  newRow(key: string): Create;
  /** A valid patch that changes at least one visible field. */
  patch(key: string): Update;
  /** Two different tenants. Default: two fresh contexts with random UUID ids, new for each test. */
  tenants?: () => [TenantContext, TenantContext] | Promise<[TenantContext, TenantContext]>;
  /** Runs after each test. */
  teardown?: () => void | Promise<void>;
}

const CONCURRENT_REQUESTS_PER_TENANT = 8;

/**
 * Registers a vitest suite asserting that a repository keeps tenants apart. `factory` runs before
 * every test (create connections in your own beforeAll and hand out repositories here).
 */
export function describeTenantIsolationContract<Row extends object, Create extends object, Update extends object>(
  name: string,
  factory: () => TenantIsolationSubject<Row, Create, Update> | Promise<TenantIsolationSubject<Row, Create, Update>>,
): void {
  describe(`tenant isolation contract: ${name}`, () => {
    let subject: TenantIsolationSubject<Row, Create, Update>;
    let repo: TenantScopedRepositoryLike<Row, Create, Update>;
    let a: TenantContext;
    let b: TenantContext;
    const field = (row: Row | null | undefined, key: string): unknown => (row as Record<string, unknown> | null | undefined)?.[key];
    const idOf = (row: Row) => field(row, subject.idKey ?? "id") as RowId;
    const tenantOf = (row: Row | null) => field(row, subject.tenantKey ?? "tenantId");
    const idsOf = (rows: Row[]) => rows.map((row) => String(idOf(row))).sort();
    const uniqueKey = (label: string) => `${label}-${randomUUID().slice(0, 8)}`;

    beforeEach(async () => {
      subject = await factory();
      repo = subject.repository;
      [a, b] = subject.tenants ? await subject.tenants() : [randomTenant(), randomTenant()];
      expect(a.tenantId, "the two contract tenants must differ").not.toBe(b.tenantId);
    });

    afterEach(async () => {
      await subject?.teardown?.();
    });

    it("keeps the same key in two tenants apart", async () => {
      const key = uniqueKey("same");
      const rowA = await repo.createForTenant(a, subject.newRow(key));
      const rowB = await repo.createForTenant(b, subject.newRow(key));

      expect(idOf(rowA)).not.toEqual(idOf(rowB));
      expect(idsOf(await repo.listForTenant(a))).toEqual([String(idOf(rowA))]);
      expect(idsOf(await repo.listForTenant(b))).toEqual([String(idOf(rowB))]);

      const updated = await repo.updateForTenant(a, idOf(rowA), subject.patch(key));
      expect(updated, "an update in the row's own tenant must return the updated row").not.toBeNull();
      expect(updated).toMatchObject(subject.patch(key) as object);
      expect(await repo.getForTenant(a, idOf(rowA))).toEqual(updated);
      expect(await repo.getForTenant(b, idOf(rowB))).toEqual(rowB);
    });

    it("deleting in one tenant leaves the other tenant's row", async () => {
      const key = uniqueKey("delete");
      const rowA = await repo.createForTenant(a, subject.newRow(key));
      const rowB = await repo.createForTenant(b, subject.newRow(key));

      expect(await repo.deleteForTenant(a, idOf(rowA))).toBe(true);

      expect(await repo.getForTenant(a, idOf(rowA))).toBeNull();
      expect(await repo.getForTenant(b, idOf(rowB))).toEqual(rowB);
      expect(idsOf(await repo.listForTenant(b))).toEqual([String(idOf(rowB))]);
    });

    it("by-id reads, updates and deletes from another tenant touch nothing", async () => {
      const key = uniqueKey("by-id");
      const rowA = await repo.createForTenant(a, subject.newRow(key));

      expect(await repo.getForTenant(b, idOf(rowA))).toBeNull();
      expect(await repo.updateForTenant(b, idOf(rowA), subject.patch(key))).toBeNull();
      expect(await repo.deleteForTenant(b, idOf(rowA))).toBe(false);

      expect(await repo.getForTenant(a, idOf(rowA))).toEqual(rowA);
    });

    it("lists never include another tenant's rows", async () => {
      const own = [];
      for (const label of ["l1", "l2", "l3"]) own.push(await repo.createForTenant(a, subject.newRow(uniqueKey(label))));
      for (const label of ["l4", "l5"]) await repo.createForTenant(b, subject.newRow(uniqueKey(label)));

      const listed = await repo.listForTenant(a);
      expect(idsOf(listed)).toEqual(idsOf(own));
      expect(listed.every((row) => tenantOf(row) === a.tenantId)).toBe(true);

      const namingOtherTenant = { [subject.tenantKey ?? "tenantId"]: b.tenantId } as RowFilter<Row>;
      expect(await repo.listForTenant(a, namingOtherTenant)).toEqual([]);
    });

    it("never moves a row to another tenant through an update", async () => {
      const key = uniqueKey("immutable");
      const rowA = await repo.createForTenant(a, subject.newRow(key));
      const moving = { ...subject.patch(key), [subject.tenantKey ?? "tenantId"]: b.tenantId } as Update;

      // Either answer is allowed (TenantScopedRepository throws TenantKeyImmutableError); the row must stay put.
      await repo.updateForTenant(a, idOf(rowA), moving).catch(() => undefined);

      expect(tenantOf(await repo.getForTenant(a, idOf(rowA)))).toBe(a.tenantId);
      expect(await repo.getForTenant(b, idOf(rowA))).toBeNull();
      expect(await repo.listForTenant(b)).toEqual([]);
    });

    it("create takes the tenant from the context, not from the input", async () => {
      const input = { ...subject.newRow(uniqueKey("create")), [subject.tenantKey ?? "tenantId"]: b.tenantId } as Create;

      const created = await repo.createForTenant(a, input);

      expect(tenantOf(created)).toBe(a.tenantId);
      expect(await repo.getForTenant(a, idOf(created))).toEqual(created);
      expect(await repo.listForTenant(b)).toEqual([]);
    });

    it("concurrent requests for different tenants never mix", async () => {
      const request = async (ctx: TenantContext, index: number) => {
        const created = await repo.createForTenant(ctx, subject.newRow(uniqueKey(`c${index}`)));
        const readBack = await repo.getForTenant(ctx, idOf(created));
        return { created, readBack, listed: await repo.listForTenant(ctx) };
      };
      const indexes = [...Array(CONCURRENT_REQUESTS_PER_TENANT).keys()];
      // Interleaved: a0, b0, a1, b1 … all in flight at once.
      const results = await Promise.all(indexes.flatMap((i) => [request(a, i), request(b, i)]));

      for (const [position, { created, readBack, listed }] of results.entries()) {
        const ctx = position % 2 === 0 ? a : b;
        expect(tenantOf(created)).toBe(ctx.tenantId);
        expect(readBack).toEqual(created);
        expect(listed.every((row) => tenantOf(row) === ctx.tenantId)).toBe(true);
      }
      expect(await repo.listForTenant(a)).toHaveLength(CONCURRENT_REQUESTS_PER_TENANT);
      expect(await repo.listForTenant(b)).toHaveLength(CONCURRENT_REQUESTS_PER_TENANT);
    });

    it("refuses anything that is not a real TenantContext", async () => {
      const rowA = await repo.createForTenant(a, subject.newRow(uniqueKey("forged")));
      const forged = Object.freeze({ tenantId: a.tenantId }) as unknown as TenantContext;

      await expect(repo.listForTenant(forged)).rejects.toThrow();
      await expect(repo.getForTenant(forged, idOf(rowA))).rejects.toThrow();
      await expect(repo.createForTenant(forged, subject.newRow(uniqueKey("forged")))).rejects.toThrow();
      await expect(repo.updateForTenant(forged, idOf(rowA), subject.patch("forged"))).rejects.toThrow();
      await expect(repo.deleteForTenant(forged, idOf(rowA))).rejects.toThrow();
      expect(idsOf(await repo.listForTenant(a))).toEqual([String(idOf(rowA))]);
    });
  });
}

function randomTenant(): TenantContext {
  return createTenantContext({ tenantId: randomUUID() });
}
