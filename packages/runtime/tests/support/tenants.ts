import { InMemoryTenantStore, type Tenant } from "../../src/index.js";

const at = new Date("2026-01-01T00:00:00Z");

export const acme: Tenant = { id: "11111111-1111-4111-8111-111111111111", name: "Acme", slug: "acme", createdAt: at, updatedAt: at, isActive: true };
export const globex: Tenant = { id: "22222222-2222-4222-8222-222222222222", name: "Globex", slug: "globex", createdAt: at, updatedAt: at, isActive: true };
export const dormant: Tenant = { id: "33333333-3333-4333-8333-333333333333", name: "Dormant", slug: "dormant", createdAt: at, updatedAt: at, isActive: false };

export function tenantStore(): InMemoryTenantStore {
  return new InMemoryTenantStore([acme, globex, dormant]);
}

/** A store that counts look-ups, to prove a request is resolved once. */
export function countingStore(): InMemoryTenantStore & { lookups: number } {
  const store = Object.assign(tenantStore(), { lookups: 0 });
  const byId = store.findById.bind(store);
  const bySlug = store.findBySlug.bind(store);
  store.findById = async (id) => (store.lookups++, byId(id));
  store.findBySlug = async (slug) => (store.lookups++, bySlug(slug));
  return store;
}

/** Principals in tests: a user who belongs to some tenants. */
export interface TestUser {
  tenantIds: string[];
}

export const memberOf = (principal: unknown, tenant: Tenant): boolean =>
  typeof principal === "object" && principal !== null && (principal as TestUser).tenantIds?.includes(tenant.id) === true;
