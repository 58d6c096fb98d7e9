import { noUnscopedRawSql } from "@tenant-lint/core";
import { createCoreBackedRule } from "../util/core-rule.js";

export type Options = [];
export type MessageIds = keyof typeof noUnscopedRawSql.messages;

export default createCoreBackedRule<MessageIds, Options>(noUnscopedRawSql, { defaultOptions: [] });
