import { createRequire } from "module";
import * as path from "path";
import type { Capture, CapturedResource } from "../tools/engine/capture";
import type { Components } from "../tools/engine/engine";
import { offlineSubscriptionId } from "../tools/engine/mocks";
import { namingRules } from "../components/shared/naming";
import { builtInRoles, forbiddenRoles } from "../catalog/roles";
import { failedPlan, managedHsmConfig, ofType, plan, registered, registers, single, exceptFlowLogs } from "./helpers";

const vaultType = "azure-native:keyvault:Vault";
const keyType = "azure-native:keyvault:Key";
const hsmType = "azure-native:keyvault:ManagedHsm";
const identityType = "azure-native:managedidentity:UserAssignedIdentity";
const roleType = "azure-native:authorization:RoleAssignment";

const subscription = offlineSubscriptionId;
const devCustodian = "3f2b8c1e-6d4a-4b7e-9a21-5c8d0e7f1a24";
const hsmAdmins = managedHsmConfig.managedHsmAdmins;
const day = 86400;

const inputs = (r: CapturedResource) => r.inputs as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const roleGuid = (r: CapturedResource) => String(inputs(r).roleDefinitionId).split("/").pop();
const byName = (capture: Capture, type: string, name: string) => {
  const found = ofType(capture, type).find((r) => r.name === name);
  if (found === undefined) throw new Error(`no ${type} named ${name}`);
  return found;
};
const vaultIdOf = (vault: CapturedResource) =>
  `/subscriptions/${subscription}/resourceGroups/${inputs(vault).resourceGroupName}/providers/Microsoft.KeyVault/vaults/${inputs(vault).vaultName}`;
const keyNamesOf = (capture: Capture) =>
  ofType(capture, keyType)
    .map((k) => inputs(k).keyName as string)
    .sort();
const grants = (capture: Capture) => ofType(capture, roleType).filter((r) => roleGuid(r) === builtInRoles.keyVaultCryptoServiceEncryptionUser);

/** Packages as the offline engine loads them (one shared @pulumi/pulumi with the program). */
const hostRequire = createRequire(path.resolve(__dirname, "..", "package.json"));

/** A KeyCustody on its own, with a hand-built context (the component is reusable outside DataEmbassy). */
function standalone(c: Components, extra: Record<string, unknown> = {}, name = "kc") {
  const context = {
    resourceGroupName: "rg-keys-test",
    resourceGroupId: `/subscriptions/${subscription}/resourceGroups/rg-keys-test`,
    location: "northeurope",
    namer: new c.Namer({ prefix: "ee", environment: "dev" }, "abcde"),
    tags: { workload: "data-embassy" },
    protect: false,
    subscriptionId: subscription,
    tenantId: "11111111-2222-4333-8444-555555555555",
  };
  return new c.KeyCustody(name, { context, registers: ["population", "land"], keyCustodians: [devCustodian], ...extra });
}

