#!/usr/bin/env node
// Generates the parts of the docs that rule metadata decides: each rule page's header and options
// section, and the rules table in README.md. `--check` fails (exit 1) when a file is out of date.
import fs from "node:fs";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");
const check = process.argv.includes("--check");
const { default: plugin } = await import(path.join(root, "packages/eslint-plugin/dist/index.js"));

const stale = [];
function write(file, text) {
  const old = fs.existsSync(file) ? fs.readFileSync(file, "utf8") : undefined;
  if (old === text) return;
  if (check) stale.push(path.relative(root, file));
  else fs.writeFileSync(file, text);
}

function replaceBlock(text, name, body, file) {
  const begin = `<!-- begin auto-generated ${name} -->`;
  const end = `<!-- end auto-generated ${name} -->`;
  const from = text.indexOf(begin);
  const to = text.indexOf(end);
  if (from < 0 || to < from) throw new Error(`${path.relative(root, file)}: missing "${begin}" ... "${end}" markers`);
  return `${text.slice(0, from + begin.length)}\n${body}\n${text.slice(to)}`;
}

export function ruleHeader(rule) {
  const badges = [rule.meta.docs.recommended ? "💼 In the `recommended` config." : "", "💭 Requires type information."].filter(Boolean).join(" ");
  return `> ${rule.meta.docs.description}.\n\n${badges}`;
}

export function optionsSection(rule) {
  const properties = rule.meta.schema?.[0]?.properties;
  if (!properties) return "This rule has no options of its own; it reads the shared `tenant-lint.config.json` (or `settings[\"tenant-lint\"]`).";
  const defaults = rule.meta.defaultOptions?.[0] ?? {};
  const rows = Object.entries(properties).map(
    ([name, p]) => `| \`${name}\` | ${p.description} | \`${p.type}\` | ${name in defaults ? `\`${JSON.stringify(defaults[name])}\`` : "from `tenant-lint.config.json`"} |`,
  );
  return ["| Name | Description | Type | Default |", "| --- | --- | --- | --- |", ...rows].join("\n");
}

for (const [id, rule] of Object.entries(plugin.rules)) {
  const file = path.join(root, "docs", "rules", `${id}.md`);
  if (!fs.existsSync(file)) {
    stale.push(`${path.relative(root, file)} (missing)`);
    continue;
  }
  let text = fs.readFileSync(file, "utf8");
  text = replaceBlock(text, "rule header", ruleHeader(rule), file);
  text = replaceBlock(text, "rule options", optionsSection(rule), file);
  write(file, text);
}

const readme = path.join(root, "README.md");
const table = [
  "| Rule | Description | 💼 |",
  "| --- | --- | --- |",
  ...Object.entries(plugin.rules).map(([id, rule]) => `| [\`${id}\`](docs/rules/${id}.md) | ${rule.meta.docs.description} | ${rule.meta.docs.recommended ? "💼" : ""} |`),
].join("\n");
write(readme, replaceBlock(fs.readFileSync(readme, "utf8"), "rules table", table, readme));

if (stale.length) {
  console.error(`docs out of date (run \`pnpm run docs\`):\n  ${stale.join("\n  ")}`);
  process.exit(1);
}
if (!check) console.log("docs up to date");
