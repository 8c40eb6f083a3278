import { findRegion, geoSecondary } from "../../catalog/regions";

/** How the embassy's storage survives the loss of a datacenter or a region. */
export interface Redundancy {
  /** Storage SKU. */
  readonly sku: "Standard_RAGZRS" | "Standard_RAGRS" | "Standard_ZRS" | "Standard_LRS";
  /** Region that holds the Microsoft-managed geo copy, if the SKU is geo-redundant. */
  readonly geoSecondary?: string;
  /** Region of the object-replication copy, when the host has no geo-pair. */
  readonly replicaRegion?: string;
  /** One sentence for the plan and auditors. */
  readonly reason: string;
}

/**
 * Chooses the strongest redundancy the host region offers: RA-GZRS where zones and a pair exist,
 * RA-GRS where there is a pair without GZRS, and for a region without a pair a local ZRS/LRS copy
 * plus object replication to a second approved region (which must then be given).
 */
export function chooseRedundancy(hostRegion: string, replicaRegion?: string): Redundancy {
  const host = findRegion(hostRegion);
  if (host === undefined) {
    throw new Error(`unknown region "${hostRegion}"`);
  }
  const secondary = geoSecondary(host.name);
  if (secondary !== undefined && host.gzrs) {
    return { sku: "Standard_RAGZRS", geoSecondary: secondary.name, reason: `${host.name} has zones and a pair: RA-GZRS, geo copy in ${secondary.name}` };
  }
  if (secondary !== undefined) {
    return { sku: "Standard_RAGRS", geoSecondary: secondary.name, reason: `${host.name} has a pair but no GZRS: RA-GRS, geo copy in ${secondary.name}` };
  }
  if (replicaRegion === undefined) {
    throw new Error(`${host.name} has no geo-pair: geo-redundancy needs object replication to a second approved region (objectReplicationRegion)`);
  }
  const sku = host.availabilityZones ? "Standard_ZRS" : "Standard_LRS";
  return { sku, replicaRegion, reason: `${host.name} has no pair: ${sku === "Standard_ZRS" ? "ZRS" : "LRS"} plus object replication to ${replicaRegion}` };
}
