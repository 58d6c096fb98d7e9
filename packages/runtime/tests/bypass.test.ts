import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { CrossTenantAccessError, setAuditSink, withCrossTenantAccess, type AuditEvent, type AuditSink } from "../src/index.js";

describe("withCrossTenantAccess", () => {
  const events: AuditEvent[] = [];
  let previous: AuditSink;
  beforeEach(() => {
    events.length = 0;
    previous = setAuditSink((event) => {
      events.push(event);
    });
  });
  afterEach(() => {
    setAuditSink(previous);
  });

  it.each([
    ["a missing reason", { actor: "job" }],
    ["an empty reason", { reason: "", actor: "job" }],
    ["a blank reason", { reason: "  \n", actor: "job" }],
    ["a non-string reason", { reason: 1, actor: "job" }],
    ["a missing actor", { reason: "export" }],
  ])("throws for %s without running the work or emitting anything", async (_label, request) => {
    const work = vi.fn();
    await expect(withCrossTenantAccess(request as never, work)).rejects.toBeInstanceOf(CrossTenantAccessError);
    expect(work).not.toHaveBeenCalled();
    expect(events).toEqual([]);
  });

  it("emits started before the work and finished after it, with the same access id", async () => {
    const seenDuringWork: string[] = [];
    const result = await withCrossTenantAccess({ reason: " billing export ", actor: "job:billing" }, async (grant) => {
      seenDuringWork.push(...events.map((event) => event.type));
      expect(grant).toMatchObject({ reason: "billing export", actor: "job:billing" });
      return 42;
    });
    expect(result).toBe(42);
    expect(seenDuringWork).toEqual(["cross_tenant_access.started"]);
    expect(events.map((event) => event.type)).toEqual(["cross_tenant_access.started", "cross_tenant_access.finished"]);
    expect(events[0]).toMatchObject({ reason: "billing export", actor: "job:billing" });
    expect(events[1]).toMatchObject({ outcome: "completed", accessId: events[0]!.accessId });
    expect(events[0]!.at).toBeInstanceOf(Date);
  });

  it("records a failed outcome and rethrows the work's error", async () => {
    await expect(
      withCrossTenantAccess({ reason: "cleanup", actor: "ops" }, () => {
        throw new Error("boom");
      }),
    ).rejects.toThrow("boom");
    expect(events.at(-1)).toMatchObject({ type: "cross_tenant_access.finished", outcome: "failed" });
  });

  it("does not run the work when the audit sink fails", async () => {
    setAuditSink(async () => {
      throw new Error("audit store unavailable");
    });
    const work = vi.fn();
    await expect(withCrossTenantAccess({ reason: "export", actor: "job" }, work)).rejects.toThrow("audit store unavailable");
    expect(work).not.toHaveBeenCalled();
  });

  it("waits for an asynchronous sink before running the work", async () => {
    const order: string[] = [];
    setAuditSink(async (event) => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      order.push(event.type);
    });
    await withCrossTenantAccess({ reason: "export", actor: "job" }, () => {
      order.push("work");
    });
    expect(order).toEqual(["cross_tenant_access.started", "work", "cross_tenant_access.finished"]);
  });

  it("setAuditSink returns the previous sink and rejects non-functions", () => {
    const first: AuditSink = () => {};
    const before = setAuditSink(first);
    expect(setAuditSink(before)).toBe(first);
    expect(() => setAuditSink("nope" as never)).toThrow(TypeError);
  });

  it("writes to stderr by default", async () => {
    setAuditSink(previous);
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    try {
      await withCrossTenantAccess({ reason: "default sink", actor: "test" }, () => undefined);
      expect(warn).toHaveBeenCalledTimes(2);
      expect(String(warn.mock.calls[0]![0])).toMatch(/^\[tenant-lint audit\] \{"type":"cross_tenant_access.started"/);
    } finally {
      warn.mockRestore();
    }
  });
});
