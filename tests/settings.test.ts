import { validateSettings } from "../settings/loadSettings";
import { failedPlan, register, registered, minimalSettings } from "./helpers";

/** A minimal valid configuration (everything else defaulted). */
const base = minimalSettings;

function problems(overrides: Record<string, unknown>): { key: string; message: string }[] {
  return validateSettings({ ...base, ...overrides }).problems;
}

function keysOf(overrides: Record<string, unknown>): string[] {
  return problems(overrides).map((p) => p.key);
}

describe("settings validation", () => {
  it("accepts the minimal configuration and fills embassy-grade defaults", () => {
    const { settings, problems: found } = validateSettings(base);
    expect(found).toEqual([]);
    expect(settings).toMatchObject({
      protectResources: true,
      keySize: 4096,
      minDistanceKm: 1000,
      wormState: "Unlocked",
      policyEnforcement: "Deny",
      keyManagement: "keyVault",
    });
    expect(settings?.registers[0]).toMatchObject({ classification: "confidential", immutability: "unlocked", legalHold: false });
  });

  it("returns deeply frozen settings", () => {
    const { settings } = validateSettings(base);
    expect(Object.isFrozen(settings)).toBe(true);
    expect(Object.isFrozen(settings?.registers[0])).toBe(true);
  });

  it("reports missing required keys with what they are for", () => {
    const found = validateSettings({}).problems;
    for (const key of ["environment", "homeCountry", "namePrefix", "hostRegion", "registers"]) {
      expect(found).toContainEqual({ key, message: expect.stringMatching(/^is required: \S/) });
    }
  });

  it("rejects unknown and non-EU regions, naming the valid ones", () => {
    expect(problems({ hostRegion: "westeuropa" })[0].message).toMatch(/unknown Azure region "westeuropa"; valid EU regions: westeurope/);
    expect(problems({ hostRegion: "uksouth" })[0].message).toMatch(/not an EU member state/);
    expect(problems({ hostRegion: "norwayeast" })[0].message).toMatch(/not an EU member state/);
    expect(keysOf({ approvedRegions: ["westeurope", "switzerlandnorth"] })).toContain("approvedRegions[1]");
  });

  it("normalises region display names", () => {
    expect(validateSettings({ ...base, hostRegion: "West Europe" }).settings?.hostRegion).toBe("westeurope");
  });

  it("requires the host region and its geo-secondary to be approved", () => {
    expect(problems({ approvedRegions: ["northeurope"] })).toContainEqual({ key: "hostRegion", message: expect.stringMatching(/not in approvedRegions/) });
    expect(problems({ approvedRegions: ["westeurope"] })).toContainEqual({
      key: "approvedRegions",
      message: expect.stringMatching(/geo-secondary of westeurope is northeurope/),
    });
  });

  it("requires the host to be abroad and far enough from home", () => {
    expect(problems({ homeCountry: "NL" })).toContainEqual({ key: "hostRegion", message: expect.stringMatching(/home country/) });
    // Sweden Central is ~430 km from Tallinn.
    expect(problems({ hostRegion: "swedencentral" })).toContainEqual({
      key: "hostRegion",
      message: expect.stringMatching(/swedencentral is \d+ km from Estonia's capital, less than minDistanceKm \(1000\)/),
    });
    expect(keysOf({ hostRegion: "swedencentral", minDistanceKm: 400 })).toEqual([]);
  });

  it("requires an explicit replication choice for a region without a pair", () => {
    expect(problems({ hostRegion: "polandcentral", homeCountry: "PT" })).toEqual([
      { key: "objectReplicationRegion", message: expect.stringMatching(/polandcentral has no geo-pair/) },
    ]);
    expect(keysOf({ hostRegion: "polandcentral", homeCountry: "PT", objectReplicationRegion: "germanywestcentral" })).toEqual([]);
    expect(keysOf({ hostRegion: "polandcentral", homeCountry: "PT", objectReplicationRegion: "polandcentral" })).toEqual(["objectReplicationRegion"]);
  });

  it("validates register names, duplicates and fields", () => {
    const found = problems({
      registers: [register("Land_Reg"), register("tax"), register("x"), { name: "ok-name" }, register("abc", { immutability: "forever" })],
    });
    expect(found.map((p) => p.key)).toEqual(["registers[0].name", "registers[2].name", "registers[3].description", "registers[4].immutability"]);
    expect(found[0].message).toMatch(/lower-case letters, digits and single hyphens/);
    expect(found[3].message).toMatch(/"none"\|"unlocked"\|"locked"/);
    expect(problems({ registers: [register("tax"), register("land"), register("tax")] })).toEqual([
      { key: "registers[2].name", message: expect.stringMatching(/"tax" collides with registers\[0\]/) },
    ]);
    expect(keysOf({ registers: [] })).toEqual(["registers"]);
    expect(keysOf({ registers: [register("tax", { colour: "red" })] })).toEqual(["registers[0]"]);
  });

  it("tells a stack that still sets registers[i].accessTier that it was removed, and why, with the register's other problems", () => {
    const found = problems({
      registers: [register("tax"), register("gazette", { accessTier: "Hot", immutability: "forever" }), register("land", { accessTier: "Cool" })],
    });
    expect(found.map((p) => p.key)).toEqual(["registers[1].immutability", "registers[1].accessTier", "registers[2].accessTier"]);
    expect(found[1].message).toMatch(
      /^was removed: a blob container has no access tier — new blobs take the storage account's default tier .* encryption scope/,
    );
    expect(found[1].message).toMatch(/Delete the line; tierToColdAfterDays moves a register's blobs to Cold\.$/);
  });

  it("guards irreversible locks behind an explicit acknowledgement", () => {
    const locked = { wormState: "Locked", backupImmutability: "Locked", registers: [register("tax", { immutability: "locked" })] };
    expect(keysOf(locked)).toEqual(["wormState", "backupImmutability", "registers[0].immutability"]);
    expect(problems(locked)[0].message).toMatch(/irreversible: set acknowledgeIrreversibleLock to true/);
    expect(keysOf({ ...locked, acknowledgeIrreversibleLock: true })).toEqual([]);
  });

  it("applies production guards to prod and dr stacks", () => {
    const prod = { environment: "prod", keyCustodians: [], protectResources: false, blobSoftDeleteDays: 7 };
    expect(keysOf(prod)).toEqual(["protectResources", "keyCustodians", "alertEmails", "blobSoftDeleteDays"]);
    expect(problems(prod)).toContainEqual({ key: "alertEmails", message: "a prod stack needs at least one e-mail address for security alerts" });
    const dr = {
      environment: "dr",
      hostRegion: "germanywestcentral",
      approvedRegions: ["germanywestcentral", "germanynorth"],
      alertEmails: ["soc@example.ee"],
    };
    expect(keysOf(dr)).toEqual(["drPrimaryRegion"]);
    expect(keysOf({ environment: "dev", protectResources: false, blobSoftDeleteDays: 7 })).toEqual([]);
  });

  it("checks key sizes and lifetimes", () => {
    expect(problems({ keySize: 2048 })).toEqual([{ key: "keySize", message: expect.stringMatching(/3072 or 4096/) }]);
    expect(keysOf({ keyRotationDays: 800, keyExpiryDays: 730 })).toEqual(["keyRotationDays"]);
    expect(keysOf({ keyRotationDays: 725, keyExpiryDays: 730 })).toEqual(["keyRotationDays"]);
    expect(keysOf({ keyRotationDays: 723, keyExpiryDays: 730 })).toEqual([]);
    expect(keysOf({ keyManagement: "managedHsm", managedHsmAdmins: [base.keyCustodians[0]] })).toEqual(["managedHsmAdmins"]);
  });

  it("checks principal ids, e-mails and the name prefix", () => {
    expect(keysOf({ auditors: ["not-a-guid"], alertEmails: ["nobody"], namePrefix: "Estonia" })).toEqual(["namePrefix", "auditors[0]", "alertEmails[0]"]);
  });

  it("checks the address plan", () => {
    expect(keysOf({ vnetAddressSpace: "10.60.0.0/33" })).toContain("vnetAddressSpace");
    expect(keysOf({ privateEndpointSubnet: "10.61.0.0/26" })).toEqual(["privateEndpointSubnet"]);
    expect(keysOf({ workloadSubnet: "10.60.0.32/27" })).toEqual(["workloadSubnet"]);
    expect(problems({ workloadSubnet: "10.60.0.1/26" })[0].message).toMatch(/host bits set/);
    // blob, vault and the four further Azure Monitor zones (monitor, oms, ods, agentsvc).
    expect(keysOf({ privateDnsMode: "byo" })).toEqual(Array(6).fill("byoPrivateDnsZoneIds"));
  });

  it("keeps vaulted blob retention within Microsoft's bounds (daily 7–3650, weekly 4–521, monthly 5–116, yearly 1–10)", () => {
    const below = { backupDailyRetentionDays: 6, backupWeeklyRetentionWeeks: 3, backupMonthlyRetentionMonths: 4, backupYearlyRetentionYears: 0 };
    expect(keysOf(below)).toEqual(["backupDailyRetentionDays", "backupWeeklyRetentionWeeks", "backupMonthlyRetentionMonths", "backupYearlyRetentionYears"]);
    expect(problems({ backupMonthlyRetentionMonths: 4 })).toEqual([
      { key: "backupMonthlyRetentionMonths", message: "must be at least 5 (months; vaulted blob backup allows 5–116)" },
    ]);
    expect(keysOf({ backupMonthlyRetentionMonths: 117 })).toEqual(["backupMonthlyRetentionMonths"]);
    const floors = { backupDailyRetentionDays: 7, backupWeeklyRetentionWeeks: 4, backupMonthlyRetentionMonths: 5, backupYearlyRetentionYears: 1 };
    expect(keysOf(floors)).toEqual([]);
    expect(
      keysOf({ backupDailyRetentionDays: 3650, backupWeeklyRetentionWeeks: 521, backupMonthlyRetentionMonths: 116, backupYearlyRetentionYears: 10 }),
    ).toEqual([]);
  });

  it("rejects unknown keys and suggests the right spelling", () => {
    expect(problems({ hostregion: "westeurope" })).toEqual([{ key: "hostregion", message: expect.stringMatching(/did you mean hostRegion\?/) }]);
  });
});

describe("a broken stack file", () => {
  it("gives one message listing every problem and registers nothing", async () => {
    const { message, capture } = await failedPlan({
      config: {
        hostRegion: "eastus",
        approvedRegions: ["westeurope", "northeurope", "uksouth"],
        registers: [register("Bad Name"), register("tax")],
        environment: undefined,
      },
    });
    expect(message).toMatch(/Invalid configuration for stack "dev": 4 problems/);
    expect(message).toMatch(/data-embassy:environment: is required/);
    expect(message).toMatch(/data-embassy:hostRegion: unknown Azure region "eastus"/);
    expect(message).toMatch(/data-embassy:approvedRegions\[2\]: "uksouth" is in GB, not an EU member state/);
    expect(message).toMatch(/data-embassy:registers\[0\]\.name: name must be 3–24 characters/);
    expect(message).not.toMatch(/\s+at \S+ \(/); // no stack trace
    expect(registered(capture)).toEqual([]);
  });

  it("rejects azure-native:location that disagrees with the host region", async () => {
    const { message, capture } = await failedPlan({ config: { "azure-native:location": "northeurope" } });
    expect(message).toMatch(/azure-native:location: is "northeurope" but hostRegion is "westeurope"/);
    expect(registered(capture)).toEqual([]);
  });
});
