import { noCrossTenantQuery } from "@tenant-lint/core";
import { createCoreBackedRule } from "../util/core-rule.js";

export type Options = [];
export type MessageIds = keyof typeof noCrossTenantQuery.messages;

export default createCoreBackedRule<MessageIds, Options>(noCrossTenantQuery, { defaultOptions: [] });
