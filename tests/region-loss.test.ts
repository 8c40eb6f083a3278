import * as path from "path";
import { builtInRoles } from "../catalog/roles";
import { types } from "../catalog/resourceTypes";
import { registerSchema } from "../settings";
import type { Capture, CapturedResource } from "../tools/engine/capture";
import { regionLossMarkdown } from "../tools/reports/regionLoss";
import { readProjectSettings } from "../tools/engine/projectSettings";
import { CopyKind, Duties, dutiesOf, loseRegion, LossCheck, LossVerdict, regionsToLose, resourcesIn } from "../tools/analysis/regionLoss";
import { collectLose, regionLossRun } from "../tools/analysis/regionLossCli";
import { restoreEstimate, restoreMinutes } from "../tools/analysis/restoreEstimate";
import { plan, unpairedHostConfig } from "./helpers";

/**
 * "Lose a region, offline" (tools/analysis/regionLoss.ts): the real prod and unpaired plans where they are
 * what they are, and for each check (a)–(d) a mutation of a real plan that makes it pass and one
 * that makes it fail, so no check can pass by construction.
 */

const repoRoot = path.resolve(__dirname, "..");
const settingsOf = (stack: string, overrides: Record<string, unknown> = {}) => {
  const read = readProjectSettings(repoRoot, stack, overrides);
  if (read.kind !== "embassy") throw new Error("not the embassy");
  return read.settings;
};
const prodDuties: Duties = dutiesOf(settingsOf("prod"));
const operator = settingsOf("prod").operators[0];

const byType = (c: Capture, type: string) => c.resources.filter((r) => r.type === type);
const one = (c: Capture, type: string, pick: (r: CapturedResource) => boolean = () => true) => {
  const found = byType(c, type).filter(pick);
  if (found.length !== 1) throw new Error(`${found.length} ${type}`);
  return found[0];
};
const primaryAccount = (c: Capture) => one(c, types.storageAccount, (r) => r.name === "embassy-storage-account");

/** The verdict of `register`'s copy of `kind` when `region` is lost. */
function copy(v: LossVerdict, kind: CopyKind, register = "population") {
  const r = v.registers.find((x) => x.register === register);
  const c = r?.copies.find((x) => x.kind === kind);
  if (c === undefined) throw new Error(`no ${kind} copy of ${register}`);
  return c;
}
const check = (v: LossVerdict, kind: CopyKind, name: LossCheck) => copy(v, kind).checks.find((k) => k.check === name);

/**
 * The shape audit F8/F9 describe, whatever the plan grows meanwhile: the registers' account alone,
 * every private endpoint and user-assigned identity in the host region, no recovery reader. Mutation
 * tests start here so that each check's failing case stays a failing case.
 */
function hostOnly(c: Capture, host: string): Capture {
  const out = structuredClone(c);
  const primary = primaryAccount(out);
  out.resources = out.resources.filter(
    (r) =>
      !(r.type === types.storageAccount && r !== primary) &&
      !(r.type === types.privateEndpoint && String(r.inputs.location) !== host) &&
      r.type !== types.roleEligibility,
  );
  for (const identity of byType(out, types.userAssignedIdentity)) identity.inputs.location = host;
  return out;
}

/** A private endpoint, its VNet moved to `region`: a network of the surviving region. */
function endpointIn(c: Capture, groupId: string, accountName: string, region: string): void {
  const vnet = structuredClone(byType(c, types.virtualNetwork)[0]);
  vnet.urn = `${vnet.urn}-${region}`;
  vnet.inputs = { ...vnet.inputs, location: region, virtualNetworkName: `vnet-${region}` };
  c.resources.push(vnet);
  const pe = structuredClone(byType(c, types.privateEndpoint)[0]);
  pe.urn = `${pe.urn}-${region}-${groupId}-${accountName}`;
  pe.name = `pep-${region}-${groupId}`;
  const account = c.resources.find((r) => r.type === types.storageAccount && r.inputs.accountName === accountName) as CapturedResource;
  pe.inputs = {
    ...pe.inputs,
    location: region,
    privateEndpointName: pe.name,
    subnet: {
      id: `/subscriptions/00000000-0000-4000-8000-000000000000/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/vnet-${region}/subnets/pe`,
    },
    privateLinkServiceConnections: [
      {
        groupIds: [groupId],
        name: pe.name,
        privateLinkServiceId: `/subscriptions/00000000-0000-4000-8000-000000000000/resourceGroups/${String(account.inputs.resourceGroupName)}/providers/Microsoft.Storage/storageAccounts/${accountName}`,
      },
    ],
  };
  c.resources.push(pe);
}

