import type { ControlId } from "../catalog/controls";
import { builtInRoles } from "../catalog/roles";
import { resourceGroupArmTypes, types } from "../catalog/resourceTypes";
import { azurePolicies } from "../catalog/azurePolicies";
import type { Capture, CapturedResource } from "../tools/engine/capture";
import type { BaseName } from "./policyHarness";

/**
 * One mutation per guarded setting: take a compliant plan, flip exactly that setting (or remove
 * exactly the resource the control requires) and expect the pack to catch it. Every catalog
 * control has at least one; tests/policy-mutations.test.ts checks that.
 */
export interface Mutation {
  readonly control: ControlId;
  /** What is flipped, for the test name. */
  readonly flip: string;
  /** Plan to start from (tests/policyHarness.ts bases); default dev. */
  readonly base?: BaseName;
  /** Type token(s) of the resource to mutate; the first match (after `pick`) is the target. */
  readonly target: string | readonly string[];
  readonly pick?: (r: CapturedResource) => boolean;
  /** The violation names another resource than the (surviving) target, e.g. the subject an alert watches. */
  readonly reportedElsewhere?: boolean;
  /** Changes the copy of the plan; `target` is the copy's resource. */
  readonly mutate: (target: CapturedResource, capture: Capture) => void;
}

/** The auditor of Pulumi.dev.yaml. */
const devAuditor = "8a7c6b5d-4e3f-4a2b-9c1d-0e9f8a7b6c5d";
/** The operator, data ingest principal and key custodian of Pulumi.dev.yaml. */
const devOperator = "1b2c3d4e-5f6a-4b7c-8d9e-0f1a2b3c4d5e";
const devIngest = "6e5d4c3b-2a19-4f8e-b7d6-c5b4a3928170";
const devCustodian = "3f2b8c1e-6d4a-4b7e-9a21-5c8d0e7f1a24";
const devRecoveryReader = "4c5d6e7f-8a9b-4c0d-9e1f-2a3b4c5d6e7f";

/** A built-in role definition id, as the governance component writes it. */
const builtInRole = (guid: string) => `/subscriptions/x/providers/Microsoft.Authorization/roleDefinitions/${guid}`;

/** Sets an input at a dotted path. */
const set =
  (path: string, value: unknown) =>
  (r: CapturedResource): void => {
    const parts = path.split(".");
    let node = r.inputs as Record<string, unknown>;
    for (const part of parts.slice(0, -1)) {
      node[part] ??= {};
      node = node[part] as Record<string, unknown>;
    }
    node[parts[parts.length - 1]] = value;
  };

/** Deletes an input at a dotted path. */
const unset = (path: string) => (r: CapturedResource) => {
  const parts = path.split(".");
  const parent = parts.slice(0, -1).reduce<Record<string, unknown>>((node, part) => node[part] as Record<string, unknown>, r.inputs);
  delete parent[parts[parts.length - 1]];
};

/**
 * Keeps the "Allowed resource types" assignment in step with a mutation that adds or removes a
 * resource type, as DataEmbassy's recorder would: the mutation then tests its own control only.
 */
const syncAllowedTypes = (capture: Capture) => {
  const assignment = capture.resources.find((r) => String(r.inputs.policyDefinitionId).endsWith(`/${azurePolicies.allowedResourceTypes.guid}`));
  const parameters = assignment?.inputs.parameters as Record<string, { value: string[] }> | undefined;
  if (parameters !== undefined) parameters.listOfResourceTypesAllowed.value = resourceGroupArmTypes(capture.resources.map((r) => r.type)).armTypes;
};

/** A mutation, then {@link syncAllowedTypes}. */
const synced =
  (mutate: Mutation["mutate"]): Mutation["mutate"] =>
  (target, capture) => {
    mutate(target, capture);
    syncAllowedTypes(capture);
  };

/** Removes the target from the plan. */
const remove = (r: CapturedResource, capture: Capture) => {
  capture.resources = capture.resources.filter((x) => x.urn !== r.urn);
};

const json = (r: CapturedResource) => JSON.stringify(r.inputs);
const peFor = (group: string) => (r: CapturedResource) => json(r).includes(`"groupIds":["${group}"]`);

type SecurityRule = Record<string, unknown> & { name: string };
const securityRules = (r: CapturedResource) => r.inputs.securityRules as SecurityRule[];
const hasRule = (name: string) => (r: CapturedResource) => (r.inputs.securityRules as SecurityRule[] | undefined)?.some((x) => x.name === name) === true;
/** Changes one inline rule of the target NSG. */
const setRule =
  (name: string, changes: Record<string, unknown>) =>
  (r: CapturedResource): void => {
    Object.assign(securityRules(r).find((x) => x.name === name) as SecurityRule, changes);
  };

