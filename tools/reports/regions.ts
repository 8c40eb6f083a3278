import { findRegion, geoSecondary } from "../../catalog/regions";
import { types } from "../../catalog/resourceTypes";
import type { Capture, CapturedResource } from "../engine/capture";

/**
 * Every Azure region the plan puts data in: where resources are placed, and where Azure keeps the
 * geo-redundant copies (storage GRS/GZRS secondaries, geo-redundant backup vaults), which the
 * `location` inputs alone do not show.
 */

/** One region the plan touches. */
export interface RegionUse {
  /** ARM location name as the inputs spell it. */
  readonly region: string;
  /** Country (ISO code) from the region catalog; undefined for a region the catalog does not know. */
  readonly country?: string;
  /** In an EU member state, per the catalog; undefined when unknown. */
  readonly eu?: boolean;
  /** Resources placed here. */
  readonly resources: number;
  /** Names of the resources whose geo-redundant copies Azure keeps here. */
  readonly replicaOf: readonly string[];
  /** Azure's `global` pseudo-location (e.g. private DNS zones): no data region of its own. */
  readonly global: boolean;
}

function replicates(r: CapturedResource): boolean {
  if (r.type === types.storageAccount) {
    const sku = (r.inputs.sku as { name?: unknown } | undefined)?.name;
    return typeof sku === "string" && /GRS|GZRS/.test(sku);
  }
  if (r.type === types.backupVault) {
    const settings = (r.inputs.properties as { storageSettings?: { type?: unknown }[] } | undefined)?.storageSettings ?? [];
    return settings.some((s) => s.type === "GeoRedundant");
  }
  return false;
}

/** The regions in order of use: most resources first, then replica-only regions, then by name. */
export function regionsTouched(capture: Capture): RegionUse[] {
  const uses = new Map<string, { resources: number; replicaOf: string[] }>();
  const use = (region: string) => {
    // Azure spells its pseudo-location both `global` and `Global`.
    const key = findRegion(region)?.name ?? (region.toLowerCase() === "global" ? "global" : region);
    const entry = uses.get(key) ?? { resources: 0, replicaOf: [] };
    uses.set(key, entry);
    return entry;
  };
  for (const r of capture.resources) {
    const location = r.inputs.location;
    if (!r.custom || typeof location !== "string" || location.startsWith("[")) continue;
    use(location).resources += 1;
    const secondary = replicates(r) ? geoSecondary(location) : undefined;
    if (secondary !== undefined) use(secondary.name).replicaOf.push(r.name);
  }
  return [...uses]
    .map(([region, u]) => {
      const known = findRegion(region);
      return { region, country: known?.country, eu: known?.eu, resources: u.resources, replicaOf: u.replicaOf, global: region === "global" };
    })
    .sort((a, b) => b.resources - a.resources || b.replicaOf.length - a.replicaOf.length || a.region.localeCompare(b.region));
}
