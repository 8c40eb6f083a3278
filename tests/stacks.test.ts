import { countries } from "../catalog/countries";
import { euRegionNames, findRegion, geoSecondary, greatCircleKm, regions } from "../catalog/regions";
import type { Capture } from "../tools/engine/capture";
import { criticalPath } from "../tools/analysis/criticalPath";
import { failedPlan, plan, register, registered, exceptFlowLogs } from "./helpers";

/** Azure names that must be unique across all of Azure (DNS names). */
const globallyUnique = ["azure-native:storage:StorageAccount", "azure-native:keyvault:Vault", "azure-native:keyvault:ManagedHsm"];
const azureName = (c: Capture, type: string) =>
  c.resources.filter((r) => r.type === type).map((r) => String(r.inputs.accountName ?? r.inputs.vaultName ?? r.inputs.name));

describe("the prod and dr stacks", () => {
  let prod: Capture;
  let dr: Capture;
  beforeAll(async () => {
    [prod, dr] = await Promise.all([plan({ stack: "prod" }), plan({ stack: "dr" })]);
  });

  it("re-provision the same registers in another approved region", () => {
    expect(dr.outputs.registers).toEqual(prod.outputs.registers);
    expect(prod.outputs.location).toBe("germanywestcentral");
    expect(dr.outputs.location).toBe("francecentral");
  });

  it("produce no colliding globally unique names or resource groups", () => {
    for (const type of globallyUnique) {
      const prodNames = azureName(prod, type);
      expect(azureName(dr, type).filter((n) => prodNames.includes(n))).toEqual([]);
    }
    expect(dr.outputs.resourceGroupName).not.toBe(prod.outputs.resourceGroupName);
  });

  it("keep production guards on in dr, and start at phase build: WORM created Unlocked, left to the seal", () => {
    const account = exceptFlowLogs(dr).resources.find((r) => r.type === "azure-native:storage:StorageAccount")!;
    expect(account.options).toMatchObject({ protect: true, retainOnDelete: true });
    expect(account.inputs.immutableStorageWithVersioning).toMatchObject({ enabled: true, immutabilityPolicy: { state: "Unlocked" } });
    expect(account.options.ignoreChanges).toEqual(expect.arrayContaining(["immutableStorageWithVersioning.immutabilityPolicy.state"]));
    expect(dr.outputs.phase).toBe("build");
  });

  it("dr states its manual steps and points at the runbook", () => {
    const warning = dr.diagnostics.find((d) => d.message.startsWith("DR re-provisioning"));
    expect(warning?.message).toMatch(/lost in germanywestcentral.*created empty.*docs\/dr-runbook\.md/);
    // The data path that works (issue 16 item 5, audit F15): a client-side copy, never a server-side one between private-only accounts.
    expect(warning?.message).toMatch(/client-side copy from a workload in this stack's workload subnet \(never a server-side copy/);
    expect(warning?.message).not.toMatch(/then a server-side copy into this account/);
    expect(prod.diagnostics.some((d) => d.message.startsWith("DR re-provisioning"))).toBe(false);
  });
});

describe("the dev plan's critical path", () => {
  it("is the chain that provisioning must wait for (a change that lengthens it shows here)", async () => {
    const path = criticalPath(await plan());
    expect(path.chain.map((r) => r.type.replace(/^azure-native:/, ""))).toEqual([
      "resources:ResourceGroup",
      "keyvault:Vault",
      "keyvault:Key",
      "authorization:RoleAssignment", // the storage identity's grant on its key: CMK needs it first
      "time:index/sleep:Sleep", // ... in effect, not just created (roleAssignmentPropagationWait, 10m)
      "storage:StorageAccount",
      "authorization:RoleAssignment", // the backup vault's Storage Account Backup Contributor grant on it
      "time:index/sleep:Sleep", // ... in effect before protection is configured (10m)
      "dataprotection:BackupInstance",
    ]);
    expect(path.minutes).toBe(26.9);
    expect(path.untimedTypes).toEqual([]);
  });
});

describe("every catalogued region as the host of Estonia's embassy", () => {
  const tallinn = countries.get("EE")!;
  const approvedRegions = [...euRegionNames];

  /** Why a region must be refused, or undefined if an embassy can be built there. */
  function expectedRefusal(name: string): RegExp | undefined {
    const region = findRegion(name)!;
    if (!region.eu) return /not an EU member state/;
    if (greatCircleKm(tallinn, region) < 1000) return /less than minDistanceKm \(1000\)/;
    if (geoSecondary(name) === undefined) return /has no geo-pair/;
    return undefined;
  }

  it.each([...regions.keys()])("%s: plans, or fails with the expected reason", async (name) => {
    const config = { hostRegion: name, "azure-native:location": name, approvedRegions, registers: [register("population")] };
    const refusal = expectedRefusal(name);
    if (refusal === undefined) {
      const capture = await plan({ config });
      expect(capture.outputs.location).toBe(name);
    } else {
      const { message, capture } = await failedPlan({ config });
      expect(message).toMatch(refusal);
      expect(registered(capture)).toEqual([]);
    }
  });
});
