/**
 * Catalog of the Azure regions in and around the EU/EEA, as data.
 *
 * Sources: Microsoft "Azure region pairs and nonpaired regions", "Azure geographies" and the storage
 * redundancy docs (GZRS availability); coordinates are those `az account list-locations` reports.
 * Regions outside the EU are listed on purpose: validation can then say *why* a region is refused
 * ("uksouth is in the United Kingdom, not an EU member state") instead of "unknown region".
 * Announced-but-unverified regions (Denmark, Finland, Greece) are not listed.
 */

/** One Azure region as the embassy needs to know it. */
export interface Region {
  /** ARM location name, e.g. `westeurope`. */
  readonly name: string;
  /** Display name, e.g. `West Europe`. */
  readonly displayName: string;
  /** ISO 3166-1 alpha-2 country the datacenters are in. */
  readonly country: string;
  /** Country is an EU member state. */
  readonly eu: boolean;
  /** Country is in the European Economic Area (EU + Iceland, Liechtenstein, Norway). */
  readonly eea: boolean;
  /** Geo-replication pair (the GRS/GZRS secondary), or undefined for a non-paired region. */
  readonly pair?: string;
  /** Region is access-restricted (deploy on request only); typical for the secondary of a pair. */
  readonly restricted: boolean;
  /** Region has availability zones (needed for ZRS/GZRS). */
  readonly availabilityZones: boolean;
  /** Storage accounts can use GZRS / RA-GZRS here. */
  readonly gzrs: boolean;
  /** Latitude in decimal degrees. */
  readonly latitude: number;
  /** Longitude in decimal degrees. */
  readonly longitude: number;
}

const regionList: readonly Region[] = [
  {
    name: "westeurope",
    displayName: "West Europe",
    country: "NL",
    eu: true,
    eea: true,
    pair: "northeurope",
    restricted: false,
    availabilityZones: true,
    gzrs: true,
    latitude: 52.3667,
    longitude: 4.9,
  },
  {
    name: "northeurope",
    displayName: "North Europe",
    country: "IE",
    eu: true,
    eea: true,
    pair: "westeurope",
    restricted: false,
    availabilityZones: true,
    gzrs: true,
    latitude: 53.3478,
    longitude: -6.2597,
  },
  {
    name: "francecentral",
    displayName: "France Central",
    country: "FR",
    eu: true,
    eea: true,
    pair: "francesouth",
    restricted: false,
    availabilityZones: true,
    gzrs: true,
    latitude: 46.3772,
    longitude: 2.373,
  },
  {
    name: "francesouth",
    displayName: "France South",
    country: "FR",
    eu: true,
    eea: true,
    pair: "francecentral",
    restricted: true,
    availabilityZones: false,
    gzrs: false,
    latitude: 43.8345,
    longitude: 2.1972,
  },
  {
    name: "germanywestcentral",
    displayName: "Germany West Central",
    country: "DE",
    eu: true,
    eea: true,
    pair: "germanynorth",
    restricted: false,
    availabilityZones: true,
    gzrs: true,
    latitude: 50.110924,
    longitude: 8.682127,
  },
  {
    name: "germanynorth",
    displayName: "Germany North",
    country: "DE",
    eu: true,
    eea: true,
    pair: "germanywestcentral",
    restricted: true,
    availabilityZones: false,
    gzrs: false,
    latitude: 53.073635,
    longitude: 8.806422,
  },
  {
    name: "swedencentral",
    displayName: "Sweden Central",
    country: "SE",
    eu: true,
    eea: true,
    pair: "swedensouth",
    restricted: false,
    availabilityZones: true,
    gzrs: true,
    latitude: 60.67488,
    longitude: 17.14127,
  },
  {
    name: "swedensouth",
    displayName: "Sweden South",
    country: "SE",
    eu: true,
    eea: true,
    pair: "swedencentral",
    restricted: true,
    availabilityZones: false,
    gzrs: false,
    latitude: 55.60587,
    longitude: 13.00073,
  },
  {
    name: "polandcentral",
    displayName: "Poland Central",
    country: "PL",
    eu: true,
    eea: true,
    restricted: false,
    availabilityZones: true,
    gzrs: false,
    latitude: 52.23334,
    longitude: 21.01666,
  },
  {
    name: "italynorth",
    displayName: "Italy North",
    country: "IT",
    eu: true,
    eea: true,
    restricted: false,
    availabilityZones: true,
    gzrs: false,
    latitude: 45.46888,
    longitude: 9.18109,
  },
  {
    name: "spaincentral",
    displayName: "Spain Central",
    country: "ES",
    eu: true,
    eea: true,
    restricted: false,
    availabilityZones: true,
    gzrs: false,
    latitude: 40.4259,
    longitude: -3.4209,
  },
  {
    name: "austriaeast",
    displayName: "Austria East",
    country: "AT",
    eu: true,
    eea: true,
    restricted: false,
    availabilityZones: true,
    gzrs: false,
    latitude: 48.2082,
    longitude: 16.3738,
  },
  {
    name: "belgiumcentral",
    displayName: "Belgium Central",
    country: "BE",
    eu: true,
    eea: true,
    restricted: false,
    availabilityZones: true,
    gzrs: false,
    latitude: 50.8503,
    longitude: 4.3517,
  },
  {
    name: "norwayeast",
    displayName: "Norway East",
    country: "NO",
    eu: false,
    eea: true,
    pair: "norwaywest",
    restricted: false,
    availabilityZones: true,
    gzrs: true,
    latitude: 59.913868,
    longitude: 10.752245,
  },
  {
    name: "norwaywest",
    displayName: "Norway West",
    country: "NO",
    eu: false,
    eea: true,
    pair: "norwayeast",
    restricted: true,
    availabilityZones: false,
    gzrs: false,
    latitude: 58.969975,
    longitude: 5.733107,
  },
  {
    name: "switzerlandnorth",
    displayName: "Switzerland North",
    country: "CH",
    eu: false,
    eea: false,
    pair: "switzerlandwest",
    restricted: false,
    availabilityZones: true,
    gzrs: true,
    latitude: 47.451542,
    longitude: 8.564572,
  },
  {
    name: "switzerlandwest",
    displayName: "Switzerland West",
    country: "CH",
    eu: false,
    eea: false,
    pair: "switzerlandnorth",
    restricted: true,
    availabilityZones: false,
    gzrs: false,
    latitude: 46.204391,
    longitude: 6.143158,
  },
  {
    name: "uksouth",
    displayName: "UK South",
    country: "GB",
    eu: false,
    eea: false,
    pair: "ukwest",
    restricted: false,
    availabilityZones: true,
    gzrs: true,
    latitude: 50.941,
    longitude: -0.799,
  },
  {
    name: "ukwest",
    displayName: "UK West",
    country: "GB",
    eu: false,
    eea: false,
    pair: "uksouth",
    restricted: false,
    availabilityZones: false,
    gzrs: false,
    latitude: 53.427,
    longitude: -3.084,
  },
];

