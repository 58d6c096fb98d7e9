import fs from "node:fs";
import path from "node:path";

/** The project-specific knowledge tenant-lint is given; everything else is read from types. */
export interface TenantLintConfig {
  /** Property or column names that hold a row's tenant, e.g. `tenantId`, `org_id`. */
  readonly tenantKeys: readonly string[];
  /** Type names of trusted tenant contexts, e.g. `TenantContext`. */
  readonly contextTypes: readonly string[];
  /** Globs (relative to the config's directory) of files allowed to turn request input into a tenant. */
  readonly trustedResolvers: readonly string[];
  /** Allow an `AsyncLocalStorage` holding the tenant at module level (no-module-tenant-state). */
  readonly allowAsyncLocalStorage: boolean;
}

export const CONFIG_FILE_NAME = "tenant-lint.config.json";

export const DEFAULT_CONFIG: TenantLintConfig = Object.freeze({
  tenantKeys: Object.freeze(["tenantId", "tenant_id"]),
  contextTypes: Object.freeze(["TenantContext"]),
  trustedResolvers: Object.freeze([]),
  allowAsyncLocalStorage: true,
});

/** A configuration problem, named by file and key, that users must fix before analysis can run. */
export class ConfigError extends Error {
  constructor(
    message: string,
    readonly file?: string,
    readonly key?: string,
  ) {
    super(file ? `${file}: ${message}` : message);
    this.name = "ConfigError";
  }
}

type KeySpec = { type: "string[]" | "boolean"; nonEmpty?: boolean; description: string };

export const CONFIG_SCHEMA: Record<keyof TenantLintConfig, KeySpec> = {
  tenantKeys: { type: "string[]", nonEmpty: true, description: "property or column names that hold a row's tenant" },
  contextTypes: { type: "string[]", description: "type names of trusted tenant contexts" },
  trustedResolvers: { type: "string[]", description: "globs of files allowed to turn request input into a tenant" },
  allowAsyncLocalStorage: { type: "boolean", description: "allow an AsyncLocalStorage tenant holder at module level" },
};

/** Validates a raw options object (from a config file or ESLint settings) and fills in defaults. */
export function resolveConfig(raw: unknown, source?: string): TenantLintConfig {
  if (raw === undefined || raw === null) return DEFAULT_CONFIG;
  if (typeof raw !== "object" || Array.isArray(raw)) {
    throw new ConfigError("configuration must be a JSON object", source);
  }
  const out: Record<string, unknown> = { ...DEFAULT_CONFIG };
  for (const [key, value] of Object.entries(raw as Record<string, unknown>)) {
    if (key === "$schema") continue;
    const spec = (CONFIG_SCHEMA as Record<string, KeySpec | undefined>)[key];
    if (!spec) {
      const known = Object.keys(CONFIG_SCHEMA).join(", ");
      throw new ConfigError(`unknown key "${key}" (known keys: ${known})`, source, key);
    }
    if (spec.type === "boolean") {
      if (typeof value !== "boolean") throw new ConfigError(`"${key}" must be true or false`, source, key);
    } else {
      if (!Array.isArray(value) || value.some((v) => typeof v !== "string" || v.length === 0)) {
        throw new ConfigError(`"${key}" must be an array of non-empty strings (${spec.description})`, source, key);
      }
      if (spec.nonEmpty && value.length === 0) {
        throw new ConfigError(`"${key}" must name at least one ${spec.description.replace(/s that.*/, "")}`, source, key);
      }
    }
    out[key] = value;
  }
  return Object.freeze(out) as unknown as TenantLintConfig;
}

/** Reads and validates `tenant-lint.config.json` at `file`. */
export function loadConfigFile(file: string): TenantLintConfig {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (error) {
    throw new ConfigError(`cannot read configuration (${(error as NodeJS.ErrnoException).code ?? String(error)})`, file);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`invalid JSON: ${(error as Error).message}`, file);
  }
  return resolveConfig(raw, file);
}

/** The nearest `tenant-lint.config.json` at or above `startDir`, if any. */
export function findConfigFile(startDir: string): string | undefined {
  let dir = path.resolve(startDir);
  for (;;) {
    const candidate = path.join(dir, CONFIG_FILE_NAME);
    if (fs.existsSync(candidate)) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}