/** A role assignment of Storage Blob Data Contributor to `principal` at `scope`. */
function blobDataRole(c: Capture, principal: string, scope: string): void {
  const a = structuredClone(one(c, types.roleAssignment, (r) => r.name.startsWith("embassy-governance-operator-reader")));
  a.urn = `${a.urn}-blob-data`;
  a.inputs = {
    ...a.inputs,
    principalId: principal,
    scope,
    roleDefinitionId: `/subscriptions/00000000-0000-4000-8000-000000000000/providers/Microsoft.Authorization/roleDefinitions/${builtInRoles.storageBlobDataContributor}`,
  };
  c.resources.push(a);
}

const accountScope = (c: Capture, account = primaryAccount(c)) =>
  `/subscriptions/00000000-0000-4000-8000-000000000000/resourceGroups/${String(account.inputs.resourceGroupName)}/providers/Microsoft.Storage/storageAccounts/${String(account.inputs.accountName)}`;

describe("losing a region: what is taken away", () => {
  let prod: Capture;
  beforeAll(async () => {
    prod = await plan({ stack: "prod" });
  });

  it("takes away what the plan places in the region, with what lives in it (containers, keys, subnets, locks), but not the global resources", () => {
    const lost = new Set(resourcesIn(prod, "germanywestcentral").map((r) => r.urn));
    // The standby site in the pair (its VNet, the secondary endpoints, its flow log, the standby identity) is what the host's loss leaves.
    const inPair = new Set(resourcesIn(prod, "germanynorth").map((r) => r.urn));
    expect([...inPair].filter((urn) => !/standby|second/.test(urn))).toEqual([]);
    expect(byType(prod, types.virtualNetwork).filter((r) => inPair.has(r.urn))).toHaveLength(1);
    const hostSide = (type: string) => byType(prod, type).filter((r) => !inPair.has(r.urn));
    for (const type of [
      types.storageAccount,
      types.blobContainer,
      types.encryptionScope,
      types.key,
      types.subnet,
      types.privateEndpoint,
      types.backupInstance,
      types.vault,
    ]) {
      expect(hostSide(type).every((r) => lost.has(r.urn))).toBe(true);
    }
    expect(hostSide(types.lockByScope).every((r) => lost.has(r.urn))).toBe(true); // each lock goes with its target
    for (const type of [types.roleAssignment, types.roleEligibility, types.roleDefinition, types.policyAssignment, types.privateZone, types.activityLogAlert]) {
      expect(byType(prod, type).some((r) => lost.has(r.urn) || inPair.has(r.urn))).toBe(false);
    }
    expect(regionsToLose(prod)).toEqual(["germanywestcentral", "germanynorth"]);
  });
});

