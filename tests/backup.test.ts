import type { Capture, CapturedResource } from "../tools/engine/capture";
import type { Components } from "../tools/engine/engine";
import { offlineSubscriptionId } from "../tools/engine/mocks";
import { builtInRoles, forbiddenRoles } from "../catalog/roles";
import { failedPlan, ofType, plan, register, registered, single, unpairedHostConfig, exceptFlowLogs } from "./helpers";
import { vaultRedundancy } from "../components/embassyBackup/embassyBackup";

const vaultType = "azure-native:dataprotection:BackupVault";
const policyType = "azure-native:dataprotection:BackupPolicy";
const instanceType = "azure-native:dataprotection:BackupInstance";
const guardType = "azure-native:dataprotection:ResourceGuard";
const proxyType = "azure-native:dataprotection:DppResourceGuardProxy";
const roleType = "azure-native:authorization:RoleAssignment";
const accountType = "azure-native:storage:StorageAccount";
const containerType = "azure-native:storage:BlobContainer";
const componentType = "dataembassy:index:EmbassyBackup";

const subscription = offlineSubscriptionId;
const devRegisters = ["population", "land", "business", "pensions", "treasury", "identity-documents", "state-gazette", "tax"];
/** A guard owned by a security administrator in another subscription. */
const externalGuard =
  "/subscriptions/9f8e7d6c-5b4a-4392-8190-a1b2c3d4e5f6/resourceGroups/rg-security-guards/providers/Microsoft.DataProtection/resourceGuards/rguard-ee-embassy";

const inputs = (r: CapturedResource) => r.inputs as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const byName = (capture: Capture, name: string) => {
  const found = capture.resources.find((r) => r.name === name);
  if (found === undefined) throw new Error(`no resource named ${name}`);
  return found;
};
const roleGuid = (r: CapturedResource) => String(inputs(r).roleDefinitionId).split("/").pop();
const accountId = (capture: Capture) => {
  const a = single(exceptFlowLogs(capture), accountType);
  return `/subscriptions/${subscription}/resourceGroups/${inputs(a).resourceGroupName}/providers/Microsoft.Storage/storageAccounts/${inputs(a).accountName}`;
};
const warnings = (capture: Capture) => capture.diagnostics.filter((d) => d.severity === "warning").map((d) => d.message);
const lifecycles = (policy: CapturedResource) =>
  Object.fromEntries(
    (inputs(policy).properties.policyRules as Record<string, any>[]) // eslint-disable-line @typescript-eslint/no-explicit-any
      .filter((r) => r.objectType === "AzureRetentionRule")
      .map((r) => [r.name, r.lifecycles.map((l: { deleteAfter: { duration: string } }) => l.deleteAfter.duration)]),
  );

