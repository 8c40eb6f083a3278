import { findRegion, geoSecondary } from "../../catalog/regions";
import { approvedRegionsConfig, approvedSet } from "./governance";
import { anyType, resourceRule, ResourceView } from "./rule";
import { isGeoRedundant } from "./storage";
import { types } from "../../catalog/resourceTypes";
import { get, list, oneOf, same, strings, text } from "./values";

/**
 * approved-locations: every place a resource puts data — its location, the geo-pair its
 * geo-redundant copies go to, its replicas and restore targets — is an approved region, and none
 * is in the home country (tag `homeCountry`), which the embassy must outlive.
 */

/** Regions a resource stores data in besides its location, with why. */
function copiesOf(r: ResourceView, location: string): { region: string; why: string }[] {
  const copies: { region: string; why: string }[] = [];
  const pair = geoSecondary(location)?.name;
  if (r.type === types.storageAccount && isGeoRedundant(r)) {
    copies.push({ region: pair ?? `(no geo-pair of ${location})`, why: `geo-secondary of SKU ${String(get(r.props, "sku.name"))}` });
  }
  if (r.type === types.backupVault) {
    const geo = list(r.props, "properties.storageSettings").some((s) => same(get(s, "type"), "GeoRedundant"));
    const crossRegionRestore = same(get(r.props, "properties.featureSettings.crossRegionRestoreSettings.state"), "Enabled");
    if (geo || crossRegionRestore)
      copies.push({ region: pair ?? `(no geo-pair of ${location})`, why: crossRegionRestore ? "cross-region restore target" : "geo-redundant backup copy" });
    strings(r.props, "properties.replicatedRegions").forEach((region) => copies.push({ region, why: "replicated region" }));
  }
  if (r.type === types.managedHsm) {
    list(r.props, "properties.regions").forEach((region) => copies.push({ region: text(region, "name") ?? "(unnamed)", why: "HSM replica region" }));
  }
  return copies;
}

export const approvedLocations = resourceRule(
  [anyType],
  (r, config) => {
    const location = text(r.props, "location");
    // Global resources (alerts, DNS zones, action groups) hold no data in a region.
    if (location === undefined || same(location, "global")) return [];
    const approved = approvedSet(config);
    const home = text(r.props, "tags.homeCountry")?.toUpperCase();
    const problems: string[] = [];
    const check = (region: string, why: string) => {
      const found = findRegion(region);
      if (found === undefined) {
        problems.push(`${why} "${region}" is not a known Azure region`);
        return;
      }
      if (!approved.has(found.name)) problems.push(`${why} ${found.name} is not an approved region (${[...approved].join(", ")})`);
      if (home !== undefined && oneOf(found.country, [home])) problems.push(`${why} ${found.name} is in the home country ${home}: an embassy must be abroad`);
    };
    check(location, "location");
    copiesOf(r, location).forEach(({ region, why }) => check(region, why));
    return problems;
  },
  approvedRegionsConfig,
);
