import type { Knex } from "knex";

export interface SubscriptionRow {
  id: number;
  org_id: string;
  plan_code: string;
  status: "active" | "cancelled";
}

export interface PlanRow {
  code: string;
  price_cents: number;
}

declare module "knex/types/tables.js" {
  interface Tables {
    subscriptions: SubscriptionRow;
    plans: PlanRow;
  }
}

export type Db = Knex;
