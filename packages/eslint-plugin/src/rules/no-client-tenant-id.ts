import { noClientTenantId } from "@tenant-lint/core";
import { createCoreBackedRule } from "../util/core-rule.js";

export type Options = [];
export type MessageIds = keyof typeof noClientTenantId.messages;

export default createCoreBackedRule<MessageIds, Options>(noClientTenantId, { defaultOptions: [] });