describe("losing a region: the real plans", () => {
  let prod: Capture;
  beforeAll(async () => {
    prod = await plan({ stack: "prod" });
  });

  it("prod survives the loss of germanynorth: every register stays in place", () => {
    const v = loseRegion({ capture: prod, duties: prodDuties }, "germanynorth");
    expect(v.survives).toBe(true);
    expect(v.registers.map((r) => r.via)).toEqual(v.registers.map(() => expect.stringContaining("the original in")));
    expect(v.registers.map((r) => r.register)).toEqual(settingsOf("prod").registers.map((r) => r.name));
  });

  it("prod survives the loss of its host, germanywestcentral: the read-access secondary through the standby site's endpoint and identity, read by a recovery reader once eligible", () => {
    const v = loseRegion({ capture: prod, duties: prodDuties }, "germanywestcentral");
    expect(v.survives).toBe(true);
    expect(v.registers.map((r) => r.via)).toEqual(v.registers.map(() => expect.stringMatching(/^read-access geo-secondary of \S+ \(germanynorth\)$/)));
    expect(check(v, "geo-secondary", "key")).toMatchObject({
      ok: true,
      reason: expect.stringContaining("standby identity id-ee-emb-prod-storage-standby (germanynorth)"),
    });
    expect(check(v, "geo-secondary", "path")).toMatchObject({ ok: true, reason: expect.stringContaining("(`blob_secondary`) in germanynorth") });
    expect(check(v, "geo-secondary", "role")).toMatchObject({
      ok: true,
      reason: "recovery reader (Storage Blob Data Reader, eligible through PIM: activate first) may read it",
    });
    // Without the standby identity's grants on the keys, the standby identity cannot take over.
    const ungranted = structuredClone(prod);
    ungranted.resources = ungranted.resources.filter((r) => !r.name.includes("grant-standby-"));
    expect(check(loseRegion({ capture: ungranted, duties: prodDuties }, "germanywestcentral"), "geo-secondary", "key")).toMatchObject({
      ok: false,
      reason: expect.stringContaining("no other identity outside germanywestcentral may use those keys"),
    });
  });

  it("a prod whose endpoints and identity are all in the host does not survive the host's loss: F9's endpoint, no restore target outside it", () => {
    const v = loseRegion({ capture: hostOnly(prod, "germanywestcentral"), duties: prodDuties }, "germanywestcentral");
    expect(v.survives).toBe(false);
    expect(v.registers.every((r) => !r.survives)).toBe(true);
    expect(check(v, "original", "copy")).toMatchObject({ ok: false, reason: "lost with germanywestcentral" });
    expect(check(v, "geo-secondary", "copy")?.ok).toBe(true);
    expect(check(v, "geo-secondary", "path")).toMatchObject({ ok: false, reason: expect.stringContaining("`blob_secondary` private endpoint") });
    expect(check(v, "backup cross-region restore", "path")).toMatchObject({
      ok: false,
      reason: expect.stringContaining("no storage account of this plan in germanynorth"),
    });
    expect(check(v, "backup cross-region restore", "role")).toMatchObject({ ok: true, reason: expect.stringContaining("operator (Data Embassy Operator") });
    expect(v.notes).toEqual([expect.stringContaining("resource group rg-ee-emb-prod keeps its metadata in germanywestcentral")]);
  });
});

