-- Reference tenants table of @tenant-lint/runtime (PostgreSQL 13+ for gen_random_uuid()).
-- Same shape as schema/tenant.prisma and the Drizzle `tenants` table in @tenant-lint/runtime/drizzle.
CREATE TABLE IF NOT EXISTS tenants (
  id          uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
  name        text        NOT NULL,
  -- Lowercase label usable as a subdomain: what the subdomain and path resolvers look up.
  slug        text        NOT NULL CONSTRAINT tenants_slug_format CHECK (slug ~ '^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$'),
  created_at  timestamptz NOT NULL DEFAULT now(),
  -- Set by the application on update (Prisma's @updatedAt and Drizzle's $onUpdate do it client-side).
  updated_at  timestamptz NOT NULL DEFAULT now(),
  is_active   boolean     NOT NULL DEFAULT true
);

-- One tenant per slug: resolvers look tenants up by it.
CREATE UNIQUE INDEX IF NOT EXISTS tenants_slug_key ON tenants (slug);
-- Admin listings and jobs that walk active tenants.
CREATE INDEX IF NOT EXISTS tenants_is_active_idx ON tenants (is_active);
