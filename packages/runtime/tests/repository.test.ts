import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  createTenantContext,
  CrossTenantAccessError,
  inMemoryAdapter,
  NotATenantContextError,
  setAuditSink,
  TenantIsolationViolationError,
  TenantKeyImmutableError,
  TenantScopedRepository,
  withCrossTenantAccess,
  type AuditEvent,
  type CrossTenantGrant,
  type TenantRepositoryAdapter,
} from "../src/index.js";
import { describeTenantIsolationContract } from "../src/testing/index.js";

interface Invoice {
  id: string;
  tenantId: string;
  number: string;
  total: number;
  note?: string | null;
}
type NewInvoice = Omit<Invoice, "id" | "tenantId"> & { id?: string; tenantId?: string };
type InvoicePatch = Partial<Invoice>;

const a = createTenantContext({ tenantId: "tenant-a" });
const b = createTenantContext({ tenantId: "tenant-b" });

function invoices() {
  return new TenantScopedRepository<Invoice, NewInvoice, InvoicePatch>(inMemoryAdapter<Invoice, NewInvoice, InvoicePatch>());
}

describeTenantIsolationContract("in-memory adapter", () => ({
  repository: invoices(),
  newRow: (key): NewInvoice => ({ number: key, total: 10 }),
  patch: (key): InvoicePatch => ({ total: 99, note: `patched ${key}` }),
}));

describeTenantIsolationContract("in-memory adapter with tenant key org_id", () => {
  type Row = { id: string; org_id: string; title: string };
  return {
    repository: new TenantScopedRepository<Row, Partial<Row>, Partial<Row>>(inMemoryAdapter<Row>({ tenantKey: "org_id" })),
    tenantKey: "org_id",
    newRow: (key) => ({ title: key }),
    patch: (key) => ({ title: `renamed ${key}` }),
  };
});

