import type { Capture, CapturedResource } from "../engine/capture";

/**
 * The capture seen by component: each component instance with the resources it registered itself,
 * and the dependencies between components that those resources imply. Feeds the Markdown tables
 * and the Mermaid diagram.
 */

/** A component instance (or the root stack) and what it directly holds. */
export interface ComponentGroup {
  /** The component resource itself. */
  readonly component: CapturedResource;
  /** URN of the enclosing group; undefined for the root stack. */
  readonly parent?: string;
  /** Custom (provider-backed) resources whose parent is this component. */
  readonly resources: readonly CapturedResource[];
  /** URNs of the component instances directly inside this one. */
  readonly children: readonly string[];
}

/** "Resources of `from` must exist before resources of `to`": one or more dependencies between groups. */
export interface GroupEdge {
  readonly from: string;
  readonly to: string;
  /** How many resource-level dependencies the edge stands for. */
  readonly count: number;
}

/** Readable type name: `azure-native:keyvault:Key` → `keyvault:Key`, `dataembassy:index:KeyCustody` → `KeyCustody`. */
export function shortType(type: string): string {
  const parts = type.split(":");
  if (parts[0] === "azure-native") return parts.slice(1).join(":");
  if (parts.length === 3 && parts[1] === "index") return parts[2];
  if (parts.length === 3 && parts[1].startsWith("index/")) return parts[2];
  return type;
}

/** The groups in tree order (parents before children), keyed by component URN. */
export function componentGroups(capture: Capture): Map<string, ComponentGroup> {
  const byUrn = new Map(capture.resources.map((r) => [r.urn, r]));
  const groups = new Map<string, { component: CapturedResource; parent?: string; resources: CapturedResource[]; children: string[] }>();
  const enclosing = (r: CapturedResource): string | undefined => {
    for (let p = r.parent; p !== undefined; p = byUrn.get(p)?.parent) {
      if (byUrn.get(p)?.custom === false) return p;
    }
    return undefined;
  };
  for (const r of capture.resources.filter((c) => !c.custom)) {
    groups.set(r.urn, { component: r, parent: enclosing(r), resources: [], children: [] });
  }
  for (const r of capture.resources) {
    const owner = enclosing(r);
    const group = owner === undefined ? undefined : groups.get(owner);
    if (group === undefined) continue;
    if (r.custom) group.resources.push(r);
    else group.children.push(r.urn);
  }
  return groups;
}

/** The group each resource belongs to: a component is its own group, a custom resource its component's. */
export function groupOf(groups: ReadonlyMap<string, ComponentGroup>): Map<string, string> {
  const owner = new Map<string, string>();
  for (const [urn, group] of groups) {
    owner.set(urn, urn);
    for (const r of group.resources) owner.set(r.urn, urn);
  }
  return owner;
}

/** Dependencies between groups, prerequisite first; dependencies inside a group are dropped. */
export function groupEdges(capture: Capture, groups: ReadonlyMap<string, ComponentGroup>): GroupEdge[] {
  const owner = groupOf(groups);
  const counts = new Map<string, GroupEdge>();
  for (const r of capture.resources) {
    const to = owner.get(r.urn);
    if (to === undefined) continue;
    for (const dep of r.dependencies) {
      const from = owner.get(dep);
      // Waiting for an enclosing component as a whole is containment, not an edge worth drawing.
      if (from === undefined || from === to || (groups.has(dep) && isAncestor(groups, dep, to))) continue;
      const key = `${from}\u0000${to}`;
      counts.set(key, { from, to, count: (counts.get(key)?.count ?? 0) + 1 });
    }
  }
  return [...counts.values()];
}

/** True when the component `ancestor` encloses the group `urn`. */
function isAncestor(groups: ReadonlyMap<string, ComponentGroup>, ancestor: string, urn: string): boolean {
  for (let p = groups.get(urn)?.parent; p !== undefined; p = groups.get(p)?.parent) {
    if (p === ancestor) return true;
  }
  return false;
}

/** Resources per type, most numerous first (ties by name). */
export function countTypes(resources: readonly CapturedResource[]): [string, number][] {
  const counts = new Map<string, number>();
  for (const r of resources) counts.set(r.type, (counts.get(r.type) ?? 0) + 1);
  return [...counts].sort(([a, x], [b, y]) => y - x || a.localeCompare(b));
}
