import { noModuleTenantState } from "@tenant-lint/core";
import { createCoreBackedRule } from "../util/core-rule.js";

export type Options = [{ allowAsyncLocalStorage?: boolean }];
export type MessageIds = keyof typeof noModuleTenantState.messages;

export default createCoreBackedRule<MessageIds, Options>(noModuleTenantState, {
  schema: [
    {
      type: "object",
      properties: {
        allowAsyncLocalStorage: {
          type: "boolean",
          description:
            "Allow a module-level AsyncLocalStorage that holds the tenant (request-scoped by construction). Set to false in codebases that pass the context explicitly.",
        },
      },
      additionalProperties: false,
    },
  ],
  // Unset means "as tenant-lint.config.json says" (default true), so the CLI and ESLint agree.
  defaultOptions: [{}],
  applyOptions: (config, [options]) => ({ ...config, allowAsyncLocalStorage: options.allowAsyncLocalStorage ?? config.allowAsyncLocalStorage }),
});