describe("TenantScopedRepository", () => {
  let repo: TenantScopedRepository<Invoice, NewInvoice, InvoicePatch>;
  beforeEach(() => {
    repo = invoices();
  });

  it("create ignores a tenant key in the input and uses the context's", async () => {
    const row = await repo.createForTenant(a, { number: "1", total: 5, tenantId: "tenant-b" });
    expect(row.tenantId).toBe("tenant-a");
    expect(await repo.listForTenant(b)).toEqual([]);
  });

  it("update throws TenantKeyImmutableError when the patch names another tenant, and changes nothing", async () => {
    const row = await repo.createForTenant(a, { number: "1", total: 5 });
    await expect(repo.updateForTenant(a, row.id, { total: 6, tenantId: "tenant-b" })).rejects.toBeInstanceOf(TenantKeyImmutableError);
    expect(await repo.getForTenant(a, row.id)).toEqual(row);
  });

  it("update accepts the caller's own tenant in the patch (and drops it)", async () => {
    const row = await repo.createForTenant(a, { number: "1", total: 5 });
    expect(await repo.updateForTenant(a, row.id, { total: 6, tenantId: "tenant-a" })).toEqual({ ...row, total: 6 });
  });

  it("an update with nothing to change returns the row as stored", async () => {
    const row = await repo.createForTenant(a, { number: "1", total: 5 });
    expect(await repo.updateForTenant(a, row.id, { tenantId: "tenant-a", note: undefined })).toEqual(row);
    expect(await repo.updateForTenant(b, row.id, {})).toBeNull();
  });

  it("list filters are ANDed with the tenant; null matches missing values", async () => {
    await repo.createForTenant(a, { number: "1", total: 5 });
    const noted = await repo.createForTenant(a, { number: "2", total: 5, note: "x" });
    await repo.createForTenant(b, { number: "2", total: 5, note: "x" });
    expect(await repo.listForTenant(a, { number: "2" })).toEqual([noted]);
    expect((await repo.listForTenant(a, { note: null })).map((row) => row.number)).toEqual(["1"]);
    expect(await repo.listForTenant(a, { tenantId: "tenant-a", number: "2" })).toEqual([noted]);
  });

  it.each([
    ["undefined", undefined],
    ["an empty string", ""],
    ["NaN", Number.NaN],
    ["an object", { id: "x" }],
  ])("rejects %s as a row id before reaching the adapter", async (_label, id) => {
    await expect(repo.getForTenant(a, id as never)).rejects.toThrow(TypeError);
    await expect(repo.deleteForTenant(a, id as never)).rejects.toThrow(TypeError);
  });

  it("throws NotATenantContextError for a missing or forged context", async () => {
    await expect(repo.listForTenant(undefined as never)).rejects.toBeInstanceOf(NotATenantContextError);
    await expect(repo.createForTenant({ tenantId: "tenant-a" } as never, { number: "1", total: 1 })).rejects.toThrow(
      /TenantScopedRepository\.createForTenant/,
    );
  });

  it("returns copies: editing a returned row does not change the stored one", async () => {
    const row = await repo.createForTenant(a, { number: "1", total: 5 });
    row.total = 1000;
    expect((await repo.getForTenant(a, row.id))?.total).toBe(5);
  });

  it("refuses to reuse another tenant's id on create (a plain insert, never an overwrite)", async () => {
    const theirs = await repo.createForTenant(b, { number: "1", total: 5 });
    await expect(repo.createForTenant(a, { id: theirs.id, number: "x", total: 0 })).rejects.toThrow(/Duplicate/);
    expect(await repo.getForTenant(b, theirs.id)).toEqual(theirs);
  });

  it("catches an adapter that leaks another tenant's rows", async () => {
    const leaky: TenantRepositoryAdapter<Invoice, NewInvoice, InvoicePatch> = {
      ...inMemoryAdapter<Invoice, NewInvoice, InvoicePatch>(),
      list: async () => [{ id: "1", tenantId: "tenant-b", number: "1", total: 1 }],
      get: async () => ({ id: "1", tenantId: "tenant-b", number: "1", total: 1 }),
    };
    const repository = new TenantScopedRepository(leaky);
    await expect(repository.listForTenant(a)).rejects.toBeInstanceOf(TenantIsolationViolationError);
    await expect(repository.getForTenant(a, "1")).rejects.toBeInstanceOf(TenantIsolationViolationError);
  });

  it("subclasses get the asserted scope for their own queries", async () => {
    class InvoiceRepository extends TenantScopedRepository<Invoice, NewInvoice, InvoicePatch> {
      async totalForTenant(ctx: typeof a): Promise<number> {
        const scope = this.scopeOf(ctx, "totalForTenant");
        const rows = await this.adapter.list(scope, {});
        return rows.reduce((sum, row) => sum + row.total, 0);
      }
    }
    const custom = new InvoiceRepository(inMemoryAdapter());
    await custom.createForTenant(a, { number: "1", total: 5 });
    await custom.createForTenant(b, { number: "1", total: 7 });
    expect(await custom.totalForTenant(a)).toBe(5);
    await expect(custom.totalForTenant({ tenantId: "tenant-a" } as never)).rejects.toThrow(/InvoiceRepository\.totalForTenant/);
  });

  describe("listAcrossTenants", () => {
    const events: AuditEvent[] = [];
    let previous: ReturnType<typeof setAuditSink>;
    beforeEach(() => {
      events.length = 0;
      previous = setAuditSink((event) => {
        events.push(event);
      });
    });
    afterEach(() => {
      setAuditSink(previous);
    });

    it("returns every tenant's rows inside withCrossTenantAccess and audits the use", async () => {
      await repo.createForTenant(a, { number: "1", total: 5 });
      await repo.createForTenant(b, { number: "2", total: 7 });
      const rows = await withCrossTenantAccess({ reason: "monthly revenue report", actor: "job:revenue" }, (grant) =>
        repo.listAcrossTenants(grant),
      );
      expect(rows.map((row) => row.tenantId).sort()).toEqual(["tenant-a", "tenant-b"]);
      expect(events.map((event) => event.type)).toEqual([
        "cross_tenant_access.started",
        "cross_tenant_access.used",
        "cross_tenant_access.finished",
      ]);
      expect(events[1]).toMatchObject({ operation: "listAcrossTenants", reason: "monthly revenue report", actor: "job:revenue" });
    });

    it("refuses a forged grant and a grant used after its callback returned", async () => {
      const forged = { accessId: "x", reason: "r", actor: "a" } as CrossTenantGrant;
      await expect(repo.listAcrossTenants(forged)).rejects.toBeInstanceOf(CrossTenantAccessError);
      const leaked = await withCrossTenantAccess({ reason: "r", actor: "a" }, (grant) => grant);
      await expect(repo.listAcrossTenants(leaked)).rejects.toThrow(/expired/);
    });
  });
});
