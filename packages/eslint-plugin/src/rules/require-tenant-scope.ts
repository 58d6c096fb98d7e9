import { requireTenantScope } from "@tenant-lint/core";
import { createCoreBackedRule } from "../util/core-rule.js";

export type Options = [];
export type MessageIds = keyof typeof requireTenantScope.messages;

export default createCoreBackedRule<MessageIds, Options>(requireTenantScope, { defaultOptions: [] });
