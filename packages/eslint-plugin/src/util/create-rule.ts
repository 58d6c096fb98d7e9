import { ESLintUtils } from "@typescript-eslint/utils";

export const DOCS_BASE_URL = "https://github.com/tenant-lint/tenant-lint/blob/main/docs/rules/";

export interface TenantLintDocs {
  /** In the plugin's `recommended` config. */
  recommended: boolean;
  /** Needs type information (all tenant-lint rules do). */
  requiresTypeChecking: true;
}

/** Every rule's factory: adds the docs URL, exactly as typescript-eslint's own rules do. */
export const createRule = ESLintUtils.RuleCreator<TenantLintDocs>((name) => `${DOCS_BASE_URL}${name}.md`);