describe("EmbassyBackup: the vault (dev stack)", () => {
  let dev: Capture;
  beforeAll(async () => {
    dev = await plan();
  }, 180_000);

  it("is a geo-redundant vault in the host region with cross-region restore, and no restore into other subscriptions", () => {
    const vault = single(dev, vaultType);
    expect(inputs(vault).location).toBe("westeurope");
    expect(inputs(vault).vaultName).toMatch(/^bvault-ee-emb-dev-[a-z0-9]{5}$/);
    expect(inputs(vault).properties.storageSettings).toEqual([{ datastoreType: "VaultStore", type: "GeoRedundant" }]);
    expect(inputs(vault).properties.featureSettings).toEqual({
      crossRegionRestoreSettings: { state: "Enabled" },
      crossSubscriptionRestoreSettings: { state: "Disabled" },
    });
    expect(inputs(vault).properties.monitoringSettings).toEqual({ azureMonitorAlertSettings: { alertsForAllJobFailures: "Enabled" } });
  });

  it("keeps soft delete always on with the configured retention, and is immutable (Unlocked in dev)", () => {
    expect(inputs(single(dev, vaultType)).properties.securitySettings).toMatchObject({
      softDeleteSettings: { state: "AlwaysOn", retentionDurationInDays: 14 },
      immutabilitySettings: { state: "Unlocked" },
    });
  });

  it("has only its own identity, which may use the backup key; the key is set from phase keys-ready, without infrastructure encryption", async () => {
    const vault = single(dev, vaultType);
    expect(inputs(vault).identity).toEqual({ type: "SystemAssigned" });
    expect(inputs(vault).properties.securitySettings.encryptionSettings).toBeUndefined();
    const keyGrant = byName(dev, "embassy-backup-key-grant");
    expect(inputs(keyGrant)).toMatchObject({
      principalType: "ServicePrincipal",
      roleDefinitionId: `/subscriptions/${subscription}/providers/Microsoft.Authorization/roleDefinitions/${builtInRoles.keyVaultCryptoServiceEncryptionUser}`,
      scope: expect.stringMatching(/\/providers\/Microsoft\.KeyVault\/vaults\/kv-ee-emb-dev-\w+\/keys\/cmk-backup$/),
    });
    expect(keyGrant.dependencies).toContain(vault.urn);
    const ready = await plan({ config: { phase: "keys-ready" } });
    expect(inputs(single(ready, vaultType)).properties.securitySettings.encryptionSettings).toEqual({
      state: "Enabled",
      keyVaultProperties: { keyUri: expect.stringMatching(/^https:\/\/kv-ee-emb-dev-\w+\.vault\.azure\.net\/keys\/cmk-backup$/) },
      kekIdentity: { identityType: "SystemAssigned" },
    });
  });

  it("grants the vault's own identity Storage Account Backup Contributor on the account, and nothing else to anyone for backup", () => {
    const grant = byName(dev, "embassy-backup-storage-grant");
    expect(inputs(grant)).toMatchObject({
      principalType: "ServicePrincipal",
      roleDefinitionId: `/subscriptions/${subscription}/providers/Microsoft.Authorization/roleDefinitions/${builtInRoles.storageAccountBackupContributor}`,
      scope: accountId(dev),
    });
    // The system-assigned identity (what the mock computes for the vault), not the encryption identity.
    const vaultPrincipal = String(inputs(grant).principalId);
    expect(vaultPrincipal).toMatch(/^[0-9a-f-]{36}$/);
    expect(grant.dependencies).toContain(single(dev, vaultType).urn);
    const roles = ofType(dev, roleType);
    // The vault's identity: this grant and the one on its key, nothing more.
    expect(
      roles
        .filter((r) => inputs(r).principalId === vaultPrincipal)
        .map(roleGuid)
        .sort(),
    ).toEqual([builtInRoles.storageAccountBackupContributor, builtInRoles.keyVaultCryptoServiceEncryptionUser].sort());
    expect(roles.filter((r) => roleGuid(r) === builtInRoles.storageAccountBackupContributor)).toEqual([grant]);
    expect(roles.filter((r) => forbiddenRoles.includes(roleGuid(r) ?? ""))).toEqual([]);
  });

  it("backs up daily at 02:00 UTC into the vault, keeping daily, weekly, monthly and yearly points as configured", () => {
    const policy = single(dev, policyType);
    expect(inputs(policy).vaultName).toBe(inputs(single(dev, vaultType)).vaultName);
    expect(inputs(policy).backupPolicyName).toBe("blob-vaulted-d7-w4-m5-y1");
    const p = inputs(policy).properties;
    expect(p.datasourceTypes).toEqual(["Microsoft.Storage/storageAccounts/blobServices"]);
    const [backupRule] = p.policyRules.filter((r: { objectType: string }) => r.objectType === "AzureBackupRule");
    expect(backupRule).toMatchObject({
      dataStore: { dataStoreType: "VaultStore" },
      backupParameters: { backupType: "Discrete" },
      trigger: { schedule: { repeatingTimeIntervals: ["R/2025-01-01T02:00:00+00:00/P1D"], timeZone: "UTC" } },
    });
    const tags = backupRule.trigger.taggingCriteria.map(
      (t: { tagInfo: { tagName: string }; taggingPriority: number; criteria?: { absoluteCriteria: string[] }[] }) => [
        t.tagInfo.tagName,
        t.taggingPriority,
        t.criteria?.[0].absoluteCriteria[0],
      ],
    );
    expect(tags).toEqual([
      ["Default", 99, undefined],
      ["Weekly", 20, "FirstOfWeek"],
      ["Monthly", 15, "FirstOfMonth"],
      ["Yearly", 10, "FirstOfYear"],
    ]);
    expect(lifecycles(policy)).toEqual({ Default: ["P7D"], Weekly: ["P4W"], Monthly: ["P5M"], Yearly: ["P1Y"] });
    // Vaulted only: an operational tier needs point-in-time restore, which version-level WORM excludes.
    expect(JSON.stringify(p)).not.toMatch(/OperationalStore/);
  });

  it("protects the storage account with one instance covering every register container, after the role grant", () => {
    const instance = single(dev, instanceType);
    const props = inputs(instance).properties;
    expect(props.dataSourceInfo).toMatchObject({
      objectType: "Datasource",
      datasourceType: "Microsoft.Storage/storageAccounts/blobServices",
      resourceType: "Microsoft.Storage/storageAccounts",
      resourceID: accountId(dev),
      resourceLocation: "westeurope",
    });
    expect(props.policyInfo.policyId).toMatch(/\/backupVaults\/bvault-ee-emb-dev-\w+\/backupPolicies\/blob-vaulted-d7-w4-m5-y1$/);
    expect(props.policyInfo.policyParameters.backupDatasourceParametersList).toEqual([
      { objectType: "BlobBackupDatasourceParameters", containersList: devRegisters },
    ]);
    expect(props.identityDetails).toEqual({ useSystemAssignedIdentity: true });
    expect(instance.dependencies).toContain(byName(dev, "embassy-backup-storage-grant").urn);
    expect(instance.dependencies).toContain(single(dev, policyType).urn);
    for (const container of ofType(dev, containerType)) {
      expect(instance.dependencies).toContain(container.urn);
    }
  });

  it("links a Resource Guard of its own that guards every critical operation", () => {
    const guard = single(dev, guardType);
    const proxy = single(dev, proxyType);
    expect(inputs(guard)).toMatchObject({ location: "westeurope", properties: { vaultCriticalOperationExclusionList: [] } });
    expect(inputs(guard).resourceGuardsName).toMatch(/^rguard-ee-emb-dev-[a-z0-9]{5}$/);
    expect(inputs(proxy)).toMatchObject({
      vaultName: inputs(single(dev, vaultType)).vaultName,
      resourceGuardProxyName: "DppResourceGuardProxy",
      properties: {
        resourceGuardResourceId: `/subscriptions/${subscription}/resourceGroups/rg-ee-emb-dev/providers/Microsoft.DataProtection/resourceGuards/${inputs(guard).resourceGuardsName}`,
      },
    });
    expect(proxy.dependencies).toEqual(expect.arrayContaining([guard.urn, single(dev, vaultType).urn]));
  });

  it("creates its own Resource Guard in the vault's region, as Microsoft's multi-user authorization requires", () => {
    const guard = single(dev, guardType);
    const vault = single(dev, vaultType);
    expect(inputs(guard).location).toBe(inputs(vault).location);
    expect(inputs(guard).location).toBe("westeurope");
    // So the plan has nothing to ask the operator to check (unlike an external guard, below).
    expect(warnings(dev).filter((w) => w.startsWith("External Resource Guard"))).toEqual([]);
  });

  it("is one dataembassy:index:EmbassyBackup component holding every backup resource, and exports its ids", () => {
    const component = single(dev, componentType);
    for (const type of [vaultType, policyType, instanceType, guardType, proxyType]) {
      expect(single(dev, type).parent).toBe(component.urn);
    }
    expect(byName(dev, "embassy-backup-storage-grant").parent).toBe(component.urn);
    expect(dev.outputs).toMatchObject({
      backupVaultId: expect.stringMatching(/\/providers\/Microsoft\.DataProtection\/backupVaults\/bvault-ee-emb-dev-\w+$/),
      backupPolicyId: expect.stringMatching(/\/backupPolicies\/blob-vaulted-d7-w4-m5-y1$/),
      backupInstanceIds: [expect.stringMatching(/\/backupInstances\/steeembdev\w+-registers$/)],
      resourceGuardId: expect.stringMatching(/\/resourceGuards\/rguard-ee-emb-dev-\w+$/),
      backupExcludedContainers: [],
    });
    expect(warnings(dev).filter((w) => /backup|Resource Guard/i.test(w) && !w.startsWith("Phase "))).toEqual([]);
  });
});