describe("KeyCustody: vault", () => {
  let capture: Capture;
  beforeAll(async () => {
    capture = await plan();
  });

  it("is a Premium, RBAC-only, purge-protected vault closed to the internet, in the host region", () => {
    const vault = single(capture, vaultType);
    const p = inputs(vault).properties;
    expect(inputs(vault).location).toBe("westeurope");
    expect(inputs(vault).vaultName).toMatch(new RegExp(`^${namingRules.keyVault.abbreviation}-ee-emb-dev-[a-z0-9]{5}$`));
    expect(p.sku).toEqual({ family: "A", name: "premium" });
    expect(p.enableRbacAuthorization).toBe(true);
    expect(p.enablePurgeProtection).toBe(true);
    expect(p.enableSoftDelete).toBe(true);
    expect(p.softDeleteRetentionInDays).toBe(90);
    expect(p.publicNetworkAccess).toBe("Disabled");
    expect(p.networkAcls).toEqual({ defaultAction: "Deny", bypass: "AzureServices", ipRules: [], virtualNetworkRules: [] });
    expect(p.tenantId).toMatch(/^[0-9a-f-]{36}$/);
    for (const flag of ["enabledForDeployment", "enabledForDiskEncryption", "enabledForTemplateDeployment"]) {
      expect(p[flag]).toBe(false);
    }
    expect(p.accessPolicies ?? []).toEqual([]);
    expect(p.createMode).toBeUndefined();
    expect(vault.options.ignoreChanges).toContain("properties.createMode");
  });

  it("creates one RSA-HSM wrap/unwrap key for storage, backup and each register, with expiry and rotation", () => {
    const registerNames = ["population", "land", "business", "pensions", "treasury", "identity-documents", "state-gazette", "tax"];
    expect(keyNamesOf(capture)).toEqual(["cmk-backup", "cmk-storage", ...registerNames.map((r) => `cmk-reg-${r}`)].sort());
    const vault = single(capture, vaultType);
    const today = Math.floor(Date.now() / 1000 / day) * day;
    for (const key of ofType(capture, keyType)) {
      const p = inputs(key).properties;
      expect(inputs(key).vaultName).toBe(inputs(vault).vaultName);
      expect(key.dependencies).toContain(vault.urn);
      expect(p.kty).toBe("RSA-HSM");
      expect(p.keySize).toBe(4096);
      expect(p.keyOps).toEqual(["wrapKey", "unwrapKey"]);
      expect(p.attributes.enabled).toBe(true);
      // The first version expires keyExpiryDays after its creation day (a day earlier if the clock crossed midnight).
      expect([today + 730 * day, today - day + 730 * day]).toContain(p.attributes.expires);
      expect(key.options.ignoreChanges).toEqual(["properties.attributes.expires"]);
      expect(p.rotationPolicy).toEqual({
        attributes: { expiryTime: "P730D" },
        lifetimeActions: [
          { action: { type: "rotate" }, trigger: { timeAfterCreate: "P365D" } },
          { action: { type: "notify" }, trigger: { timeBeforeExpiry: "P30D" } },
        ],
      });
      expect(inputs(key).tags.purpose).toBe(inputs(key).keyName);
    }
  });

  it("creates the storage encryption identity (and its standby in the pair) before anything uses it and grants each exactly its own keys; the backup key goes to the vault's own identity", () => {
    const storageId = byName(capture, identityType, "embassy-keys-id-storage");
    const standbyId = byName(capture, identityType, "embassy-keys-id-storage-standby");
    expect(ofType(exceptFlowLogs(capture), identityType)).toEqual([storageId, standbyId]);
    expect(inputs(storageId).location).toBe("westeurope");
    expect(inputs(standbyId).location).toBe("northeurope"); // westeurope's geo-pair
    const vaultId = vaultIdOf(single(capture, vaultType));
    const all = grants(capture);
    const keys = ofType(capture, keyType).length;
    expect(all).toHaveLength(keys + keys - 1); // every key once, every storage key again for the standby identity
    const backupVault = single(capture, "azure-native:dataprotection:BackupVault");
    for (const grant of all) {
      const keyName = String(inputs(grant).scope).split("/keys/")[1];
      const key = byName(capture, keyType, `embassy-keys-key-${keyName}`);
      const standby = grant.name.includes("-grant-standby-");
      const identity = keyName === "cmk-backup" ? backupVault : standby ? standbyId : storageId;
      // Narrowest scope Azure allows: the key itself, never the vault.
      expect(inputs(grant).scope).toBe(`${vaultId}/keys/${keyName}`);
      expect(inputs(grant).principalType).toBe("ServicePrincipal");
      expect(grant.dependencies).toEqual(expect.arrayContaining([identity.urn, key.urn]));
      expect(grant.name).toBe(keyName === "cmk-backup" ? "embassy-backup-key-grant" : `embassy-keys-grant-${standby ? "standby-" : ""}${keyName}`);
    }
    const principals = (keyFilter: (k: string) => boolean) => new Set(all.filter((g) => keyFilter(String(inputs(g).scope))).map((g) => inputs(g).principalId));
    const storagePrincipals = principals((s) => !s.endsWith("/keys/cmk-backup"));
    const backupPrincipals = principals((s) => s.endsWith("/keys/cmk-backup"));
    expect(storagePrincipals.size).toBe(2); // the storage identity and its standby
    expect(backupPrincipals.size).toBe(1);
    expect([...storagePrincipals][0]).not.toBe([...backupPrincipals][0]);
  });

  it("makes the key custodians Crypto Officers on the vault, and grants nothing else", () => {
    const officers = ofType(capture, roleType).filter((r) => roleGuid(r) === builtInRoles.keyVaultCryptoOfficer);
    expect(officers.map((r) => inputs(r).principalId)).toEqual([devCustodian]);
    expect(inputs(officers[0]).scope).toBe(vaultIdOf(single(capture, vaultType)));
    const custody = single(capture, "dataembassy:index:KeyCustody").urn;
    for (const role of ofType(capture, roleType).filter((r) => r.parent === custody)) {
      expect([builtInRoles.keyVaultCryptoOfficer, builtInRoles.keyVaultCryptoServiceEncryptionUser]).toContain(roleGuid(role));
      expect(role.options.protect).toBe(false);
    }
    // Across the whole embassy: no forbidden role, and key management only for the custodians.
    for (const role of ofType(capture, roleType)) {
      expect(forbiddenRoles).not.toContain(roleGuid(role));
    }
  });

  it("exports the vault URI, versionless key URIs per purpose and register, identity ids and no manual steps", () => {
    const vaultName = inputs(single(capture, vaultType)).vaultName;
    const o = capture.outputs as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(o.keyManagement).toBe("keyVault");
    expect(o.keyVaultUri).toBe(`https://${vaultName}.vault.azure.net/`);
    expect(o.storageKeyUri).toBe(`https://${vaultName}.vault.azure.net/keys/cmk-storage`);
    expect(o.backupKeyUri).toBe(`https://${vaultName}.vault.azure.net/keys/cmk-backup`);
    expect(Object.keys(o.registerKeyUris)).toHaveLength(8);
    expect(o.registerKeyUris.population).toBe(`https://${vaultName}.vault.azure.net/keys/cmk-reg-population`);
    expect(o.encryptionIdentityId).toMatch(/\/userAssignedIdentities\/id-ee-emb-dev-storage$/);
    expect(o.keyCustodyManualSteps).toEqual([]);
  });

  it("leaves protection off in the throw-away dev stack", () => {
    for (const type of [vaultType, keyType, identityType]) {
      for (const r of ofType(capture, type)) expect(r.options).toMatchObject({ protect: false, retainOnDelete: false });
    }
  });
});

