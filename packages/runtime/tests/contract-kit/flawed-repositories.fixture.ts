// Hand-written repositories, each with one classic tenant-isolation bug, run through the contract
// kit. tests/contract-kit.test.ts checks that the kit fails each of them on the right test.
import { randomUUID } from "node:crypto";
import { isTenantContext, type TenantContext } from "../../src/index.js";
import { describeTenantIsolationContract, type TenantScopedRepositoryLike } from "../../src/testing/index.js";

export const FLAWS = [
  "none",
  "listIgnoresTenant",
  "getIgnoresTenant",
  "updateIgnoresTenant",
  "deleteIgnoresTenant",
  "createTrustsInput",
  "updateMovesTenant",
  "sharedCurrentTenant",
  "acceptsForgedContext",
] as const;
export type Flaw = (typeof FLAWS)[number];

interface Row {
  id: string;
  tenantId: string;
  key: string;
  name: string;
}
type Input = Partial<Row>;

class FlawedRepository implements TenantScopedRepositoryLike<Row, Input, Input> {
  readonly #rows = new Map<string, Row>();
  #currentTenant = ""; // only used by the "sharedCurrentTenant" flaw

  constructor(private readonly flaw: Flaw) {}

  async listForTenant(ctx: TenantContext, filter: Partial<Row> = {}) {
    const tenant = await this.tenantOf(ctx);
    return [...this.#rows.values()]
      .filter((row) => this.flaw === "listIgnoresTenant" || row.tenantId === tenant)
      .filter((row) => Object.entries(filter).every(([key, value]) => row[key as keyof Row] === value))
      .map((row) => ({ ...row }));
  }

  async getForTenant(ctx: TenantContext, id: string | number) {
    const row = this.find(await this.tenantOf(ctx), String(id), this.flaw === "getIgnoresTenant");
    return row ? { ...row } : null;
  }

  async createForTenant(ctx: TenantContext, input: Input) {
    const tenant = await this.tenantOf(ctx);
    const row: Row = { id: randomUUID(), key: "", name: "", ...input, tenantId: this.flaw === "createTrustsInput" ? (input.tenantId ?? tenant) : tenant };
    this.#rows.set(row.id, row);
    return { ...row };
  }

  async updateForTenant(ctx: TenantContext, id: string | number, patch: Input) {
    const row = this.find(await this.tenantOf(ctx), String(id), this.flaw === "updateIgnoresTenant");
    if (!row) return null;
    const { tenantId, ...rest } = patch;
    Object.assign(row, rest, this.flaw === "updateMovesTenant" && tenantId ? { tenantId } : {});
    return { ...row };
  }

  async deleteForTenant(ctx: TenantContext, id: string | number) {
    const row = this.find(await this.tenantOf(ctx), String(id), this.flaw === "deleteIgnoresTenant");
    return row ? this.#rows.delete(row.id) : false;
  }

  private find(tenant: string, id: string, ignoreTenant: boolean): Row | undefined {
    const row = this.#rows.get(id);
    return row && (ignoreTenant || row.tenantId === tenant) ? row : undefined;
  }

  private async tenantOf(ctx: TenantContext): Promise<string> {
    if (this.flaw !== "acceptsForgedContext" && !isTenantContext(ctx)) throw new TypeError("not a TenantContext");
    if (this.flaw !== "sharedCurrentTenant") return ctx.tenantId;
    // The bug: request state kept on a shared object, read back after an await.
    this.#currentTenant = ctx.tenantId;
    await new Promise((resolve) => setTimeout(resolve, 1));
    return this.#currentTenant;
  }
}

for (const flaw of FLAWS) {
  describeTenantIsolationContract(flaw, () => ({
    repository: new FlawedRepository(flaw),
    newRow: (key) => ({ key, name: `Row ${key}` }),
    patch: (key) => ({ name: `Renamed ${key}` }),
  }));
}
