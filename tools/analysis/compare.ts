import type { CapturedResource } from "../engine/capture";
import { findingKey, PolicyFinding, sortFindings } from "../reports/findings";
import type { PlanDocument } from "../reports/json";
import { Replacement, replacementOf } from "./replacement";

/**
 * `plan --compare <base.json>`: what a change does to the plan — resources added, removed or
 * changed (with the input and option paths that differ, their old and new values, and whether the
 * change replaces the resource) and policy findings that appear or go away — between a base plan
 * (e.g. the base branch's) and this one. Resources are what the provider creates (custom
 * resources; components hold nothing of their own), counted as every report counts them
 * (tools/reports/counts.ts). They are matched by URN with the stack and project prefix set aside,
 * so two stacks can be compared as well.
 */

/** How a resource differs between base and head. */
export type ResourceChangeKind = "added" | "removed" | "changed";

/** One resource that differs. */
export interface ResourceChange {
  readonly kind: ResourceChangeKind;
  /** URN in the plan it is taken from (head, or base for a removed resource). */
  readonly urn: string;
  readonly type: string;
  readonly name: string;
  /** For `changed`: what differs, e.g. `inputs.properties.minimumTlsVersion`, `options.protect`. */
  readonly paths: readonly string[];
  /** For `changed`: each path with its value in the base and in this plan (undefined: absent). */
  readonly changes?: readonly PropertyChange[];
  /** For `changed`: set when the change replaces the resource instead of updating it (tools/analysis/replacement.ts). */
  readonly replacement?: Replacement;
  /** The resource is protected (`protect`) in the plan it is taken from: a replacement or removal fails until that is lifted. */
  readonly protect?: boolean;
}

/** One value that differs. */
export interface PropertyChange {
  readonly path: string;
  readonly before: unknown;
  readonly after: unknown;
}

/** A finding that appeared (`new`) or went away (`resolved`). */
export interface FindingChange {
  readonly kind: "new" | "resolved";
  readonly finding: PolicyFinding;
}

/** The difference between two plans. */
export interface PlanDiff {
  readonly base: { readonly project: string; readonly stack: string };
  readonly head: { readonly project: string; readonly stack: string };
  /** Added, then removed, then changed; each by type and name. */
  readonly resources: readonly ResourceChange[];
  /** Resources present and identical in both (added + changed + unchanged = this plan's resources). */
  readonly unchanged: number;
  /** Finding changes; undefined when either plan carries no policy results. */
  readonly findings?: readonly FindingChange[];
}

const urnPrefix = (doc: PlanDocument) => `urn:pulumi:${doc.stack}::${doc.project}::`;

/** Replaces the plan's URN prefix in every string, so URNs of two stacks line up. */
function normalise(value: unknown, prefix: string): unknown {
  if (typeof value === "string") return value.split(prefix).join("urn:");
  if (Array.isArray(value)) return value.map((v) => normalise(v, prefix));
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, normalise(v, prefix)]));
  }
  return value;
}

/** The parts of a resource whose change changes what gets deployed (not where the code lives). */
function comparable(r: CapturedResource, prefix: string): Record<string, unknown> {
  return normalise({ inputs: r.inputs, options: r.options, dependencies: [...r.dependencies].sort() }, prefix) as Record<string, unknown>;
}

/** Dotted paths at which `a` and `b` differ; an array of another length differs as a whole. */
export function changedPaths(a: unknown, b: unknown, path = ""): string[] {
  if (Object.is(a, b)) return [];
  const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);
  if (Array.isArray(a) && Array.isArray(b) && a.length === b.length) {
    return a.flatMap((item, i) => changedPaths(item, b[i], `${path}[${i}]`));
  }
  if (isObject(a) && isObject(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
    return keys.flatMap((k) => changedPaths(a[k], b[k], path === "" ? k : `${path}.${k}`));
  }
  return [path === "" ? "(value)" : path];
}

