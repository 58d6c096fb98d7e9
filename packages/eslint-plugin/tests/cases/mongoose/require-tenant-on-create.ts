import { positionOf, type OrmCases } from "../../rule-tester.js";

const header = `import type { AccountContext } from "./accounts/account-context.js";\nimport { Comment, Plan, type IComment } from "./models/index.js";\n`;

const create = header + `export const f = (noteId: string) => Comment.create({ noteId, authorId: "u", text: "t" });`;
const list = header + `export const f = (a: AccountContext) => Comment.create([{ accountId: a.accountId, noteId: "n", authorId: "u", text: "a" }, { noteId: "n", authorId: "u", text: "b" }]);`;
const insertMany = header + `export const f = (rows: { noteId: string; authorId: string; text: string }[]) => Comment.insertMany(rows);`;
const built = header + `export async function f(noteId: string) {\n  const comment = new Comment({ noteId, authorId: "u", text: "t" });\n  await comment.save();\n}`;
const chained = header + `export const f = (noteId: string) => new Comment({ noteId, authorId: "u", text: "t" }).save();`;
const bulk = header + `export const f = () => Comment.bulkWrite([{ insertOne: { document: { noteId: "n", authorId: "u", text: "t" } } }]);`;

export default {
  fixture: "mongoose-koa",
  valid: [
    header + `export const f = (a: AccountContext, noteId: string) => Comment.create({ accountId: a.accountId, noteId, authorId: a.userId, text: "t" });`,
    header + `export const f = (a: AccountContext, texts: string[]) => Comment.insertMany(texts.map((text) => ({ accountId: a.accountId, noteId: "n", authorId: "u", text })));`,
    // The document type keeps the key as an optional property: the value may well carry it.
    header + `export const f = (comment: IComment) => Comment.create(comment);`,
    header + `export const f = (a: AccountContext) => Comment.bulkWrite([{ insertOne: { document: { accountId: a.accountId, noteId: "n", authorId: "u", text: "t" } } }]);`,
    header +
      `export async function f(a: AccountContext, noteId: string) {\n  const comment = new Comment({ noteId, authorId: "u", text: "t" });\n  comment.accountId = a.accountId;\n  await comment.save();\n}`,
    header + `export const f = (a: AccountContext, noteId: string) => new Comment({ accountId: a.accountId, noteId, authorId: "u", text: "t" }).save();`,
    header + `export const f = () => new Plan({ code: "free", name: "Free", monthlyCents: 0 }).save();`,
    header + `export const f = () => Plan.create({ code: "pro", name: "Pro", monthlyCents: 900 });`,
  ],
  invalid: [
    { code: create, errors: [{ messageId: "missingTenantOnCreate", ...positionOf(create, "Comment.create") }] },
    { code: list, errors: [{ messageId: "missingTenantOnCreate", ...positionOf(list, "Comment.create") }] },
    { code: insertMany, errors: [{ messageId: "missingTenantOnCreate", ...positionOf(insertMany, "Comment.insertMany") }] },
    { code: built, errors: [{ messageId: "missingTenantOnCreate", ...positionOf(built, "new Comment") }] },
    { code: chained, errors: [{ messageId: "missingTenantOnCreate", ...positionOf(chained, "new Comment") }] },
    { code: bulk, errors: [{ messageId: "missingTenantOnCreate", ...positionOf(bulk, "Comment.bulkWrite") }] },
  ],
} satisfies OrmCases<"missingTenantOnCreate">;
