import ts from "../typescript.cjs";
import type { ChainLink } from "../chain.js";
import type { FilterPart } from "../model.js";
import { skipWrappers } from "../ts-utils.js";

/** Join methods of the SQL query builders (Knex, Kysely). */
export const JOIN_METHODS = new Set(["join", "innerJoin", "leftJoin", "leftOuterJoin", "rightJoin", "rightOuterJoin", "fullJoin", "fullOuterJoin"]);

/**
 * A filter on a table joined on a column other than its primary key constrains that table, not the
 * query's own rows: `knex("events").join("shipments", "shipments.tracking_no", "events.tracking_no")
 * .where("shipments.carrier_id", id)` reads the events of every carrier that reuses a tracking
 * number. Such filters become `unscoped` parts. A join on the joined table's `id`
 * (`join("shipments as s", "s.id", "events.shipment_id")`) gives each row one joined row, whose
 * tenant the filter pins, and joins the analysis cannot read are left as they are.
 */
export function confinedToQueryRows(filters: readonly FilterPart[], links: readonly ChainLink[]): FilterPart[] {
  const offKey = tablesJoinedOffKey(links);
  if (offKey.size === 0) return [...filters];
  const confined = (part: FilterPart): FilterPart => {
    if (part.kind === "alternatives") return { ...part, branches: part.branches.map((branch) => branch.map(confined)) };
    if (part.kind !== "column") return part;
    const qualifier = /^(?:"?[\w]+"?\.)?"?(\w+)"?\.\w+$/.exec(part.column)?.[1];
    return qualifier && offKey.has(qualifier.toLowerCase()) ? { kind: "unscoped", node: part.node } : part;
  };
  return filters.map(confined);
}

/** Names and aliases (lowercased) of the tables a chain joins on a column other than their `id`. */
function tablesJoinedOffKey(links: readonly ChainLink[]): Set<string> {
  const offKey = new Set<string>();
  for (const link of links) {
    if (!JOIN_METHODS.has(link.name)) continue;
    const strings = link.args.map((arg) => skipWrappers(arg)).map((arg) => (ts.isStringLiteralLike(arg) ? arg.text : undefined));
    const [table, left, ...rest] = strings;
    const right = rest.at(-1); // `join(t, a, b)` or Knex's `join(t, a, "=", b)`
    if (table === undefined || left === undefined || right === undefined || link.args.length < 3) continue;
    const [name, alias] = table.split(/\s+as\s+/i).map((part) => part.trim().toLowerCase());
    const names = new Set([name!, alias ?? name!]);
    const joinedSide = [left, right].map((column) => column.toLowerCase().split(".")).find((parts) => parts.length > 1 && names.has(parts.at(-2)!));
    if (joinedSide && joinedSide.at(-1) !== "id") for (const each of names) offKey.add(each);
  }
  return offKey;
}