describe("KeyCustody: configuration", () => {
  it.each([1, 8, 50])("creates exactly one key and one grant per register for %i registers", async (count) => {
    const names = Array.from({ length: count }, (_, i) => `reg-${i + 1}`);
    const capture = await plan({ program: (c) => void standalone(c, { registers: names }) });
    const expected = [...names.map((r) => `cmk-reg-${r}`), "cmk-backup", "cmk-storage"].sort();
    expect(keyNamesOf(capture)).toEqual(expected);
    // The backup key's grant is the backup vault's (EmbassyBackup), not KeyCustody's.
    expect(
      grants(capture)
        .map((g) => String(inputs(g).scope).split("/keys/")[1])
        .sort(),
    ).toEqual(expected.filter((k) => k !== "cmk-backup"));
  });

  it("makes no backup key with backupKey: false (a register-shard stack is backed up under its core's), in either key store", async () => {
    let backupKeys: unknown[] = [];
    const vault = await plan({
      program: (c) => {
        const withKey = standalone(c);
        const without = standalone(c, { backupKey: false }, "kc-nobackup");
        backupKeys = [withKey.backupKey?.name, without.backupKey];
      },
    });
    expect(backupKeys).toEqual(["cmk-backup", undefined]);
    const keysOf = (custody: string) =>
      ofType(vault, keyType)
        .filter((k) => k.name.startsWith(`${custody}-key-`))
        .map((k) => inputs(k).keyName as string)
        .sort();
    expect(keysOf("kc")).toEqual(["cmk-backup", "cmk-reg-land", "cmk-reg-population", "cmk-storage"]);
    expect(keysOf("kc-nobackup")).toEqual(["cmk-reg-land", "cmk-reg-population", "cmk-storage"]);

    let steps: string[] = [];
    await plan({
      program: async (c) => {
        const hsm = standalone(c, { keyManagement: "managedHsm", managedHsmAdmins: hsmAdmins, backupKey: false });
        steps = await new Promise<string[]>((resolve) => hsm.manualSteps.apply(resolve));
      },
    });
    expect(steps[2]).toContain("Custodians create 3 RSA-HSM keys");
    expect(steps[2]).toMatch(/keys: cmk-storage, cmk-reg-population, cmk-reg-land\.$/);
    expect(steps.join("\n")).not.toContain("cmk-backup");
  });

  it("takes a register list from the stack config, one key each", async () => {
    const capture = await plan({ config: { registers: registers(3) } });
    expect(keyNamesOf(capture)).toEqual(["cmk-backup", "cmk-reg-reg-1", "cmk-reg-reg-2", "cmk-reg-reg-3", "cmk-storage"]);
    expect(Object.keys(capture.outputs.registerKeyUris as object)).toEqual(["reg-1", "reg-2", "reg-3"]);
  });

  describe("with protection, custom key settings and vault recovery", () => {
    let capture: Capture;
    beforeAll(async () => {
      capture = await plan({
        config: {
          protectResources: true,
          keySize: 3072,
          keyExpiryDays: 400,
          keyRotationDays: 180,
          keyNotifyBeforeExpiryDays: 45,
          recoverSoftDeletedVault: true,
        },
      });
    });

    it("protects and retains vault, keys, identities and grants", () => {
      const stateful = [vaultType, keyType, identityType].flatMap((t) => ofType(exceptFlowLogs(capture), t)).concat(grants(capture));
      // Vault, 10 keys, the storage identity and its standby, and 19 key grants (9 to each, 1 to the backup vault's own identity).
      expect(stateful.length).toBe(1 + 10 + 2 + 19);
      for (const r of stateful) expect(r.options).toMatchObject({ protect: true, retainOnDelete: true });
    });

    it("passes key size, expiry, rotation and notification settings to every key", () => {
      for (const key of ofType(capture, keyType)) {
        const p = inputs(key).properties;
        expect(p.keySize).toBe(3072);
        expect(p.rotationPolicy.attributes.expiryTime).toBe("P400D");
        expect(p.rotationPolicy.lifetimeActions).toEqual([
          { action: { type: "rotate" }, trigger: { timeAfterCreate: "P180D" } },
          { action: { type: "notify" }, trigger: { timeBeforeExpiry: "P45D" } },
        ]);
      }
    });

    it("recovers a soft-deleted vault of the same name", () => {
      expect(inputs(single(capture, vaultType)).properties.createMode).toBe("recover");
    });
  });

  it("dates the first key version's expiry from the clock it is given", async () => {
    const now = new Date("2026-03-10T15:30:00Z");
    const capture = await plan({ program: (c) => void standalone(c, { now, keyExpiryDays: 100, keyRotationDays: 60 }) });
    for (const key of ofType(capture, keyType)) {
      expect(inputs(key).properties.attributes.expires).toBe(Date.UTC(2026, 2, 10) / 1000 + 100 * day);
    }
  });
});

