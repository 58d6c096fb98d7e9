import type ts from "typescript";
import type { AnalysisContext } from "./context.js";

/** A step of a finding's evidence: a taint source, a call it crosses, the sink. */
export interface PathStep {
  readonly node: ts.Node;
  readonly message: string;
}

/** Offsets of a span of source text that is not a syntax node (a comment). */
export interface TextRange {
  readonly start: number;
  readonly end: number;
}

/** What a check reports: a message id with its data, at a node (or a comment's range), with optional evidence. */
export type Report<MessageIds extends string = string> = {
  readonly messageId: MessageIds;
  readonly data?: Readonly<Record<string, string>>;
  readonly path?: readonly PathStep[];
} & ({ readonly node: ts.Node; readonly range?: undefined } | { readonly node?: undefined; readonly range: TextRange });

/** A check as the core defines it; the ESLint rule and the CLI both run exactly this. */
export interface CoreRule<MessageIds extends string = string> {
  readonly id: string;
  readonly description: string;
  readonly messages: Readonly<Record<MessageIds, string>>;
  /** In the plugin's `recommended` config. */
  readonly recommended: boolean;
  check(sourceFile: ts.SourceFile, ctx: AnalysisContext, report: (report: Report<MessageIds>) => void): void;
}

/** Identity helper that keeps message ids typed. */
export function defineCoreRule<MessageIds extends string>(rule: CoreRule<MessageIds>): CoreRule<MessageIds> {
  return rule;
}

/** `{{name}}` placeholders filled as ESLint does. */
export function formatMessage(template: string, data: Readonly<Record<string, string>> | undefined): string {
  return template.replace(/\{\{\s*(\w+)\s*\}\}/g, (whole, key: string) => (data && key in data ? data[key]! : whole));
}
