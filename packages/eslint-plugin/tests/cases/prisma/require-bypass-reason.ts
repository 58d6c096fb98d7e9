import { positionOf, type OrmCases } from "../../rule-tester.js";

const header = `import { prisma } from "./db.js";\n`;
const nextLine = header + `// eslint-disable-next-line @tenant-lint/require-tenant-scope\nexport const f = () => prisma.task.deleteMany({ where: { done: true } });`;
const sameLine = header + `export const f = () => prisma.task.deleteMany({ where: { done: true } }); /* eslint-disable-line @tenant-lint/require-tenant-scope */`;
const block = header + `/* eslint-disable @tenant-lint/no-cross-tenant-query, @tenant-lint/require-tenant-scope */\nexport const f = () => prisma.task.count();`;

export default {
  fixture: "prisma-express",
  valid: [
    header + `// eslint-disable-next-line @tenant-lint/require-tenant-scope -- nightly purge spans tenants\nexport const f = () => prisma.task.deleteMany({ where: { done: true } });`,
    header + `// eslint-disable-next-line no-console\nexport const f = () => console.log("x");`,
    header + `/* eslint-enable @tenant-lint/require-tenant-scope */\nexport const f = 1;`,
  ],
  invalid: [
    { code: nextLine, errors: [{ messageId: "disableWithoutReason", ...positionOf(nextLine, "// eslint-disable") }] },
    { code: sameLine, errors: [{ messageId: "disableWithoutReason", ...positionOf(sameLine, "/* eslint-disable-line") }] },
    { code: block, errors: [{ messageId: "disableWithoutReason", ...positionOf(block, "/* eslint-disable") }] },
  ],
} satisfies OrmCases<"disableWithoutReason" | "crossTenantWithoutReason">;