describe("EmbassyBackup: production stack", () => {
  let prod: Capture;
  beforeAll(async () => {
    prod = await plan({ stack: "prod" });
  }, 180_000);

  it("keeps the records-office defaults: 35 days, 13 weeks, 12 months, 10 years", () => {
    const policy = single(prod, policyType);
    expect(inputs(policy).backupPolicyName).toBe("blob-vaulted-d35-w13-m12-y10");
    expect(lifecycles(policy)).toEqual({ Default: ["P35D"], Weekly: ["P13W"], Monthly: ["P12M"], Yearly: ["P10Y"] });
    expect(inputs(single(prod, vaultType)).properties.securitySettings.softDeleteSettings).toEqual({ state: "AlwaysOn", retentionDurationInDays: 180 });
  });

  it("creates immutability Unlocked in phase build, leaves the lock to the seal and ignores the sealed state later", () => {
    const vault = single(prod, vaultType);
    expect(inputs(vault).properties.securitySettings.immutabilitySettings).toEqual({ state: "Unlocked" });
    expect(vault.options.ignoreChanges).toContain("properties.securitySettings.immutabilitySettings.state");
    expect(warnings(prod)).toContainEqual(expect.stringMatching(/^Phase build: still to do: .*npm run seal/));
  });

  it("protects and retains every stateful backup resource", () => {
    for (const r of [
      ...[vaultType, policyType, instanceType, guardType, proxyType].map((t) => single(prod, t)),
      byName(prod, "embassy-backup-storage-grant"),
    ]) {
      expect([r.name, r.options.protect, r.options.retainOnDelete]).toEqual([r.name, true, true]);
    }
  });

  it("warns that a guard in the same stack lets the deployer approve their own critical operations", () => {
    expect(warnings(prod)).toContainEqual(expect.stringMatching(/Resource Guard is created by this stack.*Set resourceGuardId/));
  });
});

