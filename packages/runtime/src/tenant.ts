/** The reference tenant record (schema/tenant.prisma, schema/tenant.sql and the Drizzle `tenants` table). */
export interface Tenant {
  id: string;
  name: string;
  /** Unique, lowercase; what subdomain and path resolvers look up. */
  slug: string;
  createdAt: Date;
  updatedAt: Date;
  isActive: boolean;
}

/** Where resolvers look tenants up. Return null for "no such tenant"; throw only for real failures. */
export interface TenantStore {
  findById(id: string): Promise<Tenant | null>;
  findBySlug(slug: string): Promise<Tenant | null>;
}

/** A TenantStore over an in-memory list; for tests, development and small fixed tenant sets. */
export class InMemoryTenantStore implements TenantStore {
  readonly #byId = new Map<string, Tenant>();
  readonly #bySlug = new Map<string, Tenant>();

  constructor(tenants: Iterable<Tenant> = []) {
    for (const tenant of tenants) this.add(tenant);
  }

  add(tenant: Tenant): void {
    if (this.#byId.has(tenant.id)) throw new Error(`Duplicate tenant id "${tenant.id}".`);
    if (this.#bySlug.has(tenant.slug)) throw new Error(`Duplicate tenant slug "${tenant.slug}".`);
    const copy = { ...tenant };
    this.#byId.set(copy.id, copy);
    this.#bySlug.set(copy.slug, copy);
  }

  async findById(id: string): Promise<Tenant | null> {
    return copyOrNull(this.#byId.get(id));
  }

  async findBySlug(slug: string): Promise<Tenant | null> {
    return copyOrNull(this.#bySlug.get(slug));
  }
}

// Copies so callers cannot flip isActive on the stored record.
function copyOrNull(tenant: Tenant | undefined): Tenant | null {
  return tenant ? { ...tenant } : null;
}
