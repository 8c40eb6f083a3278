import type { Capture, CapturedResource } from "../engine/capture";
import { defaultMinutes, provisioningMinutes, types } from "../../catalog/resourceTypes";
import { durationMinutes } from "../../catalog/limits";

/** The longest chain of resources that must be created one after another. */
export interface CriticalPath {
  /** Resources in creation order. */
  chain: CapturedResource[];
  /** Sum of the typical provisioning minutes along the chain: the infrastructure part of the RTO. */
  minutes: number;
  /** Types that were timed with the default because the table lacks them. */
  untimedTypes: string[];
}

/**
 * Computes the critical path of a capture. Only custom resources take time; a dependency on a
 * component means waiting for every resource inside it (Pulumi's semantics), so component
 * dependencies are expanded to their custom descendants. A `time:Sleep` takes its configured
 * `createDuration` (none: no time; unreadable, e.g. a secret: the default, reported as untimed).
 */
export function criticalPath(capture: Capture): CriticalPath {
  const byUrn = new Map(capture.resources.map((r) => [r.urn, r]));
  const children = new Map<string, CapturedResource[]>();
  for (const r of capture.resources) {
    if (r.parent !== undefined) children.set(r.parent, [...(children.get(r.parent) ?? []), r]);
  }
  const customsUnder = (urn: string): CapturedResource[] => {
    const resource = byUrn.get(urn);
    if (resource === undefined) return [];
    if (resource.custom) return [resource];
    return (children.get(urn) ?? []).flatMap((child) => customsUnder(child.urn));
  };

  const untimed = new Set<string>();
  const minutesOf = (r: CapturedResource) => {
    if (r.type === types.sleep) {
      // A wait takes exactly what it is configured to (e.g. role-assignment propagation, "10m").
      const wait =
        typeof r.inputs.createDuration === "string" ? durationMinutes(r.inputs.createDuration) : r.inputs.createDuration === undefined ? 0 : undefined;
      if (wait === undefined) untimed.add(r.type);
      return wait ?? defaultMinutes;
    }
    const known = provisioningMinutes[r.type];
    if (known === undefined) untimed.add(r.type);
    return known ?? defaultMinutes;
  };

  // Longest path by memoised depth-first search (the dependency graph is acyclic).
  const best = new Map<string, { minutes: number; previous?: CapturedResource }>();
  const finish = (r: CapturedResource): number => {
    const known = best.get(r.urn);
    if (known !== undefined) return known.minutes;
    let previous: CapturedResource | undefined;
    let start = 0;
    for (const dep of new Set(r.dependencies.flatMap(customsUnder))) {
      const depFinish = finish(dep);
      if (depFinish > start || (depFinish === start && previous === undefined)) {
        start = depFinish;
        previous = dep;
      }
    }
    const minutes = start + minutesOf(r);
    best.set(r.urn, { minutes, previous });
    return minutes;
  };

  let last: CapturedResource | undefined;
  for (const r of capture.resources.filter((c) => c.custom)) {
    if (last === undefined || finish(r) > finish(last)) last = r;
  }
  const chain: CapturedResource[] = [];
  for (let r = last; r !== undefined; r = best.get(r.urn)?.previous) chain.unshift(r);
  const minutes = last === undefined ? 0 : finish(last);
  return { chain, minutes: Math.round(minutes * 10) / 10, untimedTypes: [...untimed].sort() };
}
