import { positionOf, type OrmCases } from "../../rule-tester.js";

const header = `import type { AccountContext } from "./accounts/account-context.js";\nimport { Note } from "./models/index.js";\n`;

const $in = header + `export const f = (accountIds: string[]) => Note.find({ accountId: { $in: accountIds } });`;
const $ne = header + `export const f = (a: AccountContext) => Note.countDocuments({ accountId: { $ne: a.accountId } });`;
const $or = header + `export const f = (a: AccountContext, b: AccountContext) => Note.updateMany({ $or: [{ accountId: a.accountId }, { accountId: b.accountId }] }, { pinned: false });`;
const pathIn = header + `export const f = (accountIds: string[]) => Note.find().where("accountId").in(accountIds).lean();`;

export default {
  fixture: "mongoose-koa",
  valid: [
    header + `export const f = (a: AccountContext, ids: string[]) => Note.find({ accountId: a.accountId, _id: { $in: ids } });`,
    header + `export const f = (a: AccountContext) => Note.find({ accountId: { $eq: a.accountId } });`,
    header + `export const f = (a: AccountContext) => Note.find({ $and: [{ accountId: a.accountId }, { $or: [{ pinned: true }, { tags: "todo" }] }] });`,
  ],
  invalid: [
    { code: $in, errors: [{ messageId: "crossTenant", ...positionOf($in, "Note.find") }] },
    { code: $ne, errors: [{ messageId: "crossTenant", ...positionOf($ne, "Note.countDocuments") }] },
    { code: $or, errors: [{ messageId: "crossTenant", ...positionOf($or, "Note.updateMany") }] },
    { code: pathIn, errors: [{ messageId: "crossTenant", ...positionOf(pathIn, "Note.find") }] },
  ],
} satisfies OrmCases<"crossTenant">;
