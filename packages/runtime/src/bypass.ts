import { randomUUID } from "node:crypto";
import { CrossTenantAccessError } from "./errors.js";

export interface CrossTenantAccessRequest {
  /** Why this work must see several tenants ("nightly billing export", "support ticket #123"). Required. */
  reason: string;
  /** Who or what is doing it (user id, job name). Required. */
  actor: string;
}

export type AuditEvent =
  | { type: "cross_tenant_access.started"; accessId: string; reason: string; actor: string; at: Date }
  | { type: "cross_tenant_access.used"; accessId: string; reason: string; actor: string; at: Date; operation: string }
  | {
      type: "cross_tenant_access.finished";
      accessId: string;
      reason: string;
      actor: string;
      at: Date;
      outcome: "completed" | "failed";
    };

/** Receives every audit event. If it throws (or rejects), the cross-tenant work does not run or fails. */
export type AuditSink = (event: AuditEvent) => void | Promise<void>;

/**
 * Proof that the holder is inside withCrossTenantAccess. Only that function makes one, and it stops
 * working when the callback settles, so it cannot be stashed and reused later.
 */
export interface CrossTenantGrant {
  readonly accessId: string;
  readonly reason: string;
  readonly actor: string;
}

// Default: audit events go to stderr rather than nowhere.
const stderrSink: AuditSink = (event) => {
  console.warn(`[tenant-lint audit] ${JSON.stringify(event)}`);
};

let currentSink: AuditSink = stderrSink;
const activeGrants = new WeakMap<object, { active: boolean }>();

/** Installs the audit sink; returns the previous one so tests and apps can restore it. */
export function setAuditSink(sink: AuditSink): AuditSink {
  if (typeof sink !== "function") throw new TypeError("setAuditSink expects a function.");
  const previous = currentSink;
  currentSink = sink;
  return previous;
}

/**
 * The only way to run cross-tenant work. Emits "started" before `fn` runs and "finished" after it
 * settles; repositories emit "used" for each cross-tenant call made with the grant.
 */
export async function withCrossTenantAccess<T>(
  request: CrossTenantAccessRequest,
  fn: (grant: CrossTenantGrant) => T | Promise<T>,
): Promise<T> {
  const reason = requiredText(request?.reason, "reason");
  const actor = requiredText(request?.actor, "actor");
  const grant: CrossTenantGrant = Object.freeze({ accessId: randomUUID(), reason, actor });
  const state = { active: true };
  activeGrants.set(grant, state);
  await emit({ type: "cross_tenant_access.started", ...grant, at: new Date() });
  try {
    const result = await fn(grant);
    await emit({ type: "cross_tenant_access.finished", ...grant, at: new Date(), outcome: "completed" });
    return result;
  } catch (error) {
    state.active = false;
    await emit({ type: "cross_tenant_access.finished", ...grant, at: new Date(), outcome: "failed" });
    throw error;
  } finally {
    state.active = false;
  }
}

/** Checks that `grant` came from a still-running withCrossTenantAccess and records its use. */
export async function useCrossTenantGrant(grant: unknown, operation: string): Promise<CrossTenantGrant> {
  const state = typeof grant === "object" && grant !== null ? activeGrants.get(grant) : undefined;
  if (!state) throw new CrossTenantAccessError(`${operation} requires a grant from withCrossTenantAccess.`);
  if (!state.active) throw new CrossTenantAccessError(`${operation}: this cross-tenant grant has expired.`);
  const { accessId, reason, actor } = grant as CrossTenantGrant;
  await emit({ type: "cross_tenant_access.used", accessId, reason, actor, at: new Date(), operation });
  return grant as CrossTenantGrant;
}

async function emit(event: AuditEvent): Promise<void> {
  await currentSink(event);
}

function requiredText(value: unknown, field: string): string {
  if (typeof value !== "string" || value.trim() === "") {
    throw new CrossTenantAccessError(`withCrossTenantAccess requires a non-empty ${field}.`);
  }
  return value.trim();
}
