import type { AnalysisContext, CoreRule, Finding, TenantLintConfig } from "@tenant-lint/core";
import type { JSONSchema4 } from "@typescript-eslint/utils/json-schema";
import type { TSESLint } from "@typescript-eslint/utils";
import { coreFindings } from "./analysis.js";
import { createRule } from "./create-rule.js";

interface CoreBackedRuleOptions<Options extends readonly unknown[], MessageIds extends string> {
  readonly schema?: JSONSchema4[];
  readonly defaultOptions: Options;
  /** Applies the rule's own options on top of the shared tenant-lint configuration. */
  readonly applyOptions?: (config: TenantLintConfig, options: Options) => TenantLintConfig;
  /** Editor suggestions for a finding: text edits (offsets into the file) under a message id. */
  readonly suggest?: (finding: Finding, context: AnalysisContext) => CoreSuggestion<MessageIds>[];
}

export interface CoreSuggestion<MessageIds extends string> {
  readonly messageId: MessageIds;
  readonly data?: Record<string, string>;
  readonly edits: readonly { readonly range: readonly [number, number]; readonly text: string }[];
}

/**
 * An ESLint rule that reports exactly what the core's check of the same id finds: the rule's
 * description and messages are the core's, and positions are the core's source ranges.
 */
export function createCoreBackedRule<MessageIds extends string, Options extends readonly unknown[] = []>(
  coreRule: CoreRule<MessageIds>,
  { schema = [], defaultOptions, applyOptions, suggest }: CoreBackedRuleOptions<Options, MessageIds>,
) {
  return createRule<Options, MessageIds>({
    name: coreRule.id,
    meta: {
      type: "problem",
      docs: { description: coreRule.description, recommended: coreRule.recommended, requiresTypeChecking: true },
      messages: coreRule.messages as Record<MessageIds, string>,
      schema,
      defaultOptions: defaultOptions as unknown as Options,
      ...(suggest ? { hasSuggestions: true } : {}),
    },
    defaultOptions,
    create(context, options) {
      const override = applyOptions ? (config: TenantLintConfig) => applyOptions(config, options as Options) : undefined;
      return {
        "Program:exit"() {
          const { findings, analysisContext } = coreFindings(context as never, coreRule.id, override);
          for (const finding of findings) {
            const suggestions = suggest?.(finding, analysisContext) ?? [];
            context.report({
              messageId: finding.messageId as MessageIds,
              data: finding.data,
              loc: {
                start: context.sourceCode.getLocFromIndex(finding.start),
                end: context.sourceCode.getLocFromIndex(finding.end),
              },
              ...(suggestions.length
                ? {
                    suggest: suggestions.map((s) => ({
                      messageId: s.messageId,
                      data: s.data,
                      fix: (fixer) => s.edits.map((e) => fixer.replaceTextRange([e.range[0], e.range[1]], e.text)),
                    })),
                  }
                : {}),
            });
          }
        },
      } satisfies TSESLint.RuleListener;
    },
  });
}
