import { noTenantIdMutation } from "@tenant-lint/core";
import { createCoreBackedRule } from "../util/core-rule.js";

export type Options = [];
export type MessageIds = keyof typeof noTenantIdMutation.messages;

export default createCoreBackedRule<MessageIds, Options>(noTenantIdMutation, { defaultOptions: [] });