/** Every catalogued region, keyed by ARM location name. */
export const regions: ReadonlyMap<string, Region> = new Map(regionList.map((r) => [r.name, Object.freeze(r)]));

/** Names of the regions in EU member states: the default approved list. */
export const euRegionNames: readonly string[] = regionList.filter((r) => r.eu).map((r) => r.name);

/** Looks a region up by ARM name (case-insensitive, spaces ignored: `West Europe` works too). */
export function findRegion(name: string): Region | undefined {
  return regions.get(name.toLowerCase().replace(/\s+/g, ""));
}

/** The region that holds the GRS/GZRS secondary copy of `region`, or undefined if it has no pair. */
export function geoSecondary(region: string): Region | undefined {
  const pair = findRegion(region)?.pair;
  return pair === undefined ? undefined : findRegion(pair);
}

/** True where storage accounts can be GZRS / RA-GZRS. */
export function supportsGzrs(region: string): boolean {
  return findRegion(region)?.gzrs ?? false;
}

const earthRadiusKm = 6371.0088;

/** Great-circle (haversine) distance in kilometres between two points given in decimal degrees. */
export function greatCircleKm(a: { latitude: number; longitude: number }, b: { latitude: number; longitude: number }): number {
  const rad = (deg: number) => (deg * Math.PI) / 180;
  const dLat = rad(b.latitude - a.latitude);
  const dLon = rad(b.longitude - a.longitude);
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(rad(a.latitude)) * Math.cos(rad(b.latitude)) * Math.sin(dLon / 2) ** 2;
  return 2 * earthRadiusKm * Math.asin(Math.min(1, Math.sqrt(h)));
}