describe("KeyCustody: ordering", () => {
  it("makes anything that consumes a key URI or the identity wait for the grants", async () => {
    const capture = await plan({
      program: (c) => {
        const keys = standalone(c);
        const resources = hostRequire("@pulumi/azure-native/resources");
        const consumer = (name: string, value: unknown) => new resources.ResourceGroup(name, { resourceGroupName: name, tags: { value } });
        consumer("uses-storage-key", keys.storageKey.uri);
        consumer("uses-register-key", keys.registerKeys.land.uri);
        consumer("uses-identity", keys.encryptionIdentity.id);
      },
    });
    const grant = (key: string) => byName(capture, roleType, `kc-grant-${key}`).urn;
    const deps = (name: string) => byName(capture, "azure-native:resources:ResourceGroup", name).dependencies;
    expect(deps("uses-storage-key")).toContain(grant("cmk-storage"));
    expect(deps("uses-register-key")).toContain(grant("cmk-reg-land"));
    expect(deps("uses-register-key")).not.toContain(grant("cmk-reg-population"));
    expect(deps("uses-identity")).toEqual(expect.arrayContaining(["cmk-storage", "cmk-reg-population", "cmk-reg-land"].map(grant)));
  });

  it("makes those consumers wait for the grants to take effect: a Sleep of roleAssignmentPropagationWait after each group of grants", async () => {
    let effective: string[] = [];
    const capture = await plan({
      program: async (c) => {
        const keys = standalone(c, { roleAssignmentPropagationWait: "5m" });
        const resources = hostRequire("@pulumi/azure-native/resources");
        const consumer = (name: string, value: unknown) => new resources.ResourceGroup(name, { resourceGroupName: name, tags: { value } });
        consumer("uses-register-key", keys.registerKeys.land.uri);
        consumer("uses-identity", keys.encryptionIdentity.id);
        consumer("uses-vault-uri", keys.vaultUri);
        effective = await Promise.all([keys.encryptionGrantsEffective!].map((r) => new Promise<string>((resolve) => r.urn.apply(resolve))));
      },
    });
    const sleeps = ofType(capture, "time:index/sleep:Sleep");
    const wait = (purpose: string) => byName(capture, "time:index/sleep:Sleep", `kc-grants-effective-${purpose}`);
    // The backup key's consumer is the backup vault's own identity: EmbassyBackup grants and awaits it.
    expect(sleeps.map((s) => s.name)).toEqual(["kc-grants-effective-storage"]);
    expect(effective).toEqual([wait("storage").urn]);
    for (const s of sleeps) expect(inputs(s).createDuration).toBe("5m");
    const grant = (key: string) => byName(capture, roleType, `kc-grant-${key}`).urn;
    expect(wait("storage").dependencies).toEqual(expect.arrayContaining(["cmk-storage", "cmk-reg-population", "cmk-reg-land"].map(grant)));
    const deps = (name: string) => byName(capture, "azure-native:resources:ResourceGroup", name).dependencies;
    expect(deps("uses-register-key")).toContain(wait("storage").urn);
    expect(deps("uses-identity")).toContain(wait("storage").urn);
    expect(deps("uses-vault-uri")).toContain(wait("storage").urn);
  });

  it("exposes the grants themselves for an explicit dependsOn", async () => {
    let grantUrns: string[] = [];
    const capture = await plan({
      program: async (c) => {
        const keys = standalone(c);
        grantUrns = await Promise.all(keys.encryptionGrants.map((g) => new Promise<string>((resolve) => g.urn.apply(resolve))));
      },
    });
    expect(grantUrns.sort()).toEqual(["cmk-reg-land", "cmk-reg-population", "cmk-storage"].map((k) => byName(capture, roleType, `kc-grant-${k}`).urn).sort());
  });
});