describe("EmbassyBackup: an external Resource Guard and a register under legal hold", () => {
  let capture: Capture;
  beforeAll(async () => {
    capture = await plan({
      config: { resourceGuardId: externalGuard, registers: [register("population"), register("land", { legalHold: true }), register("tax")] },
    });
  }, 180_000);

  it("creates no guard and links the given one", () => {
    expect(ofType(capture, guardType)).toEqual([]);
    expect(inputs(single(capture, proxyType)).properties.resourceGuardResourceId).toBe(externalGuard);
    expect(capture.outputs.resourceGuardId).toBe(externalGuard);
  });

  it("warns that the plan cannot check the guard's region or the deployer's Reader role, and how to", () => {
    const [warning] = warnings(capture).filter((w) => w.startsWith("External Resource Guard"));
    expect(warning).toContain(externalGuard);
    expect(warning).toMatch(/in westeurope, the vault's region/);
    expect(warning).toMatch(/holds Reader on it and not Contributor, Backup MUA Admin or Backup MUA Operator/);
    expect(warning).toMatch(/az resource show --ids <resourceGuardId> --query location/);
  });

  it("leaves the legal-hold container out of the instance, because Azure refuses it, and says so", () => {
    expect(inputs(single(capture, instanceType)).properties.policyInfo.policyParameters.backupDatasourceParametersList[0].containersList).toEqual([
      "population",
      "tax",
    ]);
    expect(capture.outputs.backupExcludedContainers).toEqual(["land"]);
    expect(warnings(capture)).toContainEqual(
      expect.stringMatching(/^Not backed up: land — Azure's vaulted blob backup does not support containers under legal hold/),
    );
  });
});

describe("EmbassyBackup: what cannot be built", () => {
  it("rejects a Locked vault without the acknowledgement, naming the key, and registers nothing", async () => {
    const { message, capture } = await failedPlan({ config: { backupImmutability: "Locked" } });
    expect(message).toMatch(/data-embassy:backupImmutability: Locked is irreversible: set acknowledgeIrreversibleLock to true/);
    expect(registered(capture)).toEqual([]);
  });

  it("rejects retention outside Azure's limits and a guard id that is not a Resource Guard, naming every key", async () => {
    const { message, capture } = await failedPlan({
      config: {
        backupSoftDeleteDays: 13,
        backupDailyRetentionDays: 3651,
        backupWeeklyRetentionWeeks: 522,
        backupMonthlyRetentionMonths: 117,
        backupYearlyRetentionYears: 11,
        resourceGuardId: "/subscriptions/9f8e7d6c-5b4a-4392-8190-a1b2c3d4e5f6/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/vnet",
      },
    });
    expect(message).toMatch(/data-embassy:backupSoftDeleteDays: must be at least 14/);
    expect(message).toMatch(/data-embassy:backupDailyRetentionDays: must be at most 3650 \(days; vaulted blob backup allows 7–3650\)/);
    expect(message).toMatch(/data-embassy:backupWeeklyRetentionWeeks: must be at most 521/);
    expect(message).toMatch(/data-embassy:backupMonthlyRetentionMonths: must be at most 116 \(months; vaulted blob backup allows 5–116\)/);
    expect(message).toMatch(/data-embassy:backupYearlyRetentionYears: must be at most 10/);
    expect(message).toMatch(/data-embassy:resourceGuardId: .* is not a Resource Guard id/);
    expect(registered(capture)).toEqual([]);
  });

  it("refuses vaulted retention below Microsoft's floors (4 months: the key named) and accepts the floors (5 months)", async () => {
    const { message, capture } = await failedPlan({ config: { backupMonthlyRetentionMonths: 4, backupWeeklyRetentionWeeks: 3, backupDailyRetentionDays: 6 } });
    expect(message).toMatch(/data-embassy:backupMonthlyRetentionMonths: must be at least 5 \(months; vaulted blob backup allows 5–116\)/);
    expect(message).toMatch(/data-embassy:backupWeeklyRetentionWeeks: must be at least 4/);
    expect(message).toMatch(/data-embassy:backupDailyRetentionDays: must be at least 7/);
    expect(registered(capture)).toEqual([]);
    // The dev stack sits on the floors (7 days, 4 weeks, 5 months, 1 year): see the dev vault's policy above.
  });

  it("refuses, as a component on its own, retention beyond 10 years and nothing to back up", async () => {
    const { message } = await failedPlan({
      program: (c: Components) =>
        new c.EmbassyBackup("bk", {
          context: {
            resourceGroupName: "rg-backup-test",
            resourceGroupId: `/subscriptions/${subscription}/resourceGroups/rg-backup-test`,
            location: "polandcentral",
            namer: new c.Namer({ prefix: "ee", environment: "dev" }, "abcde"),
            tags: {},
            protect: false,
            subscriptionId: subscription,
            tenantId: "11111111-2222-4333-8444-555555555555",
          },
          storageAccount: { id: `/subscriptions/${subscription}/resourceGroups/rg-backup-test/providers/Microsoft.Storage/storageAccounts/st`, name: "st" },
          containers: [{ name: "land", id: "land-id", legalHold: true }],
          encryption: { keyName: "cmk-backup", keyUri: "https://kv.vault.azure.net/keys/cmk-backup" },
          retention: { yearlyYears: 11 },
        }),
    });
    expect(message).toMatch(
      /retention\.yearlyYears must be a whole number of years from 1 to 10 \(Azure keeps a vaulted blob backup at most 10 years\), got 11/,
    );
    expect(message).not.toMatch(/polandcentral/);
    expect(message).toMatch(/containers must hold a container to back up/);
  });

  it("backs up an unpaired host twice: a zone-redundant vault in the host region, and a geo-redundant one with cross-region restore beside the replica", async () => {
    const capture = await plan({ config: unpairedHostConfig });
    const vaults = ofType(capture, vaultType).map((v) => ({
      location: inputs(v).location,
      storage: inputs(v).properties.storageSettings,
      restore: inputs(v).properties.featureSettings.crossRegionRestoreSettings.state,
    }));
    expect(vaults).toEqual([
      { location: "polandcentral", storage: [{ datastoreType: "VaultStore", type: "ZoneRedundant" }], restore: "Disabled" },
      { location: "germanywestcentral", storage: [{ datastoreType: "VaultStore", type: "GeoRedundant" }], restore: "Enabled" },
    ]);
    // Each vault protects the account of its own region.
    // Register accounts only: flow-log accounts are evidence with their own retention (vnet-flow-logs).
    const accounts = ofType(exceptFlowLogs(capture), "azure-native:storage:StorageAccount").map((a) => [inputs(a).accountName, inputs(a).location]);
    const instances = ofType(capture, instanceType).map((i) => inputs(i).properties.dataSourceInfo);
    expect(instances.map((d) => [d.resourceName, d.resourceLocation])).toEqual(accounts);
    expect(ofType(capture, componentType)).toHaveLength(2);
    expect(warnings(capture)).not.toContainEqual(expect.stringMatching(/No vaulted backup/));
  }, 180_000);

  it("takes a vault's redundancy from its region: geo-redundant with restore into the pair, else zone- (or locally) redundant", () => {
    expect(vaultRedundancy("westeurope")).toEqual({ storage: "GeoRedundant", crossRegionRestore: "Enabled", restoreRegion: "northeurope" });
    expect(vaultRedundancy("italynorth")).toEqual({ storage: "ZoneRedundant", crossRegionRestore: "Disabled" });
  });
});