/** The value at a path from {@link changedPaths} (`a.b[1]`); undefined when absent. */
export function valueAt(value: unknown, path: string): unknown {
  if (path === "(value)") return value;
  let at: unknown = value;
  for (const part of path.split(/\.|(?=\[)/)) {
    if (at === null || typeof at !== "object") return undefined;
    const index = /^\[(\d+)\]$/.exec(part);
    at = index !== null ? (at as unknown[])[Number(index[1])] : (at as Record<string, unknown>)[part];
  }
  return at;
}

const byTypeAndName = (x: ResourceChange, y: ResourceChange) => x.type.localeCompare(y.type) || x.name.localeCompare(y.name);

/** Compares `head` with `base`. */
export function comparePlans(base: PlanDocument, head: PlanDocument): PlanDiff {
  const basePrefix = urnPrefix(base);
  const headPrefix = urnPrefix(head);
  const key = (urn: string, prefix: string) => normalise(urn, prefix) as string;
  // Components and the stack are containers: what they hold is compared, not they themselves.
  const baseByKey = new Map(base.resources.filter((r) => r.custom).map((r) => [key(r.urn, basePrefix), r]));
  const headByKey = new Map(head.resources.filter((r) => r.custom).map((r) => [key(r.urn, headPrefix), r]));

  const added: ResourceChange[] = [];
  const removed: ResourceChange[] = [];
  const changed: ResourceChange[] = [];
  let unchanged = 0;
  for (const [k, r] of headByKey) {
    const before = baseByKey.get(k);
    if (before === undefined) {
      added.push({ kind: "added", urn: r.urn, type: r.type, name: r.name, paths: [] });
      continue;
    }
    const [was, is] = [comparable(before, basePrefix), comparable(r, headPrefix)];
    const paths = changedPaths(was, is);
    if (paths.length === 0) {
      unchanged += 1;
      continue;
    }
    const changes = paths.map((path) => ({ path, before: valueAt(was, path), after: valueAt(is, path) }));
    const replacement = replacementOf(r, paths);
    changed.push({
      kind: "changed",
      urn: r.urn,
      type: r.type,
      name: r.name,
      paths,
      changes,
      ...(replacement === undefined ? {} : { replacement }),
      protect: before.options.protect,
    });
  }
  for (const [k, r] of baseByKey) {
    if (!headByKey.has(k)) removed.push({ kind: "removed", urn: r.urn, type: r.type, name: r.name, paths: [], protect: r.options.protect });
  }

  let findings: FindingChange[] | undefined;
  if (base.findings !== undefined && head.findings !== undefined) {
    const findingId = (f: PolicyFinding, prefix: string) => findingKey({ ...f, urn: f.urn === undefined ? undefined : key(f.urn, prefix) });
    const baseIds = new Set(base.findings.map((f) => findingId(f, basePrefix)));
    const headIds = new Set(head.findings.map((f) => findingId(f, headPrefix)));
    findings = [
      ...sortFindings(head.findings.filter((f) => !baseIds.has(findingId(f, headPrefix)))).map((finding) => ({ kind: "new" as const, finding })),
      ...sortFindings(base.findings.filter((f) => !headIds.has(findingId(f, basePrefix)))).map((finding) => ({ kind: "resolved" as const, finding })),
    ];
  }

  return {
    base: { project: base.project, stack: base.stack },
    head: { project: head.project, stack: head.stack },
    resources: [...added.sort(byTypeAndName), ...removed.sort(byTypeAndName), ...changed.sort(byTypeAndName)],
    unchanged,
    ...(findings === undefined ? {} : { findings }),
  };
}

/** Counts of a diff's resource changes; `replaced` and `mayReplace` are among the `changed`. */
export function changeCounts(diff: PlanDiff): Record<ResourceChangeKind | "replaced" | "mayReplace", number> {
  const counts = { added: 0, removed: 0, changed: 0, replaced: 0, mayReplace: 0 };
  for (const c of diff.resources) {
    counts[c.kind] += 1;
    if (c.replacement?.certainty === "replaces") counts.replaced += 1;
    if (c.replacement?.certainty === "may replace") counts.mayReplace += 1;
  }
  return counts;
}
