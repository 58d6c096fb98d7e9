import { requireTenantOnCreate } from "@tenant-lint/core";
import { createCoreBackedRule } from "../util/core-rule.js";

export type Options = [];
export type MessageIds = keyof typeof requireTenantOnCreate.messages;

export default createCoreBackedRule<MessageIds, Options>(requireTenantOnCreate, { defaultOptions: [] });
