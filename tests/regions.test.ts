import { countries } from "../catalog/countries";
import { euRegionNames, findRegion, geoSecondary, greatCircleKm, regions, supportsGzrs } from "../catalog/regions";

describe("region catalog", () => {
  const all = [...regions.values()];

  it("has symmetric pairs that point at catalogued regions with the same EU status", () => {
    for (const region of all.filter((r) => r.pair !== undefined)) {
      const pair = geoSecondary(region.name);
      expect(pair).toBeDefined();
      expect(pair?.pair).toBe(region.name);
      expect(pair?.eu).toBe(region.eu);
    }
  });

  it("zones every GZRS region and gives every GZRS region a pair", () => {
    for (const region of all.filter((r) => r.gzrs)) {
      expect(region.availabilityZones).toBe(true);
      expect(region.pair).toBeDefined();
    }
  });

  it("flags EU membership by country (EEA-only and non-EEA regions are not EU)", () => {
    const euCountries = new Set(["NL", "IE", "FR", "DE", "SE", "PL", "IT", "ES", "AT", "BE"]);
    for (const region of all) {
      expect(region.eu).toBe(euCountries.has(region.country));
      if (region.eu) expect(region.eea).toBe(true);
    }
    expect(findRegion("norwayeast")).toMatchObject({ eu: false, eea: true });
    expect(findRegion("uksouth")).toMatchObject({ eu: false, eea: false });
  });

  it("only pairs a restricted region with an open one", () => {
    for (const region of all.filter((r) => r.restricted)) {
      expect(geoSecondary(region.name)?.restricted).toBe(false);
    }
  });

  it("lists the EU regions as the default approved list", () => {
    expect(euRegionNames).toEqual(all.filter((r) => r.eu).map((r) => r.name));
    expect(euRegionNames).toContain("westeurope");
    expect(euRegionNames).not.toContain("uksouth");
  });

  it("answers GZRS support from the catalog", () => {
    expect(supportsGzrs("westeurope")).toBe(true);
    expect(supportsGzrs("germanynorth")).toBe(false);
    expect(supportsGzrs("polandcentral")).toBe(false);
    expect(supportsGzrs("nowhere")).toBe(false);
  });

  it("accepts display names and any case", () => {
    expect(findRegion("West Europe")?.name).toBe("westeurope");
    expect(findRegion("GERMANYWESTCENTRAL")?.name).toBe("germanywestcentral");
    expect(findRegion("eastus")).toBeUndefined();
  });

  it("computes great-circle distances", () => {
    const tallinn = countries.get("EE")!;
    const westeurope = findRegion("westeurope")!;
    // Tallinn–Amsterdam is about 1,470 km.
    expect(greatCircleKm(tallinn, westeurope)).toBeGreaterThan(1400);
    expect(greatCircleKm(tallinn, westeurope)).toBeLessThan(1550);
    expect(greatCircleKm(westeurope, westeurope)).toBe(0);
    expect(greatCircleKm(tallinn, westeurope)).toBeCloseTo(greatCircleKm(westeurope, tallinn), 6);
  });

  it("has coordinates inside Europe for every region and country", () => {
    for (const place of [...all, ...countries.values()]) {
      expect(place.latitude).toBeGreaterThan(34);
      expect(place.latitude).toBeLessThan(72);
      expect(place.longitude).toBeGreaterThan(-25);
      expect(place.longitude).toBeLessThan(35);
    }
  });
});
