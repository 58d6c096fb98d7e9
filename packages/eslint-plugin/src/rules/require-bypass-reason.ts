import { requireBypassReason } from "@tenant-lint/core";
import { createCoreBackedRule } from "../util/core-rule.js";

export type Options = [];
export type MessageIds = keyof typeof requireBypassReason.messages;

export default createCoreBackedRule<MessageIds, Options>(requireBypassReason, { defaultOptions: [] });
