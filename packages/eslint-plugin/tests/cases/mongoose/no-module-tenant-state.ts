import { positionOf, type OrmCases } from "../../rule-tester.js";

const header = `import type { AccountContext } from "./accounts/account-context.js";\n`;

// A const list used as a stack of "current" accounts is as shared as a `let`.
const stack = header + `const accountStack: string[] = [];\nexport function asAccount(id: string) { accountStack.push(id); }\nexport const current = () => accountStack.at(-1);`;
// A static record of the tenant (an object with a tenant key) holds the tenant like a scalar would.
const record = header + `export class Defaults {\n  static readonly pageSize = 20;\n  static lastAccount?: { accountId: string; at: Date };\n}`;

// A variable whose name says nothing of the tenant, set to one by a function of its module.
const assigned = header + `let lastSeen: string | null = null;\nexport function remember(ctx: AccountContext) {\n  lastSeen = ctx.accountId;\n}\nexport const seen = () => lastSeen;`;

export default {
  fixture: "mongoose-koa",
  valid: [
    // A constant list that is never added to.
    header + `const accountKinds: string[] = ["free", "pro"];\nexport const kinds = () => accountKinds.slice();`,
    // A list whose name does not speak of the tenant.
    header + `const labels: string[] = [];\nexport function label(l: string) { labels.push(l); }`,
    // Set to something other than a tenant.
    header + `let lastSeen: string | null = null;\nexport function remember(path: string) {\n  lastSeen = path;\n}`,
    // A record without a tenant key, and a readonly static record.
    header + `export class Defaults {\n  static lastAccount?: { name: string; at: Date };\n  static readonly firstAccount = { accountId: "root" };\n}`,
  ],
  invalid: [
    { code: stack, errors: [{ messageId: "moduleVariable", ...positionOf(stack, "const accountStack") }] },
    { code: assigned, errors: [{ messageId: "moduleVariable", ...positionOf(assigned, "let lastSeen") }] },
    { code: record, errors: [{ messageId: "staticField", ...positionOf(record, "static lastAccount") }] },
  ],
} satisfies OrmCases<"moduleVariable" | "staticField">;
