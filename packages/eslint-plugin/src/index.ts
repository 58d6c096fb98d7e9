import { createRequire } from "node:module";
import type { TSESLint } from "@typescript-eslint/utils";
import { rules } from "./rules/index.js";

const { name, version } = createRequire(import.meta.url)("../package.json") as { name: string; version: string };

export const PLUGIN_NAMESPACE = "@tenant-lint";

type RuleName = keyof typeof rules;

const recommendedRules = Object.fromEntries(
  Object.entries(rules)
    .filter(([, rule]) => rule.meta.docs?.recommended)
    .map(([id]) => [`${PLUGIN_NAMESPACE}/${id}`, "error"]),
) as Record<`${typeof PLUGIN_NAMESPACE}/${RuleName}`, "error">;

const plugin = {
  meta: { name, version, namespace: PLUGIN_NAMESPACE },
  rules,
  configs: {} as Record<"recommended", TSESLint.FlatConfig.Config>,
};

/** Flat config: the plugin with every recommended rule as an error. Needs typed linting (`projectService`). */
plugin.configs.recommended = {
  name: `${PLUGIN_NAMESPACE}/recommended`,
  plugins: { [PLUGIN_NAMESPACE]: plugin as unknown as TSESLint.FlatConfig.Plugin },
  rules: recommendedRules,
};

export { rules };
export default plugin;
