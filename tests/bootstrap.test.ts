import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { stateBackendProblems } from "../bootstrap/stateBackend";
import { rawStateConfig, validateStateSettings } from "../bootstrap/settings";
import { rejectArguments } from "../components/shared/argumentProblems";
import { builtInRoles, forbiddenRoles } from "../catalog/roles";
import type { Capture, CapturedResource } from "../tools/engine/capture";
import { readPackConfig } from "../tools/gate/policyConfig";
import { PolicyRunner } from "../tools/gate/policyRunner";
import { readStackConfig } from "../tools/engine/stackConfig";
import { failedPlan, ofType, plan, registered, single } from "./helpers";

/**
 * The state backend (bootstrap/, a Pulumi project of its own) planned offline with its stack file,
 * and the controls it promises: geo-redundant, CMK-encrypted, private, RBAC-only, protected.
 */

const projectDir = path.join(__dirname, "..", "bootstrap");
const keyVaultCryptoUser = "12338af0-0e69-4776-bea7-57ae8d297424";

const roleOf = (r: CapturedResource) => String(r.inputs.roleDefinitionId).split("/").pop();

describe("state backend (bootstrap/)", () => {
  let capture: Capture;
  beforeAll(async () => {
    capture = await plan({ projectDir, stack: "ee" });
  });

  it("plans offline as its own project, reusing the embassy's naming, hardened storage account, hardened vault and private links", () => {
    expect(capture.project).toBe("data-embassy-state");
    const account = single(capture, "azure-native:storage:StorageAccount");
    // Sources are project-relative, also where the project uses the package's components.
    expect(account.source).toBe("../components/sovereignStorage/sovereignStorage.ts");
    expect(single(capture, "azure-native:keyvault:Vault").source).toBe("../components/keyCustody/keyCustody.ts");
    for (const type of ["azure-native:network:PrivateEndpoint", "azure-native:network:PrivateDnsZoneGroup"]) {
      expect(new Set(ofType(capture, type).map((r) => r.source))).toEqual(new Set(["../components/embassyNetwork/privateEndpoint.ts"]));
    }
    expect(account.inputs.accountName).toMatch(/^steeembstate[a-z0-9]{5}$/);
    expect(single(capture, "azure-native:keyvault:Vault").inputs.vaultName).toMatch(/^kv-ee-emb-state-[a-z0-9]{5}$/);
    expect(capture.diagnostics.filter((d) => d.severity !== "info")).toEqual([]);
  });

  it("keeps the state geo-redundant with a readable secondary, encrypted under its own HSM key", () => {
    const account = single(capture, "azure-native:storage:StorageAccount");
    const vault = single(capture, "azure-native:keyvault:Vault");
    const identity = single(capture, "azure-native:managedidentity:UserAssignedIdentity");
    expect(account.inputs).toMatchObject({
      location: "northeurope",
      kind: "StorageV2",
      sku: { name: "Standard_RAGZRS" },
      identity: { type: "UserAssigned" },
      encryption: {
        keySource: "Microsoft.Keyvault",
        keyVaultProperties: { keyName: "cmk-state", keyVaultUri: `https://${String(vault.inputs.vaultName)}.vault.azure.net/` },
        requireInfrastructureEncryption: true,
      },
    });
    const cmk = ofType(capture, "azure-native:keyvault:Key").find((k) => k.inputs.keyName === "cmk-state") as CapturedResource;
    expect(cmk.inputs.properties).toMatchObject({ kty: "RSA-HSM", keySize: 4096, keyOps: ["wrapKey", "unwrapKey"] });
    // Only the account's own identity may use the CMK, and the account waits for that grant.
    const grants = ofType(capture, "azure-native:authorization:RoleAssignment").filter((g) => String(g.inputs.scope).endsWith("/keys/cmk-state"));
    expect(grants).toHaveLength(1);
    expect(roleOf(grants[0])).toBe(builtInRoles.keyVaultCryptoServiceEncryptionUser);
    expect(grants[0].inputs.principalType).toBe("ServicePrincipal");
    expect(grants[0].dependencies).toContain(identity.urn);
    expect(account.dependencies).toContain(grants[0].urn);
    expect(capture.outputs).toMatchObject({ storageSku: "Standard_RAGZRS", geoSecondaryRegion: "westeurope" });
  });

  it("creates the state account only after its key grant has had time to take effect (roleAssignmentPropagationWait)", async () => {
    // Created is not effective: Microsoft allows up to 10 minutes, and the account would meet a 403 on cmk-state.
    const account = single(capture, "azure-native:storage:StorageAccount");
    const grant = ofType(capture, "azure-native:authorization:RoleAssignment").find((g) =>
      String(g.inputs.scope).endsWith("/keys/cmk-state"),
    ) as CapturedResource;
    const wait = single(capture, "time:index/sleep:Sleep");
    expect(wait.name).toBe("state-grants-effective-storage");
    expect(wait.inputs).toEqual({
      createDuration: "10m",
      triggers: { "cmk-state": expect.stringMatching(/\/keys\/cmk-state\/providers\/Microsoft\.Authorization\/roleAssignments\//) },
    });
    expect(wait.dependencies).toContain(grant.urn);
    expect(account.dependencies).toEqual(expect.arrayContaining([grant.urn, wait.urn]));

    const quick = await plan({ projectDir, stack: "ee", config: { roleAssignmentPropagationWait: "90s" } });
    expect(single(quick, "time:index/sleep:Sleep").inputs.createDuration).toBe("90s");
    const none = await plan({ projectDir, stack: "ee", config: { roleAssignmentPropagationWait: 0 } });
    expect(single(none, "time:index/sleep:Sleep").inputs.createDuration).toBe("0");
    const { message } = await failedPlan({ projectDir, stack: "ee", config: { roleAssignmentPropagationWait: "2h" } });
    expect(message).toContain("data-embassy-state:roleAssignmentPropagationWait:");
  });

  it("is private: no public network path, no shared keys, no anonymous blobs, TLS 1.2 over HTTPS only", () => {
    // The embassy's hardened account (components/sovereignStorage), so every storage control holds here too.
    expect(single(capture, "azure-native:storage:StorageAccount").inputs).toMatchObject({
      publicNetworkAccess: "Disabled",
      networkRuleSet: { defaultAction: "Deny", bypass: "AzureServices" },
      allowSharedKeyAccess: false,
      defaultToOAuthAuthentication: true,
      allowBlobPublicAccess: false,
      allowCrossTenantReplication: false,
      allowedCopyScope: "PrivateLink",
      isSftpEnabled: false,
      isLocalUserEnabled: false,
      enableNfsV3: false,
      sasPolicy: { expirationAction: "Block", sasExpirationPeriod: "0.01:00:00" },
      minimumTlsVersion: "TLS1_2",
      enableHttpsTrafficOnly: true,
    });
    expect(single(capture, "azure-native:storage:BlobContainer").inputs).toMatchObject({ containerName: "pulumi-state", publicAccess: "None" });
    const endpoints = ofType(capture, "azure-native:network:PrivateEndpoint");
    expect(endpoints.map((e) => (e.inputs.privateLinkServiceConnections as { groupIds: string[] }[])[0].groupIds).sort()).toEqual([
      ["blob"],
      ["blob_secondary"],
      ["vault"],
    ]);
    for (const e of endpoints) {
      expect(e.inputs).toMatchObject({ location: "northeurope", subnet: { id: expect.stringMatching(/\/subnets\/snet-runners$/) } });
    }
    const zones = ofType(capture, "azure-native:network:PrivateDnsZoneGroup").map(
      (g) => (g.inputs.privateDnsZoneConfigs as { privateDnsZoneId: string }[])[0].privateDnsZoneId,
    );
    expect(zones.map((z) => z.split("/").pop()).sort()).toEqual([
      "privatelink.blob.core.windows.net",
      "privatelink.blob.core.windows.net",
      "privatelink.vaultcore.azure.net",
    ]);
  });

  it("keeps deleted or overwritten state recoverable", () => {
    expect(single(capture, "azure-native:storage:BlobServiceProperties").inputs).toMatchObject({
      isVersioningEnabled: true,
      deleteRetentionPolicy: { enabled: true, days: 90 },
      containerDeleteRetentionPolicy: { enabled: true, days: 90 },
      changeFeed: { enabled: true },
    });
    const stateful = ["ResourceGroup", "Vault", "Key", "StorageAccount", "BlobContainer", "BlobServiceProperties", "UserAssignedIdentity"];
    for (const r of registered(capture).filter((x) => stateful.includes(x.type.split(":").pop() as string))) {
      expect([r.name, r.options.protect, r.options.retainOnDelete]).toEqual([r.name, true, true]);
    }
    expect(single(capture, "azure-native:authorization:ManagementLockAtResourceGroupLevel").inputs).toMatchObject({ level: "CanNotDelete" });
  });

  it("protects and retains its private endpoints, as the embassy does where its stateful resources are locked", () => {
    // The resource group's CanNotDelete lock covers the account's and vault's privateEndpointConnectionProxies,
    // so ARM would refuse to delete or replace an endpoint (ScopeLocked): Pulumi refuses first (audit F7).
    const endpoints = ofType(capture, "azure-native:network:PrivateEndpoint");
    expect(endpoints.map((e) => [e.name, e.options.protect, e.options.retainOnDelete]).sort()).toEqual(
      ["state-blob-pep", "state-blob-secondary-pep", "state-vault-pep"].map((n) => [n, true, true]),
    );
    // Their DNS records follow the endpoints and stay replaceable, as in the embassy.
    for (const g of ofType(capture, "azure-native:network:PrivateDnsZoneGroup")) expect([g.name, g.options.protect]).toEqual([g.name, false]);
  });

  it("holds the secrets-provider key in a premium, RBAC-only, purge-protected vault", () => {
    expect(single(capture, "azure-native:keyvault:Vault").inputs.properties).toMatchObject({
      sku: { family: "A", name: "premium" },
      enableRbacAuthorization: true,
      enablePurgeProtection: true,
      enableSoftDelete: true,
      publicNetworkAccess: "Disabled",
      networkAcls: { defaultAction: "Deny", bypass: "AzureServices" },
    });
    const secrets = ofType(capture, "azure-native:keyvault:Key").find((k) => k.inputs.keyName === "pulumi-secrets") as CapturedResource;
    expect(secrets.inputs.properties).toMatchObject({ kty: "RSA-HSM", keySize: 4096, keyOps: expect.arrayContaining(["encrypt", "decrypt"]) });
    expect(capture.outputs.secretsProvider).toBe(
      `azurekeyvault://${String(single(capture, "azure-native:keyvault:Vault").inputs.vaultName)}.vault.azure.net/keys/pulumi-secrets`,
    );
    expect(capture.outputs.backendUrl).toBe(
      `azblob://pulumi-state?storage_account=${String(single(capture, "azure-native:storage:StorageAccount").inputs.accountName)}`,
    );
  });

  it("grants the deployer and each state user exactly state and secrets access, nothing broader", () => {
    const grants = ofType(capture, "azure-native:authorization:RoleAssignment");
    expect(grants.map(roleOf).filter((role) => forbiddenRoles.includes(role as string))).toEqual([]);
    const blobUsers = grants.filter((g) => roleOf(g) === builtInRoles.storageBlobDataContributor);
    const keyUsers = grants.filter((g) => roleOf(g) === keyVaultCryptoUser);
    expect(blobUsers.map((g) => g.name).sort()).toEqual(
      ["deployer", "6e5d4c3b-2a19-4f8e-b7d6-c5b4a3928170", "1b2c3d4e-5f6a-4b7c-8d9e-0f1a2b3c4d5e"].map((who) => `state-blob-user-${who}`).sort(),
    );
    for (const g of blobUsers) expect(String(g.inputs.scope)).toMatch(/\/blobServices\/default\/containers\/pulumi-state$/);
    expect(keyUsers).toHaveLength(3);
    for (const g of keyUsers) expect(String(g.inputs.scope)).toMatch(/\/keys\/pulumi-secrets$/);
    const admins = grants.filter((g) => roleOf(g) === builtInRoles.keyVaultCryptoOfficer);
    expect(admins.map((g) => g.inputs.principalId)).toEqual(["3f2b8c1e-6d4a-4b7e-9a21-5c8d0e7f1a24"]);
  });

  it("sends access to the state and the keys to the audit workspace", () => {
    const settings = ofType(capture, "azure-native:monitor:DiagnosticSetting");
    expect(settings.map((s) => String(s.inputs.resourceUri).split("/providers/").pop())).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^Microsoft\.Storage\/storageAccounts\/[a-z0-9]+\/blobServices\/default$/),
        expect.stringMatching(/^Microsoft\.KeyVault\/vaults\//),
      ]),
    );
  });

  it("passes the embassy's policy pack but for five named exceptions, which stay reported as advisory", async () => {
    const runner = await PolicyRunner.start();
    try {
      const stackConfig = readStackConfig(projectDir, "ee").values;
      const relaxed = await runner.analyze(capture, { stackConfig, packConfig: readPackConfig(path.join(projectDir, "policy-config.json")) });
      expect(relaxed.summary.mandatory).toBe(0);
      const where = (report: typeof relaxed) => [...new Set(report.violations.map((v) => `${v.controlId ?? v.policyName} ${v.urn?.split("::").pop()}`))].sort();
      const exceptions = [
        "blobs-backed-up state-account",
        "defender-plans state-account",
        "defender-plans state-vault",
        "keys-expiry state-key-secrets",
        "keys-rotation state-key-secrets",
        "storage-worm state-account",
      ];
      expect(where(relaxed)).toEqual(exceptions);
      // Without the config the same five are mandatory: the file relaxes exactly these, nothing else is wrong.
      const strict = await runner.analyze(capture, { stackConfig });
      expect(where(strict)).toEqual(exceptions);
      expect(strict.summary.mandatory).toBe(strict.violations.length);
    } finally {
      await runner.close();
    }
  });

  it("falls back to RA-GRS where the region has no zone-redundant geo storage; endpoints may sit in the runners' region", async () => {
    const fallback = await plan({
      projectDir,
      stack: "ee",
      config: { region: "francesouth", "azure-native:location": "francesouth", privateEndpointRegion: "francecentral" },
    });
    expect(single(fallback, "azure-native:storage:StorageAccount").inputs.sku).toEqual({ name: "Standard_RAGRS" });
    expect(fallback.outputs.geoSecondaryRegion).toBe("francecentral");
    expect(ofType(fallback, "azure-native:network:PrivateEndpoint").map((e) => e.inputs.location)).toEqual(["francecentral", "francecentral", "francecentral"]);
  });

  it("refuses a configuration it cannot make safe, listing every problem before registering anything", async () => {
    const { message, capture: failed } = await failedPlan({
      projectDir,
      stack: "ee",
      config: {
        region: "polandcentral",
        "azure-native:location": "polandcentral",
        stateUsers: ["not-a-guid"],
        privateEndpointSubnetId: undefined,
        softDeleteDays: 3,
        publicAccess: true,
      },
    });
    // Every problem at once, each with its key, as the embassy's SettingsError lists them.
    expect(message).toContain("Invalid configuration of the state backend: 5 problems");
    expect(message).toContain("data-embassy-state:privateEndpointSubnetId: is required: Subnet");
    expect(message).toContain("data-embassy-state:stateUsers[0]: must be an Entra object id");
    expect(message).toContain("data-embassy-state:softDeleteDays: must be at least 7 (days)");
    expect(message).toContain("data-embassy-state:publicAccess: is not a state-backend setting");
    expect(message).toContain("data-embassy-state:region: polandcentral has no geo-pair");
    expect(message).toContain(
      "Fix these keys in bootstrap/Pulumi.ee.yaml (or with `pulumi config set` in bootstrap/); see docs/config-state-backend.md for every key.",
    );
    expect(registered(failed)).toEqual([]);

    const misspelt = await failedPlan({ projectDir, stack: "ee", config: { softdeletedays: 30 } });
    expect(misspelt.message).toContain("data-embassy-state:softdeletedays: is not a state-backend setting; did you mean softDeleteDays?");

    const unpaired = await failedPlan({ projectDir, stack: "ee", config: { region: "polandcentral", "azure-native:location": "polandcentral" } });
    expect(unpaired.message).toContain("data-embassy-state:region: polandcentral has no geo-pair");
    const outside = await failedPlan({ projectDir, stack: "ee", config: { region: "uksouth", "azure-native:location": "uksouth" } });
    expect(outside.message).toMatch(/data-embassy-state:region: "uksouth" is in GB, not an EU member state/);
  });

  it("checks its arguments as the embassy's components do: settings that bypassed the loader are refused by property path", () => {
    const { values } = readStackConfig(projectDir, "ee");
    const { settings } = validateStateSettings(rawStateConfig(values), values["azure-native:location"]);
    if (settings === undefined) throw new Error("ee's settings are invalid");
    expect(stateBackendProblems({ settings })).toEqual([]);
    const problems = stateBackendProblems({ settings: { ...settings, softDeleteDays: 1, roleAssignmentPropagationWait: "2h", namePrefix: "EE" } });
    expect(problems.map((p) => p.propertyPath)).toEqual(["settings.namePrefix", "settings.softDeleteDays", "settings.roleAssignmentPropagationWait"]);
    // A weaker redundancy than the region allows is refused too.
    expect(stateBackendProblems({ settings: { ...settings, storageSku: "Standard_RAGRS" } })).toEqual([
      {
        propertyPath: "settings.storageSku",
        reason: "must be Standard_RAGZRS with the geo-secondary westeurope in northeurope (got Standard_RAGRS, westeurope)",
      },
    ]);
    let thrown: unknown;
    try {
      rejectArguments("StateBackend", "state", problems);
    } catch (err) {
      thrown = err;
    }
    expect(pulumi.InputPropertiesError.isInstance(thrown)).toBe(true);
  });
});