type Permissions = { actions: string[]; dataActions: string[] }[];
const roleNamed = (name: string) => (r: CapturedResource) => String(r.inputs.roleName).startsWith(name);
const onScopeEnding = (principal: string, tail: RegExp) => (r: CapturedResource) => r.inputs.principalId === principal && tail.test(String(r.inputs.scope));

export const mutations: readonly Mutation[] = [
  { control: "storage-https-only", flip: "enableHttpsTrafficOnly false", target: types.storageAccount, mutate: set("enableHttpsTrafficOnly", false) },
  { control: "storage-tls-minimum", flip: "minimumTlsVersion TLS1_0", target: types.storageAccount, mutate: set("minimumTlsVersion", "TLS1_0") },
  {
    control: "storage-public-network-disabled",
    flip: "publicNetworkAccess Enabled",
    target: types.storageAccount,
    mutate: set("publicNetworkAccess", "Enabled"),
  },
  {
    control: "storage-firewall-default-deny",
    flip: "networkRuleSet.defaultAction Allow",
    target: types.storageAccount,
    mutate: set("networkRuleSet.defaultAction", "Allow"),
  },
  {
    control: "storage-trusted-services-bypass",
    flip: "networkRuleSet.bypass None",
    target: types.storageAccount,
    mutate: set("networkRuleSet.bypass", "None"),
  },
  { control: "storage-private-endpoint", flip: "blob private endpoint removed", target: types.privateEndpoint, pick: peFor("blob"), mutate: remove },
  { control: "storage-no-anonymous-access", flip: "allowBlobPublicAccess true", target: types.storageAccount, mutate: set("allowBlobPublicAccess", true) },
  { control: "storage-no-anonymous-access", flip: "container publicAccess Container", target: types.blobContainer, mutate: set("publicAccess", "Container") },
  { control: "storage-shared-key-disabled", flip: "allowSharedKeyAccess true", target: types.storageAccount, mutate: set("allowSharedKeyAccess", true) },
  {
    control: "storage-shared-key-disabled",
    flip: "defaultToOAuthAuthentication false",
    target: types.storageAccount,
    mutate: set("defaultToOAuthAuthentication", false),
  },
  {
    control: "storage-cross-tenant-replication-disabled",
    flip: "allowCrossTenantReplication true",
    target: types.storageAccount,
    mutate: set("allowCrossTenantReplication", true),
  },
  { control: "storage-copy-scope-private-link", flip: "allowedCopyScope AAD", target: types.storageAccount, mutate: set("allowedCopyScope", "AAD") },
  {
    control: "storage-customer-managed-key",
    flip: "encryption.keySource Microsoft.Storage",
    target: types.storageAccount,
    mutate: set("encryption.keySource", "Microsoft.Storage"),
  },
  {
    control: "storage-customer-managed-key",
    flip: "keyVersion pinned",
    target: types.storageAccount,
    mutate: set("encryption.keyVaultProperties.keyVersion", "0123456789abcdef0123456789abcdef"),
  },
  {
    control: "storage-infrastructure-encryption",
    flip: "requireInfrastructureEncryption false",
    target: types.storageAccount,
    mutate: set("encryption.requireInfrastructureEncryption", false),
  },
  {
    control: "encryption-scope-customer-managed-key",
    flip: "scope source Microsoft.Storage",
    target: types.encryptionScope,
    mutate: set("source", "Microsoft.Storage"),
  },
  {
    control: "encryption-scope-double-encryption",
    flip: "scope requireInfrastructureEncryption false",
    target: types.encryptionScope,
    mutate: set("requireInfrastructureEncryption", false),
  },
  {
    control: "container-encryption-scope-enforced",
    flip: "denyEncryptionScopeOverride false",
    target: types.blobContainer,
    mutate: set("denyEncryptionScopeOverride", false),
  },
  {
    control: "container-encryption-scope-enforced",
    flip: "register container without a default scope",
    target: types.blobContainer,
    mutate: unset("defaultEncryptionScope"),
  },
  { control: "storage-geo-redundant", flip: "sku Standard_LRS", target: types.storageAccount, mutate: set("sku.name", "Standard_LRS") },
  // Only a flow-log account in a region without a pair is not applicable; in a paired region it must be geo-redundant too.
  {
    control: "storage-geo-redundant",
    flip: "flow-log account in a paired region on Standard_ZRS",
    target: types.storageAccount,
    pick: (r) => r.name.includes("-flow-"),
    mutate: set("sku.name", "Standard_ZRS"),
  },
  {
    control: "blob-soft-delete",
    flip: "deleteRetentionPolicy disabled",
    target: types.blobServiceProperties,
    mutate: set("deleteRetentionPolicy.enabled", false),
  },
  {
    control: "blob-soft-delete",
    flip: "allowPermanentDelete true",
    target: types.blobServiceProperties,
    mutate: set("deleteRetentionPolicy.allowPermanentDelete", true),
  },
  {
    control: "container-soft-delete",
    flip: "containerDeleteRetentionPolicy disabled",
    target: types.blobServiceProperties,
    mutate: set("containerDeleteRetentionPolicy.enabled", false),
  },
  { control: "blob-versioning", flip: "isVersioningEnabled false", target: types.blobServiceProperties, mutate: set("isVersioningEnabled", false) },
  {
    control: "blob-logging",
    flip: "blob diagnostic setting removed",
    target: types.diagnosticSetting,
    pick: (r) => String(r.inputs.resourceUri).toLowerCase().endsWith("/blobservices/default"),
    mutate: remove,
  },
  {
    control: "storage-worm",
    base: "sealedProd",
    flip: "WORM state Unlocked in sealed prod",
    target: types.storageAccount,
    pick: (r) => r.inputs.immutableStorageWithVersioning !== undefined,
    mutate: set("immutableStorageWithVersioning.immutabilityPolicy.state", "Unlocked"),
  },
  {
    control: "storage-worm",
    flip: "WORM disabled",
    target: types.storageAccount,
    pick: (r) => r.inputs.immutableStorageWithVersioning !== undefined,
    mutate: set("immutableStorageWithVersioning.enabled", false),
  },
  {
    control: "register-container-worm",
    flip: "container version-level WORM disabled",
    target: types.blobContainer,
    mutate: set("immutableStorageWithVersioning.enabled", false),
  },
  {
    control: "register-container-worm",
    flip: "container WORM 10 days, register keeps 30",
    target: types.blobContainerImmutabilityPolicy,
    mutate: set("immutabilityPeriodSinceCreationInDays", 10),
  },
  {
    control: "register-container-worm",
    flip: "container WORM policy removed (account keeps 1 day, register 30)",
    target: types.blobContainerImmutabilityPolicy,
    mutate: remove,
  },
  { control: "kv-purge-protection", flip: "enablePurgeProtection false", target: types.vault, mutate: set("properties.enablePurgeProtection", false) },
  { control: "kv-soft-delete", flip: "softDeleteRetentionInDays 7", target: types.vault, mutate: set("properties.softDeleteRetentionInDays", 7) },
  { control: "kv-rbac", flip: "enableRbacAuthorization false", target: types.vault, mutate: set("properties.enableRbacAuthorization", false) },
  {
    control: "kv-public-network-disabled",
    flip: "vault publicNetworkAccess Enabled",
    target: types.vault,
    mutate: set("properties.publicNetworkAccess", "Enabled"),
  },
  {
    control: "kv-firewall-default-deny",
    flip: "networkAcls.defaultAction Allow",
    target: types.vault,
    mutate: set("properties.networkAcls.defaultAction", "Allow"),
  },
  { control: "kv-firewall-default-deny", flip: "networkAcls.bypass None", target: types.vault, mutate: set("properties.networkAcls.bypass", "None") },
  { control: "kv-private-endpoint", flip: "vault private endpoint removed", target: types.privateEndpoint, pick: peFor("vault"), mutate: remove },
  { control: "keys-hsm-backed", flip: "kty RSA", target: types.key, mutate: set("properties.kty", "RSA") },
  { control: "keys-hsm-backed", flip: "vault sku standard", target: types.vault, mutate: set("properties.sku.name", "standard") },
  { control: "keys-expiry", flip: "attributes.expires removed", target: types.key, mutate: unset("properties.attributes.expires") },
  { control: "keys-rsa-minimum-size", flip: "keySize 2048", target: types.key, mutate: set("properties.keySize", 2048) },
  { control: "keys-rsa-minimum-size", flip: "keySize unset (Azure's 2048)", target: types.key, mutate: unset("properties.keySize") },
  { control: "keys-not-exportable", flip: "attributes.exportable true", target: types.key, mutate: set("properties.attributes.exportable", true) },
  { control: "keys-not-exportable", flip: "keyOps include release", target: types.key, mutate: set("properties.keyOps", ["wrapKey", "unwrapKey", "release"]) },
  {
    control: "keys-rotation",
    flip: "rotate after 400 days",
    target: types.key,
    mutate: (r) => {
      const actions = (r.inputs.properties as { rotationPolicy: { lifetimeActions: { action: { type: string }; trigger: Record<string, string> }[] } })
        .rotationPolicy.lifetimeActions;
      actions.filter((a) => a.action.type.toLowerCase() === "rotate").forEach((a) => (a.trigger.timeAfterCreate = "P400D"));
    },
  },
  {
    control: "keys-rotation",
    flip: "notify action removed",
    target: types.key,
    mutate: (r) => {
      const policy = (r.inputs.properties as { rotationPolicy: { lifetimeActions: { action: { type: string } }[] } }).rotationPolicy;
      policy.lifetimeActions = policy.lifetimeActions.filter((a) => a.action.type.toLowerCase() !== "notify");
    },
  },
  {
    control: "kv-audit-logs",
    flip: "vault diagnostic setting removed",
    target: types.diagnosticSetting,
    pick: (r) => /\/vaults\/[^/]+$/i.test(String(r.inputs.resourceUri)),
    mutate: remove,
  },
  {
    control: "managed-hsm-quorum",
    base: "managedHsm",
    flip: "one initial administrator",
    target: types.managedHsm,
    mutate: set("properties.initialAdminObjectIds", ["0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c41"]),
  },
  {
    control: "key-per-register",
    flip: "population key renamed",
    target: types.key,
    pick: (r) => String(r.inputs.keyName).endsWith("population"),
    reportedElsewhere: true,
    mutate: set("keyName", "cmk-spare"),
  },
  {
    control: "key-per-register",
    flip: "two scopes share a key",
    target: types.encryptionScope,
    mutate: (r, capture) => {
      const other = capture.resources.find((x) => x.type === types.encryptionScope && x.urn !== r.urn);
      set("keyVaultProperties.keyUri", (other?.inputs.keyVaultProperties as { keyUri: string }).keyUri)(r);
    },
  },
  {
    control: "backup-soft-delete",
    flip: "soft delete Off",
    target: types.backupVault,
    mutate: set("properties.securitySettings.softDeleteSettings.state", "Off"),
  },
  {
    control: "backup-immutability",
    base: "sealedProd",
    flip: "immutability Unlocked in sealed prod",
    target: types.backupVault,
    mutate: set("properties.securitySettings.immutabilitySettings.state", "Unlocked"),
  },
  {
    control: "backup-customer-managed-key",
    base: "sealedProd",
    flip: "encryption Disabled once keys are ready",
    target: types.backupVault,
    mutate: set("properties.securitySettings.encryptionSettings.state", "Disabled"),
  },
  { control: "backup-multi-user-authorization", flip: "resource guard proxy removed", target: types.resourceGuardProxy, mutate: synced(remove) },
  { control: "blobs-backed-up", flip: "backup instance removed", target: types.backupInstance, mutate: synced(remove) },
  {
    control: "backup-geo-redundant",
    flip: "storageSettings LocallyRedundant",
    target: types.backupVault,
    mutate: set("properties.storageSettings", [{ datastoreType: "VaultStore", type: "LocallyRedundant" }]),
  },
  {
    control: "backup-geo-redundant",
    flip: "cross-region restore Disabled",
    target: types.backupVault,
    mutate: set("properties.featureSettings.crossRegionRestoreSettings.state", "Disabled"),
  },
  {
    control: "replica-keys-in-own-region",
    base: "unpaired",
    flip: "the replica account encrypted with the host region's vault",
    target: types.storageAccount,
    pick: (r) => r.name === "embassy-storage-replica-account",
    mutate: (r, capture) => {
      const hostVault = capture.resources.find((v) => v.type === types.vault && v.inputs.location === "polandcentral");
      set("encryption.keyVaultProperties.keyVaultUri", `https://${String(hostVault?.inputs.vaultName)}.vault.azure.net/`)(r);
    },
  },
  {
    control: "backup-survives-region",
    base: "unpaired",
    flip: "the replica's vault moved into the host region (zone-redundant there)",
    target: types.backupVault,
    pick: (r) => r.inputs.location === "germanywestcentral",
    reportedElsewhere: true,
    mutate: (r) => {
      set("location", "polandcentral")(r);
      set("properties.storageSettings", [{ datastoreType: "VaultStore", type: "ZoneRedundant" }])(r);
      set("properties.featureSettings.crossRegionRestoreSettings.state", "Disabled")(r);
    },
  },
  {
    control: "nsg-on-subnets",
    flip: "NSG removed from a subnet",
    target: types.subnet,
    pick: (r) => r.inputs.networkSecurityGroup !== undefined,
    mutate: unset("networkSecurityGroup"),
  },
  {
    control: "nsg-internet-denied",
    flip: "HTTPS allowed inbound from Internet",
    target: types.networkSecurityGroup,
    pick: hasRule("allow-https-from-vnet"),
    mutate: setRule("allow-https-from-vnet", { sourceAddressPrefix: "Internet" }),
  },
  {
    control: "nsg-internet-denied",
    flip: "HTTPS allowed outbound to 0.0.0.0/0",
    target: types.networkSecurityGroup,
    pick: hasRule("allow-https-to-endpoints"),
    mutate: setRule("allow-https-to-endpoints", { destinationAddressPrefix: "0.0.0.0/0" }),
  },
  {
    control: "nsg-internet-denied",
    flip: "outbound Deny-Internet rule removed",
    target: types.networkSecurityGroup,
    mutate: (r) => {
      r.inputs.securityRules = securityRules(r).filter((x) => x.name !== "deny-internet-outbound");
    },
  },
  {
    control: "nsg-internet-denied",
    flip: "separate SecurityRule allows any source inbound",
    target: types.networkSecurityGroup,
    reportedElsewhere: true,
    mutate: synced((r, capture) => {
      capture.resources.push({
        urn: `${r.urn}-open-rule`,
        type: types.securityRule,
        name: `${r.name}-open-rule`,
        custom: true,
        parent: r.parent,
        dependencies: [r.urn],
        inputs: {
          securityRuleName: "allow-https-from-anywhere",
          networkSecurityGroupName: r.inputs.networkSecurityGroupName,
          resourceGroupName: r.inputs.resourceGroupName,
          access: "Allow",
          direction: "Inbound",
          priority: 200,
          protocol: "Tcp",
          sourceAddressPrefix: "*",
          sourcePortRange: "*",
          destinationAddressPrefix: "*",
          destinationPortRange: "443",
        },
        options: structuredClone(r.options),
      });
    }),
  },
  { control: "subnet-private", flip: "defaultOutboundAccess true", target: types.subnet, mutate: set("defaultOutboundAccess", true) },
  {
    control: "delete-locks",
    flip: "lock removed",
    target: [types.lockAtResourceGroup, types.lockByScope],
    mutate: synced((_, capture) => {
      capture.resources = capture.resources.filter((r) => r.type !== types.lockAtResourceGroup && r.type !== types.lockByScope);
    }),
  },
  {
    control: "allowed-locations-assignment",
    flip: "allowed locations include uksouth",
    target: types.policyAssignment,
    pick: (r) => json(r).includes("listOfAllowedLocations"),
    mutate: set("parameters.listOfAllowedLocations.value", ["westeurope", "uksouth"]),
  },
  {
    control: "allowed-locations-assignment",
    flip: "allowed locations DoNotEnforce",
    target: types.policyAssignment,
    pick: (r) => json(r).includes("listOfAllowedLocations"),
    mutate: set("enforcementMode", "DoNotEnforce"),
  },
  {
    control: "data-residency-assignment",
    flip: "initiative unassigned",
    target: types.policyAssignment,
    pick: (r) => json(r).includes("bebfcba2-e789-4da6-9043-726ef3a00d02"),
    mutate: remove,
  },
  {
    control: "activity-log-alerts",
    flip: "NSG delete alert disabled",
    target: types.activityLogAlert,
    pick: (r) => json(r).includes("networkSecurityGroups/delete"),
    reportedElsewhere: true,
    mutate: set("enabled", false),
  },
  {
    control: "activity-log-alerts",
    flip: "role-assignment alert disabled",
    target: types.activityLogAlert,
    pick: (r) => json(r).includes("roleAssignments/write"),
    mutate: set("enabled", false),
  },
  { control: "activity-log-alerts", flip: "action group disabled", target: types.actionGroup, mutate: set("enabled", false) },
  { control: "log-retention", base: "prod", flip: "retention 90 days in prod", target: types.workspace, mutate: set("retentionInDays", 90) },
  {
    control: "activity-log-export",
    flip: "subscription activity-log export removed",
    target: types.subscriptionDiagnosticSetting,
    mutate: remove,
  },
  {
    control: "activity-log-export",
    flip: "Policy category not exported",
    target: types.subscriptionDiagnosticSetting,
    mutate: (r) => {
      r.inputs.logs = (r.inputs.logs as { category: string }[]).filter((l) => l.category !== "Policy");
    },
  },
  { control: "log-analytics-local-auth-disabled", flip: "disableLocalAuth false", target: types.workspace, mutate: set("features.disableLocalAuth", false) },
  {
    control: "allowed-resource-types-assignment",
    flip: "allowed-resource-types assignment removed",
    target: types.policyAssignment,
    pick: (r) => String(r.inputs.policyDefinitionId).endsWith("/a08ec900-254a-4555-9bf5-e42af04b5c5c"),
    reportedElsewhere: true,
    mutate: remove,
  },
  {
    control: "allowed-resource-types-assignment",
    base: "prod",
    flip: "Key Vault missing from the allowed types (the assignment would block the embassy)",
    target: types.policyAssignment,
    pick: (r) => String(r.inputs.policyDefinitionId).endsWith("/a08ec900-254a-4555-9bf5-e42af04b5c5c"),
    mutate: (r) => {
      const parameter = (r.inputs.parameters as Record<string, { value: string[] }>).listOfResourceTypesAllowed;
      parameter.value = parameter.value.filter((t) => t !== "Microsoft.KeyVault/vaults");
    },
  },
  {
    control: "allowed-resource-types-assignment",
    flip: "virtual machines allowed",
    target: types.policyAssignment,
    pick: (r) => String(r.inputs.policyDefinitionId).endsWith("/a08ec900-254a-4555-9bf5-e42af04b5c5c"),
    mutate: (r) => {
      (r.inputs.parameters as Record<string, { value: string[] }>).listOfResourceTypesAllowed.value.push("Microsoft.Compute/virtualMachines");
    },
  },
  {
    control: "allowed-resource-types-assignment",
    base: "prod",
    flip: "allowed resource types only reported (DoNotEnforce) in prod",
    target: types.policyAssignment,
    pick: (r) => String(r.inputs.policyDefinitionId).endsWith("/a08ec900-254a-4555-9bf5-e42af04b5c5c"),
    mutate: set("enforcementMode", "DoNotEnforce"),
  },
  {
    control: "log-analytics-private-only",
    base: "prod",
    flip: "workspace queries open to public networks",
    target: types.workspace,
    mutate: set("publicNetworkAccessForQuery", "Enabled"),
  },
  {
    control: "log-analytics-private-only",
    flip: "workspace ingestion open to public networks",
    target: types.workspace,
    mutate: set("publicNetworkAccessForIngestion", "Enabled"),
  },
  {
    control: "log-analytics-private-only",
    flip: "private link scope lets queries reach resources outside it (Open)",
    target: types.privateLinkScope,
    mutate: set("accessModeSettings.queryAccessMode", "Open"),
  },
  {
    control: "log-analytics-private-only",
    flip: "the scope holds another workspace, not the embassy's",
    target: types.privateLinkScopedResource,
    reportedElsewhere: true,
    mutate: set("linkedResourceId", "/subscriptions/x/resourceGroups/rg-other/providers/Microsoft.OperationalInsights/workspaces/log-other"),
  },
  {
    control: "log-analytics-private-only",
    flip: "the scope's endpoint publishes no records in the agentsvc zone",
    target: types.privateDnsZoneGroup,
    pick: (r) => String(r.inputs.privateEndpointName).endsWith("-azuremonitor"),
    reportedElsewhere: true,
    mutate: (r) => {
      r.inputs.privateDnsZoneConfigs = (r.inputs.privateDnsZoneConfigs as { name: string }[]).filter((c) => !c.name.includes("agentsvc"));
    },
  },
  { control: "vnet-flow-logs", flip: "flow log disabled", target: types.flowLog, mutate: set("enabled", false) },
  { control: "vnet-flow-logs", base: "prod", flip: "flow logs kept 30 days in prod", target: types.flowLog, mutate: set("retentionPolicy.days", 30) },
  {
    control: "vnet-flow-logs",
    flip: "traffic analytics off",
    target: types.flowLog,
    mutate: set("flowAnalyticsConfiguration.networkWatcherFlowAnalyticsConfiguration.enabled", false),
  },
  { control: "vnet-flow-logs", flip: "no identity: the keyless account cannot be written", target: types.flowLog, mutate: unset("identity") },
  {
    control: "vnet-flow-logs",
    flip: "the flow log records another VNet, not the embassy's",
    target: types.flowLog,
    reportedElsewhere: true,
    mutate: set("targetResourceId", "/subscriptions/x/resourceGroups/rg-other/providers/Microsoft.Network/virtualNetworks/vnet-other"),
  },
  {
    control: "defender-plans",
    base: "prod",
    flip: "malware scanning on upload off",
    target: types.pricing,
    pick: (r) => r.inputs.pricingName === "StorageAccounts",
    mutate: (r) => {
      r.inputs.extensions = (r.inputs.extensions as { name: string; isEnabled: string }[]).map((e) =>
        e.name === "OnUploadMalwareScanning" ? { ...e, isEnabled: "False" } : e,
      );
    },
  },
  {
    control: "defender-plans",
    base: "prod",
    flip: "Defender for Key Vault on the Free tier",
    target: types.pricing,
    pick: (r) => r.inputs.pricingName === "KeyVaults",
    mutate: set("pricingTier", "Free"),
  },
  {
    control: "defender-plans",
    base: "prod",
    flip: "Defender for Storage plan removed in prod",
    target: types.pricing,
    pick: (r) => r.inputs.pricingName === "StorageAccounts",
    reportedElsewhere: true,
    mutate: remove,
  },
  {
    control: "saved-queries-customer-storage",
    flip: "a saved search without a linked Query storage account",
    target: types.workspace,
    reportedElsewhere: true,
    mutate: synced((w, capture) => {
      capture.resources.push({
        ...w,
        urn: `${w.urn}-saved-search`,
        type: types.savedSearch,
        name: `${w.name}-saved-search`,
        dependencies: [w.urn],
        options: { ...w.options, protect: false, retainOnDelete: false },
        inputs: {
          resourceGroupName: w.inputs.resourceGroupName,
          workspaceName: w.inputs.workspaceName,
          savedSearchId: "who-read-population",
          category: "investigation",
          displayName: "Who read the population register",
          query: "StorageBlobLogs | where Uri has 'population'",
        },
      });
    }),
  },
  { control: "approved-locations", flip: "resource group in swedencentral", target: types.resourceGroup, mutate: set("location", "swedencentral") },
  {
    control: "approved-locations",
    base: "managedHsm",
    flip: "HSM replica in uksouth",
    target: types.managedHsm,
    mutate: set("properties.regions", [{ name: "uksouth" }]),
  },
  { control: "stateful-protection", base: "prod", flip: "vault protect false in prod", target: types.vault, mutate: (r) => (r.options.protect = false) },
  {
    control: "no-privileged-roles",
    flip: "grant Owner (to a service identity, which holds no duty)",
    target: types.roleAssignment,
    pick: (r) => ![devAuditor, devOperator, devIngest, devCustodian].includes(String(r.inputs.principalId)),
    mutate: set("roleDefinitionId", `/subscriptions/x/providers/Microsoft.Authorization/roleDefinitions/${builtInRoles.owner}`),
  },
  {
    control: "auditor-read-only",
    flip: "auditor granted Storage Blob Data Contributor",
    target: types.roleAssignment,
    pick: (r) => r.inputs.principalId === devAuditor,
    mutate: set("roleDefinitionId", `/subscriptions/x/providers/Microsoft.Authorization/roleDefinitions/${builtInRoles.storageBlobDataContributor}`),
  },
  {
    control: "recovery-read-eligible-only",
    flip: "recovery reader eligible for Storage Blob Data Contributor",
    target: types.roleEligibility,
    pick: (r) => r.inputs.principalId === devRecoveryReader,
    mutate: set("roleDefinitionId", builtInRole(builtInRoles.storageBlobDataContributor)),
  },
  {
    control: "recovery-read-eligible-only",
    flip: "recovery reader eligible on the whole resource group",
    target: types.roleEligibility,
    pick: (r) => r.inputs.principalId === devRecoveryReader,
    mutate: (r) => (r.inputs.scope = String(r.inputs.scope).replace(/\/providers\/Microsoft\.Storage\/storageAccounts\/[^/]+$/, "")),
  },
  {
    control: "duty-least-privilege",
    flip: "operator granted Key Vault Crypto Officer",
    target: types.roleAssignment,
    pick: (r) => r.inputs.principalId === devOperator,
    mutate: set("roleDefinitionId", builtInRole(builtInRoles.keyVaultCryptoOfficer)),
  },
  {
    control: "duty-least-privilege",
    flip: "ingest granted Storage Blob Data Contributor (reads)",
    target: types.roleAssignment,
    pick: onScopeEnding(devIngest, /\/containers\/population$/),
    mutate: set("roleDefinitionId", builtInRole(builtInRoles.storageBlobDataContributor)),
  },
  {
    control: "duty-least-privilege",
    flip: "custodian granted Storage Blob Data Contributor",
    target: types.roleAssignment,
    pick: (r) => r.inputs.principalId === devCustodian,
    mutate: set("roleDefinitionId", builtInRole(builtInRoles.storageBlobDataContributor)),
  },
  {
    control: "duty-least-privilege",
    flip: "register writer role may read blobs",
    target: types.roleDefinition,
    pick: roleNamed("Data Embassy Register Writer"),
    reportedElsewhere: true,
    mutate: (r) => {
      (r.inputs.permissions as Permissions)[0].dataActions.push("Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read");
    },
  },
  {
    control: "duty-least-privilege",
    flip: "operator role gains a data action",
    target: types.roleDefinition,
    pick: roleNamed("Data Embassy Operator"),
    reportedElsewhere: true,
    mutate: (r) => {
      (r.inputs.permissions as Permissions)[0].dataActions.push("Microsoft.KeyVault/vaults/keys/decrypt/action");
    },
  },
  // Deployability.
  {
    control: "immutability-sealed-not-created-locked",
    base: "prod",
    flip: "account WORM sent Locked in phase build",
    target: types.storageAccount,
    pick: (r) => r.inputs.immutableStorageWithVersioning !== undefined,
    mutate: set("immutableStorageWithVersioning.immutabilityPolicy.state", "Locked"),
  },
  {
    control: "immutability-sealed-not-created-locked",
    base: "sealedProd",
    flip: "sealed backup vault immutability not ignored by updates",
    target: types.backupVault,
    mutate: (r) => {
      r.options.ignoreChanges = r.options.ignoreChanges.filter((path) => path !== "properties.securitySettings.immutabilitySettings.state");
    },
  },
  {
    control: "ingest-after-seal",
    base: "sealedProd",
    flip: "ingest granted in phase keys-ready",
    target: types.resourceGroup,
    reportedElsewhere: true,
    mutate: (r, capture) => {
      // The prod plan as it would be in keys-ready if ingest were not held back: nothing locked yet, ingest granted.
      set("tags.embassyPhase", "keys-ready")(r);
      for (const account of capture.resources.filter((x) => x.type === types.storageAccount))
        set("immutableStorageWithVersioning.immutabilityPolicy.state", "Unlocked")(account);
      for (const vault of capture.resources.filter((x) => x.type === types.backupVault))
        set("properties.securitySettings.immutabilitySettings.state", "Unlocked")(vault);
    },
  },
  {
    control: "backup-vault-key-through-own-identity",
    base: "sealedProd",
    flip: "vault key through a user-assigned identity",
    target: types.backupVault,
    mutate: set("properties.securitySettings.encryptionSettings.kekIdentity", {
      identityType: "UserAssigned",
      identityId: "/subscriptions/x/resourceGroups/y/providers/Microsoft.ManagedIdentity/userAssignedIdentities/z",
    }),
  },
  {
    control: "backup-vault-key-through-own-identity",
    base: "prod",
    flip: "vault key set at creation (phase build)",
    target: types.backupVault,
    mutate: set("properties.securitySettings.encryptionSettings", {
      state: "Enabled",
      keyVaultProperties: { keyUri: "https://kv.vault.azure.net/keys/cmk-backup" },
      kekIdentity: { identityType: "SystemAssigned" },
    }),
  },
  {
    control: "container-worm-create-only",
    base: "prod",
    flip: "container policy's retention not ignored by updates",
    target: types.blobContainerImmutabilityPolicy,
    mutate: (r) => {
      r.options.ignoreChanges = r.options.ignoreChanges.filter((path) => path !== "immutabilityPeriodSinceCreationInDays");
    },
  },
  {
    control: "grants-awaited",
    base: "prod",
    flip: "storage account no longer waits for its key grants",
    target: types.storageAccount,
    mutate: (r, capture) => {
      const sleeps = new Set(capture.resources.filter((x) => x.type === types.sleep).map((x) => x.urn));
      r.dependencies = r.dependencies.filter((d) => !sleeps.has(d));
    },
  },
  {
    control: "vaulted-retention-within-bounds",
    flip: "monthly points kept 3 months",
    target: types.backupPolicy,
    mutate: (r) => {
      const rules = (r.inputs.properties as { policyRules: { name: string; lifecycles?: { deleteAfter: { duration: string } }[] }[] }).policyRules;
      (rules.find((rule) => rule.name === "Monthly")?.lifecycles ?? [])[0].deleteAfter.duration = "P3M";
    },
  },
  {
    control: "backup-instance-container-limit",
    flip: "a backup instance lists 101 containers",
    target: types.backupInstance,
    mutate: (r) => {
      const [parameters] = (r.inputs.properties as { policyInfo: { policyParameters: { backupDatasourceParametersList: { containersList: string[] }[] } } })
        .policyInfo.policyParameters.backupDatasourceParametersList;
      parameters.containersList = Array.from({ length: 101 }, (_, i) => `reg-${i + 1}`);
    },
  },
  {
    control: "no-archive-tier",
    flip: "a lifecycle rule tiers a register to Archive",
    target: types.storageAccount,
    pick: (r) => r.inputs.immutableStorageWithVersioning !== undefined,
    // No stack tiers its registers, so the mutation adds the policy and the violation names it.
    reportedElsewhere: true,
    mutate: synced((account, capture) => {
      capture.resources.push({
        ...account,
        urn: `${account.urn}-lifecycle`,
        type: types.managementPolicy,
        name: `${account.name}-lifecycle`,
        dependencies: [account.urn],
        inputs: {
          accountName: account.inputs.accountName,
          managementPolicyName: "default",
          policy: {
            rules: [
              {
                name: "tier-land",
                enabled: true,
                type: "Lifecycle",
                definition: { actions: { baseBlob: { tierToArchive: { daysAfterModificationGreaterThan: 365 } } } },
              },
            ],
          },
        },
      });
    }),
  },
  {
    control: "private-endpoints-protected",
    base: "prod",
    flip: "a private endpoint unprotected in prod",
    target: types.privateEndpoint,
    mutate: (r) => {
      r.options.protect = false;
    },
  },
];