describe("losing a region: each check fails and passes", () => {
  let prod: Capture;
  let unpaired: Capture;
  beforeAll(async () => {
    prod = await plan({ stack: "prod" });
    unpaired = await plan({ config: unpairedHostConfig });
  });

  it("(a) a copy in the lost region is lost; a geo-secondary exists only for a geo-redundant SKU", () => {
    expect(check(loseRegion({ capture: prod }, "germanynorth"), "geo-secondary", "copy")).toMatchObject({ ok: false, reason: "lost with germanynorth" });
    expect(check(loseRegion({ capture: prod }, "germanywestcentral"), "geo-secondary", "copy")?.ok).toBe(true);
    const lrs = structuredClone(prod);
    primaryAccount(lrs).inputs.sku = { name: "Standard_ZRS" };
    expect(() => copy(loseRegion({ capture: lrs }, "germanywestcentral"), "geo-secondary")).toThrow("no geo-secondary copy");
  });

  it("(b) fails for a replica whose key lives only in an unpaired host's vault (F8), passes once vault and identity are in the replica's region", () => {
    const f8 = hostOnly(unpaired, "polandcentral");
    f8.resources.push(...structuredClone(byType(unpaired, types.storageAccount).filter((r) => r.name.includes("replica"))));
    const hostVault = one(f8, types.vault, (r) => r.inputs.location === "polandcentral");
    f8.resources = f8.resources.filter((r) => r.type !== types.vault || r === hostVault);
    const replica = one(f8, types.storageAccount, (r) => r.name.includes("replica"));
    replica.inputs.encryption = {
      ...(replica.inputs.encryption as object),
      keySource: "Microsoft.Keyvault",
      keyVaultProperties: { keyName: "cmk-storage", keyVaultUri: `https://${String(hostVault.inputs.vaultName)}.vault.azure.net/` },
    };
    const v = loseRegion({ capture: f8 }, "polandcentral");
    expect(check(v, "object replica", "copy")?.ok).toBe(true);
    expect(check(v, "object replica", "key")).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/lives only in kv-\S+ in polandcentral, which has no pair: Key Vault keeps it in that region alone \(audit F8\)/),
    });
    // The real unpaired plan: the replica site's own vault, keys and identity in its region.
    const replicaRegion = String(one(unpaired, types.storageAccount, (r) => r.name.includes("replica")).inputs.location);
    expect(replicaRegion).not.toBe("polandcentral");
    expect(check(loseRegion({ capture: unpaired }, "polandcentral"), "object replica", "key")).toMatchObject({
      ok: true,
      reason: expect.stringContaining(`(${replicaRegion})`),
    });
  });

  it("(b) a paired host's vault survives through Key Vault's pair replication, but not through an identity of the lost region", () => {
    const today = hostOnly(prod, "germanywestcentral");
    expect(check(loseRegion({ capture: today }, "germanywestcentral"), "geo-secondary", "key")).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/identity id-ee-emb-prod-storage .* lives in germanywestcentral/),
    });
    const identityAway = structuredClone(today);
    for (const identity of byType(identityAway, types.userAssignedIdentity)) identity.inputs.location = "germanynorth";
    expect(check(loseRegion({ capture: identityAway }, "germanywestcentral"), "geo-secondary", "key")).toMatchObject({
      ok: true,
      reason: expect.stringContaining("which Key Vault replicates to its pair germanynorth"),
    });
  });

  it("(b) a Managed HSM survives only with a replica region, and a key the plan cannot place fails", () => {
    const hsm = hostOnly(prod, "germanywestcentral");
    hsm.resources.push({
      ...structuredClone(one(hsm, types.vault)),
      urn: "urn:hsm",
      type: types.managedHsm,
      inputs: { name: "hsm-ee", location: "germanywestcentral", properties: {} },
    });
    for (const scope of byType(hsm, types.encryptionScope)) scope.inputs.keyVaultProperties = { keyUri: "https://hsm-ee.managedhsm.azure.net/keys/k" };
    for (const identity of byType(hsm, types.userAssignedIdentity)) identity.inputs.location = "germanynorth";
    expect(check(loseRegion({ capture: hsm }, "germanywestcentral"), "geo-secondary", "key")).toMatchObject({
      ok: false,
      reason: expect.stringContaining("only in Managed HSM hsm-ee in germanywestcentral"),
    });
    (one(hsm, types.managedHsm).inputs.properties as Record<string, unknown>).regions = [{ name: "germanywestcentral" }, { name: "swedencentral" }];
    expect(check(loseRegion({ capture: hsm }, "germanywestcentral"), "geo-secondary", "key")?.ok).toBe(true);
    for (const scope of byType(hsm, types.encryptionScope)) scope.inputs.keyVaultProperties = { keyUri: "https://elsewhere.vault.azure.net/keys/k" };
    expect(check(loseRegion({ capture: hsm }, "germanywestcentral"), "geo-secondary", "key")).toMatchObject({
      ok: false,
      reason: expect.stringContaining("elsewhere, which is not in the plan"),
    });
  });

  it("(b) the backup vault's own key counts when it has one", () => {
    const cmk = hostOnly(prod, "germanywestcentral");
    cmk.resources = cmk.resources.filter((r) => r.type !== types.vault || r.inputs.location === "germanywestcentral");
    const vault = byType(cmk, types.backupVault)[0];
    const properties = vault.inputs.properties as { securitySettings: Record<string, unknown> };
    const keyVault = String(one(cmk, types.vault).inputs.vaultName);
    properties.securitySettings.encryptionSettings = {
      state: "Enabled",
      keyVaultProperties: { keyUri: `https://${keyVault}.vault.azure.net/keys/cmk-backup` },
    };
    const pmk = structuredClone(cmk);
    (byType(pmk, types.backupVault)[0].inputs.properties as { securitySettings: Record<string, unknown> }).securitySettings.encryptionSettings = undefined;
    expect(check(loseRegion({ capture: pmk }, "germanywestcentral"), "backup cross-region restore", "key")?.reason).toContain("platform-managed keys");
    expect(check(loseRegion({ capture: cmk }, "germanywestcentral"), "backup cross-region restore", "key")).toMatchObject({
      ok: true,
      reason: expect.stringContaining("the backup vault key is in"),
    });
    one(cmk, types.vault).inputs.location = "polandcentral"; // an unpaired region
    expect(check(loseRegion({ capture: cmk }, "polandcentral"), "backup cross-region restore", "key")).toMatchObject({
      ok: false,
      reason: expect.stringContaining("has no pair"),
    });
  });

  it("(c) fails while the secondary's endpoint sits in the lost region's VNet, passes with one in a VNet of the pair", () => {
    const account = String(primaryAccount(prod).inputs.accountName);
    const moved = hostOnly(prod, "germanywestcentral");
    endpointIn(moved, "blob_secondary", account, "germanywestcentral"); // same region: still lost
    expect(check(loseRegion({ capture: moved }, "germanywestcentral"), "geo-secondary", "path")?.ok).toBe(false);
    endpointIn(moved, "blob_secondary", account, "germanynorth");
    expect(check(loseRegion({ capture: moved }, "germanywestcentral"), "geo-secondary", "path")).toMatchObject({
      ok: true,
      reason: expect.stringContaining("(`blob_secondary`) in germanynorth"),
    });
  });

  it("(d) fails when no duty may read the copy, passes when an operator holds blob read on it, not for a principal without a duty or on another scope", () => {
    const account = String(primaryAccount(prod).inputs.accountName);
    const readable = hostOnly(prod, "germanywestcentral");
    for (const identity of byType(readable, types.userAssignedIdentity)) identity.inputs.location = "germanynorth";
    endpointIn(readable, "blob_secondary", account, "germanynorth");
    const before = loseRegion({ capture: readable, duties: prodDuties }, "germanywestcentral");
    expect(check(before, "geo-secondary", "role")).toMatchObject({ ok: false, reason: expect.stringContaining("no duty of this stack may read it") });
    const stranger = structuredClone(readable);
    blobDataRole(stranger, "99999999-9999-4999-8999-999999999999", accountScope(stranger));
    expect(check(loseRegion({ capture: stranger, duties: prodDuties }, "germanywestcentral"), "geo-secondary", "role")?.ok).toBe(false);
    const elsewhere = structuredClone(readable);
    blobDataRole(elsewhere, operator, `${accountScope(elsewhere)}x`);
    expect(check(loseRegion({ capture: elsewhere, duties: prodDuties }, "germanywestcentral"), "geo-secondary", "role")?.ok).toBe(false);
    blobDataRole(readable, operator, accountScope(readable));
    const after = loseRegion({ capture: readable, duties: prodDuties }, "germanywestcentral");
    expect(check(after, "geo-secondary", "role")).toMatchObject({ ok: true, reason: expect.stringContaining("operator (") });
    expect(after.registers.every((r) => r.survives && r.via?.startsWith("read-access geo-secondary"))).toBe(true);
    expect(after.survives).toBe(true);
  });

  it("(c)+(d) a cross-region restore survives the host's loss once an account with an endpoint waits in the pair, and fails without the operator's cross-region actions", () => {
    const target = hostOnly(prod, "germanywestcentral");
    const standby = structuredClone(primaryAccount(target));
    standby.urn = `${standby.urn}-standby`;
    standby.name = "standby";
    standby.inputs = { ...standby.inputs, accountName: "ststandby", location: "germanynorth", sku: { name: "Standard_LRS" } };
    target.resources.push(standby);
    endpointIn(target, "blob", "ststandby", "germanynorth");
    const v = loseRegion({ capture: target, duties: prodDuties }, "germanywestcentral");
    expect(copy(v, "backup cross-region restore")).toMatchObject({ usable: true });
    expect(check(v, "backup cross-region restore", "path")?.reason).toContain("restore into ststandby (germanynorth)");
    expect(v.registers.every((r) => r.via?.startsWith("cross-region restore copy"))).toBe(true);
    const noCrr = structuredClone(target);
    const role = one(noCrr, types.roleDefinition, (r) => r.name.includes("operator"));
    const permissions = role.inputs.permissions as { actions: string[] }[];
    permissions[0].actions = permissions[0].actions.filter((a) => !a.includes("crossRegionRestore"));
    const withoutTarget = loseRegion({ capture: hostOnly(prod, "germanywestcentral"), duties: prodDuties }, "germanywestcentral");
    expect(check(withoutTarget, "backup cross-region restore", "path")?.ok).toBe(false);
    expect(check(loseRegion({ capture: noCrr, duties: prodDuties }, "germanywestcentral"), "backup cross-region restore", "role")).toMatchObject({
      ok: false,
      reason: expect.stringContaining("no duty of this stack may run a cross-region restore"),
    });
  });
});

