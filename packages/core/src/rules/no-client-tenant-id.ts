import { defineCoreRule } from "../rule.js";
import { originsOf, sinksAt } from "../taint.js";
import { fileNodes } from "../file-nodes.js";

export const noClientTenantId = defineCoreRule({
  id: "no-client-tenant-id",
  description: "Disallow tenant ids taken from client-controlled request input",
  recommended: true,
  messages: {
    clientTenantId:
      "The tenant comes from client-controlled {{source}} (line {{sourceLine}}) and reaches {{sink}}: take the tenant from the verified tenant context instead.",
  },
  check(sourceFile, ctx, report) {
    const { calls, newExpressions, objectLiterals, taggedTemplates } = fileNodes(sourceFile);
    for (const node of [...calls, ...newExpressions, ...objectLiterals, ...taggedTemplates]) {
      for (const sink of sinksAt(node, ctx)) {
        const origin = sink.values.flatMap((value) => originsOf(value, ctx)).find((o) => o.kind === "client");
        if (origin?.kind !== "client") continue;
        const sourceLine = origin.node.getSourceFile().getLineAndCharacterOfPosition(origin.node.getStart()).line + 1;
        report({
          messageId: "clientTenantId",
          node: sink.node,
          data: { source: origin.label, sourceLine: String(sourceLine), sink: sink.description },
          path: [...origin.steps, ...(sink.steps.length ? sink.steps : [{ node: sink.node, message: `reaches ${sink.description}` }])],
        });
        break;
      }
    }
  },
});