describe("KeyCustody: Managed HSM mode", () => {
  let capture: Capture;
  beforeAll(async () => {
    capture = await plan({ config: managedHsmConfig });
  });

  it("provisions a purge-protected, private Managed HSM and no vault or ARM keys", () => {
    expect(ofType(capture, vaultType)).toHaveLength(0);
    expect(ofType(capture, keyType)).toHaveLength(0);
    const hsm = single(capture, hsmType);
    const p = inputs(hsm).properties;
    expect(inputs(hsm).location).toBe("westeurope");
    expect(inputs(hsm).name).toMatch(new RegExp(`^${namingRules.managedHsm.abbreviation}-ee-emb-dev-[a-z0-9]{5}$`));
    expect(inputs(hsm).sku).toEqual({ family: "B", name: "Standard_B1" });
    expect(p.initialAdminObjectIds).toEqual(hsmAdmins);
    expect(p.enablePurgeProtection).toBe(true);
    expect(p.softDeleteRetentionInDays).toBe(90);
    expect(p.publicNetworkAccess).toBe("Disabled");
    expect(p.networkAcls).toEqual({ defaultAction: "Deny", bypass: "AzureServices" });
    expect(p.tenantId).toMatch(/^[0-9a-f-]{36}$/);
    expect(hsm.options).toMatchObject({ protect: true, retainOnDelete: true });
  });

  it("still creates the storage encryption identity and its standby, but leaves all data-plane grants to the ceremony", () => {
    expect(ofType(exceptFlowLogs(capture), identityType).map((r) => r.name)).toEqual(["embassy-keys-id-storage", "embassy-keys-id-storage-standby"]);
    const custody = single(capture, "dataembassy:index:KeyCustody").urn;
    expect(ofType(capture, roleType).filter((r) => r.parent === custody)).toHaveLength(0);
  });

  it("states every remaining manual step: activation, custodians, each key, the storage identity's grants, backup", () => {
    const hsmName = inputs(single(capture, hsmType)).name;
    const steps = capture.outputs.keyCustodyManualSteps as string[];
    expect(steps).toHaveLength(5);
    expect(steps[0]).toContain(`az keyvault security-domain download --hsm-name ${hsmName}`);
    for (const admin of hsmAdmins) expect(steps[0]).toContain(admin);
    expect(steps[1]).toContain(devCustodian);
    for (const key of ["cmk-storage", "cmk-backup", "cmk-reg-population", "cmk-reg-tax"]) expect(steps[2]).toContain(key);
    expect(steps[2]).toContain("--size 4096 --ops wrapKey unwrapKey");
    expect(steps[3]).toContain('--role "Managed HSM Crypto Service Encryption User"');
    expect(steps[3]).toMatch(/principal [0-9a-f-]{36}/);
    expect(steps[4]).toContain(`az keyvault backup start --hsm-name ${hsmName}`);
    // The backup vault's own identity gets the backup key: its grant is the backup component's manual step.
    expect(capture.outputs.backupManualSteps).toEqual([expect.stringMatching(/--assignee-object-id [0-9a-f-]{36} .*--scope \/keys\/cmk-backup/)]);
    expect(steps.join("\n")).not.toContain("undefined");
    const o = capture.outputs;
    expect(o.keyManagement).toBe("managedHsm");
    expect(o.keyVaultUri).toBe(`https://${hsmName}.managedhsm.azure.net/`);
    expect(o.storageKeyUri).toBe(`https://${hsmName}.managedhsm.azure.net/keys/cmk-storage`);
  });
});

