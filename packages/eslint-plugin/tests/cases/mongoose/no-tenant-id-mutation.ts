import { positionOf, type OrmCases } from "../../rule-tester.js";

const header = `import type { AccountContext } from "./accounts/account-context.js";\nimport { Note, Plan } from "./models/index.js";\n`;
const load = `const note = await Note.findOne({ _id: id, accountId: a.accountId });\n  if (!note) return;\n  `;

const $set = header + `export const f = (a: AccountContext, id: string, t: string) => Note.updateOne({ _id: id, accountId: a.accountId }, { $set: { accountId: t } });`;
const topLevel = header + `export const f = (a: AccountContext, t: string) => Note.findOneAndUpdate({ accountId: a.accountId }, { accountId: t, pinned: false });`;
const $unset = header + `export const f = (a: AccountContext) => Note.updateMany({ accountId: a.accountId }, { $unset: { accountId: 1 } });`;
const docSet = header + `export async function f(a: AccountContext, id: string, t: string) {\n  ${load}note.set("accountId", t);\n}`;
const docUpdate = header + `export async function f(a: AccountContext, id: string, t: string) {\n  ${load}await note.updateOne({ $set: { accountId: t } });\n}`;
const pipeline = header + `export const f = (a: AccountContext, t: string) => Note.updateMany({ accountId: a.accountId }, [{ $set: { accountId: t } }]);`;

// Rows loaded together: each element of `Promise.all` is a loaded row.
const loadedTogether =
  header +
  `export async function f(a: AccountContext, id: string, t: string) {\n  const [plan, note] = await Promise.all([Plan.findOne({ code: "pro" }), Note.findOne({ _id: id, accountId: a.accountId })]);\n  if (!plan || !note) return;\n  note.accountId = t;\n  await note.save();\n}`;

export default {
  fixture: "mongoose-koa",
  valid: [
    header + `export const f = (a: AccountContext, id: string) => Note.updateOne({ _id: id, accountId: a.accountId }, { $set: { pinned: true } });`,
    header + `export const f = (a: AccountContext, id: string) => Note.replaceOne({ _id: id, accountId: a.accountId }, { accountId: a.accountId, title: "t" });`,
    header + `export async function f(a: AccountContext, id: string) {\n  ${load}note.set("title", "x");\n  note.set({ pinned: true });\n  await note.save();\n}`,
    header + `export const f = (code: string) => Plan.updateOne({ code }, { $set: { monthlyCents: 0 } });`,
  ],
  invalid: [
    { code: loadedTogether, errors: [{ messageId: "loadedRowTenantKeyWritten", ...positionOf(loadedTogether, "note.accountId = t") }] },
    { code: $set, errors: [{ messageId: "tenantKeyWritten", ...positionOf($set, "Note.updateOne") }] },
    { code: topLevel, errors: [{ messageId: "tenantKeyWritten", ...positionOf(topLevel, "Note.findOneAndUpdate") }] },
    { code: $unset, errors: [{ messageId: "tenantKeyWritten", ...positionOf($unset, "Note.updateMany") }] },
    { code: docSet, errors: [{ messageId: "tenantKeyWritten", ...positionOf(docSet, "note.set") }] },
    { code: docUpdate, errors: [{ messageId: "tenantKeyWritten", ...positionOf(docUpdate, "note.updateOne") }] },
    { code: pipeline, errors: [{ messageId: "tenantKeyWritten", ...positionOf(pipeline, "Note.updateMany") }] },
  ],
} satisfies OrmCases<"tenantKeyWritten">;
