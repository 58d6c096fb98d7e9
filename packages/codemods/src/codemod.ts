import type { TenantLintConfig } from "@tenant-lint/core";
import type ts from "typescript";
import type { TextEdit } from "./edits.js";
import type { CallSite } from "./scope-queries.js";
import type { ClassMigration } from "./scoped-repository.js";
import type { ThreadedFunction } from "./threading.js";

export interface CodemodOptions {
  readonly config: TenantLintConfig;
  readonly rootDir: string;
}

/** What a codemod would change; nothing is written. */
export interface CodemodResult {
  /** Text edits per file name (offsets into the original text). */
  readonly edits: Map<string, TextEdit[]>;
  readonly sites: CallSite[];
  /** Functions that take a tenant context after the change, and handlers that read it. */
  readonly functions?: readonly ThreadedFunction[];
  readonly classes?: readonly ClassMigration[];
  /** Rules that threw while analysing (reported as errors by the caller). */
  readonly failures: readonly { readonly fileName: string; readonly error: Error }[];
}

/** A codemod over the given files of a program. */
export type Codemod = (program: ts.Program, options: CodemodOptions, files: readonly ts.SourceFile[]) => CodemodResult;
