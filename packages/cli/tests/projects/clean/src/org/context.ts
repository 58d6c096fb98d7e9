import type { Context } from "koa";

export interface OrgContext {
  readonly orgId: string;
}

declare module "koa" {
  interface DefaultState {
    org?: OrgContext;
  }
}

export function orgOf(ctx: Context): OrgContext {
  const org = ctx.state.org;
  if (!org) ctx.throw(500, "org context missing");
  return org;
}
