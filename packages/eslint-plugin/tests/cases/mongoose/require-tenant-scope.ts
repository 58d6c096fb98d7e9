import { positionOf, type OrmCases } from "../../rule-tester.js";

const header = `import type { PipelineStage } from "mongoose";\nimport type { AccountContext } from "./accounts/account-context.js";\nimport { accountFilter } from "./accounts/scope.js";\nimport { Comment, Note, Plan, Project } from "./models/index.js";\n`;

const find = header + `export const f = () => Note.find({ pinned: true }).sort({ title: 1 }).lean().exec();`;
const byId = header + `export const f = (id: string) => Project.findById(id).populate("ownerId");`;
const estimated = header + `export const f = () => Note.estimatedDocumentCount();`;
const noMatch = header + `export const f = () => Note.aggregate([{ $group: { _id: "$projectId", n: { $sum: 1 } } }]);`;
const pathWhere = header + `export const f = () => Note.find().where("title").equals("x");`;
const maybe = header + `export const f = (a?: AccountContext) => Note.deleteMany({ accountId: a?.accountId });`;
const replaced = header + `export const f = (a: AccountContext) => Note.find({ accountId: a.accountId }).setQuery({ pinned: true });`;
const bulk =
  header +
  `export const f = (a: AccountContext, id: string) => Note.bulkWrite([{ deleteOne: { filter: { _id: id, accountId: a.accountId } } }, { deleteOne: { filter: { _id: id } } }]);`;
const subtype = header + `export const f = (noteId: string) => Comment.updateMany({ noteId }, { text: "" });`;

export default {
  fixture: "mongoose-koa",
  valid: [
    header + `export const f = (a: AccountContext) => Note.find({ accountId: a.accountId, pinned: true }).lean();`,
    header + `export const f = (a: AccountContext, id: string) => Project.findOne({ _id: id, ...accountFilter(a) });`,
    header + `export const f = (a: AccountContext) => Note.find({ pinned: true }).where("accountId").equals(a.accountId).exec();`,
    header + `export const f = (a: AccountContext) => Note.find().where({ accountId: a.accountId }).countDocuments();`,
    header + `export const f = (a: AccountContext) => Note.find({ pinned: true }).and([{ accountId: a.accountId }]);`,
    header + `export const f = (a: AccountContext) => Note.where("accountId", a.accountId).find({ pinned: true });`,
    header + `export const f = (a: AccountContext) => Note.aggregate([{ $match: { accountId: a.accountId } }, { $group: { _id: "$tags" } }]);`,
    header + `export const f = (a: AccountContext) => Note.aggregate().match({ accountId: a.accountId }).group({ _id: "$tags" });`,
    header + `export const f = (a: AccountContext) => Note.distinct("tags", { accountId: a.accountId });`,
    header + `export const f = (a: AccountContext, title: string) => Note.exists({ accountId: a.accountId, title });`,
    header +
      `export async function f(a: AccountContext, id: string) {\n  const note = await Note.findById(id);\n  if (!note || note.accountId !== a.accountId) return null;\n  return note;\n}`,
    header +
      `export async function f(a: AccountContext, id: string) {\n  const project = await Project.findById(id).lean();\n  if (!project || String(project.accountId) !== a.accountId) return null;\n  return project;\n}`,
    header +
      `export async function f(a: AccountContext, id: string) {\n  const project = await Project.findById(id);\n  if (!project || !project.accountId.equals(a.accountId)) throw new Error("not found");\n  return project;\n}`,
    header + `export async function f(a: AccountContext, name: string) {\n  return (await Project.find(accountFilter(a)).lean()).find((p) => p.name === name);\n}`,
    header + `export const f = (a: AccountContext, id: string) => Note.bulkWrite([{ updateOne: { filter: { _id: id, accountId: a.accountId }, update: { $set: { pinned: true } } } }]);`,
    // A pipeline or a schema query helper the analysis cannot see: no claim either way.
    header + `export const f = (a: AccountContext, noteId: string) => Comment.find({ noteId }).ofAccount(a.accountId).lean();`,
    header + `export const f = (pipeline: PipelineStage[]) => Note.aggregate(pipeline);`,
    header + `export const f = () => Plan.find().lean();`,
    header + `export const f = (code: string) => Plan.deleteOne({ code });`,
    header + `const m = new Map<string, string>();\nexport const f = (id: string) => m.delete(id);`,
  ],
  invalid: [
    { code: find, errors: [{ messageId: "missingTenantScope", ...positionOf(find, "Note.find") }] },
    { code: byId, errors: [{ messageId: "missingTenantScope", ...positionOf(byId, "Project.findById") }] },
    { code: estimated, errors: [{ messageId: "missingTenantScope", ...positionOf(estimated, "Note.estimatedDocumentCount") }] },
    { code: noMatch, errors: [{ messageId: "missingTenantScope", ...positionOf(noMatch, "Note.aggregate") }] },
    { code: pathWhere, errors: [{ messageId: "missingTenantScope", ...positionOf(pathWhere, "Note.find") }] },
    { code: maybe, errors: [{ messageId: "tenantMaybeUndefined", ...positionOf(maybe, "Note.deleteMany") }] },
    { code: replaced, errors: [{ messageId: "missingTenantScope", ...positionOf(replaced, "Note.find") }] },
    { code: bulk, errors: [{ messageId: "missingTenantScope", ...positionOf(bulk, "Note.bulkWrite") }] },
    { code: subtype, errors: [{ messageId: "missingTenantScope", ...positionOf(subtype, "Comment.updateMany") }] },
  ],
} satisfies OrmCases<"missingTenantScope" | "tenantMaybeUndefined">;