describe("KeyCustody: invalid settings are rejected before anything is registered", () => {
  const rejected = async (config: Record<string, unknown>, key: string, why: RegExp) => {
    const { message, capture } = await failedPlan({ config });
    expect(message).toContain(`data-embassy:${key}`);
    expect(message).toMatch(why);
    expect(registered(capture)).toEqual([]);
  };

  it("refuses 2048-bit keys", () => rejected({ keySize: 2048 }, "keySize", /3072 or 4096/));

  it("refuses a prod stack without key custodians", () =>
    rejected(
      { environment: "prod", protectResources: true, keyCustodians: [], blobSoftDeleteDays: 30, containerSoftDeleteDays: 30 },
      "keyCustodians",
      /at least one key custodian/,
    ));

  it("refuses a rotation period longer than the expiry", () =>
    rejected({ keyRotationDays: 800, keyExpiryDays: 730 }, "keyRotationDays", /shorter than keyExpiryDays/));

  it("refuses a Managed HSM without a security-domain quorum of administrators", () =>
    rejected({ keyManagement: "managedHsm", managedHsmAdmins: hsmAdmins.slice(0, 1) }, "managedHsmAdmins", /at least 3/));

  it("the component itself refuses weak or invalid arguments, even outside DataEmbassy", async () => {
    const { message, capture } = await failedPlan({ program: (c) => void standalone(c, { keySize: 2048, keyExpiryDays: 30, keyRotationDays: 28 }) });
    expect(message).toMatch(/keySize must be 3072 or 4096/);
    expect(message).toMatch(/keyRotationDays \(28\) must be at least 7 days shorter than keyExpiryDays \(30\)/);
    expect(ofType(capture, vaultType)).toHaveLength(0);
    expect(ofType(capture, keyType)).toHaveLength(0);
  });
});
