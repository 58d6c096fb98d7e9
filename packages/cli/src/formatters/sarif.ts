import path from "node:path";
import { pathToFileURL } from "node:url";
import { FINGERPRINT_VERSION, relativePath } from "../fingerprint.js";
import type { LintMessage, PathLocation } from "../results.js";
import { TOOL_NAME, TOOL_URL, type FormatContext } from "./index.js";

/** The base every artifact URI is relative to; GitHub resolves it to the checkout root. */
export const SRCROOT = "%SRCROOT%";

/**
 * SARIF 2.1.0, as GitHub code scanning reads it: rules with help links, results at repository-
 * relative locations with stable partial fingerprints, taint paths as code flows, suppressed
 * findings with their justification, and parse errors and rule crashes as tool notifications.
 */
export function formatSarif(context: FormatContext): string {
  const ruleIndex = new Map(context.rules.map((rule, i) => [rule.id, i]));
  const location = (filePath: string, region: Region, message?: string) => physical(context.rootDir, filePath, region, message);
  const results: SarifResult[] = [];
  for (const result of context.results) {
    for (const m of result.messages) {
      if (m.fatal || !m.ruleId) continue;
      results.push(sarifResult(m, result.filePath, ruleIndex, location));
    }
    for (const m of result.suppressedMessages) {
      if (!m.ruleId) continue;
      results.push({
        ...sarifResult(m, result.filePath, ruleIndex, location),
        suppressions: m.suppressions.map((s) => ({ kind: s.kind === "directive" ? "inSource" : "external", justification: s.justification })),
      });
    }
  }
  const notifications = context.internalErrors.map((error) =>
    error.kind === "parse-error"
      ? {
          level: "error",
          message: { text: `Parsing error: ${error.message}` },
          descriptor: { id: "parse-error" },
          locations: [location(error.filePath, { startLine: error.line, startColumn: error.column })],
        }
      : {
          level: "error",
          message: { text: `Rule ${error.ruleId} failed: ${error.message}` },
          descriptor: { id: "rule-error" },
          associatedRule: { id: error.ruleId, ...(ruleIndex.has(error.ruleId) ? { index: ruleIndex.get(error.ruleId) } : {}) },
          locations: [location(error.filePath, {})],
        },
  );
  const log = {
    $schema: "https://json.schemastore.org/sarif-2.1.0.json",
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: TOOL_NAME,
            version: context.toolVersion,
            informationUri: TOOL_URL,
            rules: context.rules.map((rule) => ({
              id: rule.id,
              name: rule.id.replace(/^.*\//, ""),
              shortDescription: { text: rule.description },
              ...(rule.docsUrl ? { helpUri: rule.docsUrl, help: { text: `${rule.description}. See ${rule.docsUrl}` } } : {}),
              defaultConfiguration: { level: "error" },
              properties: { tags: ["security", "multi-tenancy"], precision: "high", "problem.severity": "error" },
            })),
          },
        },
        // A URI for the root lets viewers outside GitHub open the files; GitHub uses its checkout.
        originalUriBaseIds: { [SRCROOT]: { uri: directoryUri(context.rootDir) } },
        columnKind: "utf16CodeUnits",
        results,
        invocations: [
          {
            // Parse errors fail the run but are not the tool's failure; a rule that throws is.
            executionSuccessful: !context.internalErrors.some((e) => e.kind === "rule-error"),
            toolExecutionNotifications: notifications,
          },
        ],
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}

interface Region {
  startLine?: number;
  startColumn?: number;
  endLine?: number;
  endColumn?: number;
}

interface SarifResult {
  ruleId: string;
  ruleIndex?: number;
  level: "error" | "warning";
  message: { text: string };
  locations: unknown[];
  partialFingerprints?: Record<string, string>;
  codeFlows?: unknown[];
  suppressions?: unknown[];
}

function sarifResult(
  m: LintMessage,
  filePath: string,
  ruleIndex: ReadonlyMap<string, number>,
  location: (file: string, region: Region, message?: string) => unknown,
): SarifResult {
  const out: SarifResult = {
    ruleId: m.ruleId!,
    ...(ruleIndex.has(m.ruleId!) ? { ruleIndex: ruleIndex.get(m.ruleId!) } : {}),
    level: m.severity === 2 ? "error" : "warning",
    message: { text: m.message },
    locations: [location(filePath, { startLine: m.line, startColumn: m.column, endLine: m.endLine, endColumn: m.endColumn })],
  };
  if (m.fingerprint) out.partialFingerprints = { [FINGERPRINT_VERSION]: m.fingerprint };
  if (m.path?.length) out.codeFlows = [codeFlow(m.path, location)];
  return out;
}

/** A taint path as one thread flow: client input first, the query last. */
function codeFlow(steps: readonly PathLocation[], location: (file: string, region: Region, message?: string) => unknown) {
  return {
    threadFlows: [
      {
        locations: steps.map((step) => ({ location: location(step.filePath, { startLine: step.line, startColumn: step.column }, step.message) })),
      },
    ],
  };
}

function physical(rootDir: string, filePath: string, region: Region, message?: string) {
  const definedRegion = Object.fromEntries(Object.entries(region).filter(([, v]) => v !== undefined));
  const rel = relativePath(rootDir, filePath);
  // A file outside the repository (rare: a taint step in a linked package) keeps its absolute URI.
  const artifactLocation = path.isAbsolute(rel) ? { uri: pathToFileURL(filePath).href } : { uri: encodeUriPath(rel), uriBaseId: SRCROOT };
  return {
    physicalLocation: {
      artifactLocation,
      ...(Object.keys(definedRegion).length ? { region: definedRegion } : {}),
    },
    ...(message ? { message: { text: message } } : {}),
  };
}

/** A relative path as a URI reference: each segment percent-encoded, `/` kept. */
function encodeUriPath(rel: string): string {
  return rel.split("/").map(encodeURIComponent).join("/");
}

function directoryUri(dir: string): string {
  const uri = pathToFileURL(dir).href;
  return uri.endsWith("/") ? uri : `${uri}/`;
}
