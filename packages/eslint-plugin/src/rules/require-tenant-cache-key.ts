import { requireTenantCacheKey } from "@tenant-lint/core";
import { createCoreBackedRule } from "../util/core-rule.js";

export type Options = [];
export type MessageIds = keyof typeof requireTenantCacheKey.messages;

export default createCoreBackedRule<MessageIds, Options>(requireTenantCacheKey, { defaultOptions: [] });