describe("losing a region: the plan CLI's pieces", () => {
  it("--lose takes catalog regions, comma lists and all; an unknown region is a usage error naming the valid ones", () => {
    expect(collectLose("germanywestcentral, germanynorth", ["all"])).toEqual(["all", "germanywestcentral", "germanynorth"]);
    expect(() => collectLose("westeuropa", [])).toThrow(/unknown Azure region "westeuropa"; use all or one of westeurope, /);
    expect(() => collectLose(" , ", [])).toThrow("give a region");
  });

  it("fails the regions --lose names that lose a register, shows every touched region in the report, and adds the data restore to the RTO", async () => {
    const prod = await plan({ stack: "prod" });
    const sized = settingsOf("prod", {
      registers: settingsOf("prod").registers.map(({ name, description }, i) => ({ name, description, ...(i < 2 ? { sizeGiB: 500 } : {}) })),
    });
    const run = regionLossRun(prod, sized, ["germanynorth"]);
    expect(run.failing).toEqual([]);
    expect(run.section.verdicts.map((v) => v.region)).toEqual(["germanywestcentral", "germanynorth"]);
    expect(run.lines[0]).toMatch(/^lose germanynorth \(\d+ resources taken away\): all 8 registers survive$/);
    expect(run.lines.at(-1)).toMatch(
      /^RTO ≥ [\d.]+ min: [\d.]+ min critical path \+ data restore ≥ 2\.4 min \(1,000 GiB at the 60 Gbps ingress target of an account in germanywestcentral; no size declared: /,
    );
    const today = regionLossRun(hostOnly(prod, "germanywestcentral"), sized, ["all"]);
    expect(today.failing).toEqual(["germanywestcentral"]);
    const markdown = regionLossMarkdown(today.section).join("\n");
    expect(markdown).toMatch(/\| `germanywestcentral` \| \d+ \| \*\*8 of 8 lost\*\* \| ❌ \|/);
    expect(markdown).toMatch(/\| `germanynorth` \| \d+ \| all survive \| ✅ \|/);
    expect(markdown).toContain("<details><summary>Losing `germanywestcentral`: why registers are lost</summary>");
    expect(markdown).toContain("Recovery time: RTO ≥");
    expect(regionLossMarkdown(run.section).join("\n")).toMatch(/\| `germanywestcentral` \| \d+ \| all survive \| ✅ \|/);
    expect(regionLossMarkdown({ verdicts: [{ region: "x", removed: 0, registers: [], survives: true, notes: [] }] })).toEqual([]);
  });
});

describe("data-restore estimate", () => {
  it("uses Microsoft's ingress targets: 60 Gbps in the listed regions, 25 Gbps elsewhere, and none without sizes", () => {
    expect(restoreMinutes(1000, "francecentral")).toBe(2.4); // 1000 GiB × 8.59 Gbit / 60 Gbps = 143 s
    expect(restoreMinutes(1000, "italynorth")).toBe(5.8); // … / 25 Gbps = 344 s
    expect(restoreEstimate([{ name: "a" }], "francecentral")).toBeUndefined();
    expect(restoreEstimate([{ name: "a", sizeGiB: 100 }, { name: "b" }], "francesouth")).toMatchObject({
      totalGiB: 100,
      unsized: ["b"],
      ingressGbps: 25,
      failoverMinutes: 60,
    });
  });

  it("registers declare a size in GiB, positive and at most an account's 5 PiB", () => {
    expect(registerSchema.safeParse({ name: "tax", description: "d", sizeGiB: 12.5 }).success).toBe(true);
    const issues = (value: unknown) => registerSchema.safeParse({ name: "tax", description: "d", sizeGiB: value }).error?.issues.map((i) => i.message);
    expect(issues(0)).toEqual(["sizeGiB must be more than 0 GiB"]);
    expect(issues(6e6)).toEqual([expect.stringContaining("at most 5242880 GiB")]);
    expect(issues("big")).toEqual(["sizeGiB must be a number of GiB"]);
  });
});
