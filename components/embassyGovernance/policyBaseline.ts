/**
 * The Azure Policy baseline the embassy assigns to its resource group: the same controls the
 * policy pack checks before deployment, enforced (or audited) by Azure after it, against changes
 * made outside Pulumi. Data only; governance.ts creates the assignments. The definitions (GUIDs,
 * names, allowed effects, preview status) are facts in catalog/azurePolicies.ts; this file says
 * which of them the embassy assigns, for which control, with which parameters. The data-residency
 * parameters follow the Azure Landing Zones library (`platform/slz/policy_assignments/Enforce-Sov-L1-Regions`).
 */
import { AzurePolicyRef, azurePolicies as ap } from "../../catalog/azurePolicies";

/** How hard the baseline bites: `Deny` blocks non-compliant changes, `Audit` reports them. */
export type Enforcement = "Deny" | "Audit";

/** What the baseline's parameters are made of. */
export interface BaselineInputs {
  /** ARM names of the regions data may rest in. */
  readonly approvedRegions: readonly string[];
  /** Days after creation a key must be rotated. */
  readonly keyRotationDays: number;
  /** True when the backup vault's immutability must be Locked (not merely enabled). */
  readonly lockedBackupImmutability: boolean;
  /** Log Analytics workspace id the blob logs must reach. */
  readonly workspaceId: unknown;
  /** Name of the blob service's diagnostic setting (the built-in looks it up by name). */
  readonly blobDiagnosticSettingName: string;
  /** True when the workspace is private-only, in the embassy's Azure Monitor Private Link Scope. */
  readonly privateWorkspace: boolean;
  /** ARM ids of the accounts that hold only VNet flow logs (flowLogs.ts). */
  readonly flowLogAccountIds: readonly unknown[];
}

/** One built-in definition (or initiative) of the baseline, as the embassy assigns it. */
export interface BaselinePolicy extends AzurePolicyRef {
  /** Names the assignment; the control id in the catalog (catalog/controls.ts) unless `control` says otherwise. */
  readonly key: string;
  /** Catalog control the assignment gives evidence for, when it differs from `key`. */
  readonly control?: string;
  /** Parameters besides the effect. */
  readonly parameters?: (inputs: BaselineInputs) => Record<string, unknown>;
  /** Assigned only when this holds (a Deny the component's own resources would fail otherwise). */
  readonly onlyIf?: (inputs: BaselineInputs) => boolean;
  /**
   * Excludes the flow-log accounts (the assignment's notScopes): register-data controls that an
   * account Network Watcher rewrites every minute and prunes by retention cannot meet (flowLogs.ts).
   */
  readonly exemptFlowLogAccounts?: boolean;
}

const locations = (i: BaselineInputs) => ({ listOfAllowedLocations: [...i.approvedRegions] });

const assign = (
  key: string,
  definition: AzurePolicyRef,
  extra: Pick<BaselinePolicy, "control" | "parameters" | "onlyIf" | "exemptFlowLogAccounts"> = {},
): BaselinePolicy => ({
  ...definition,
  key,
  ...extra,
});

/**
 * The baseline. Left out on purpose: "Configure soft delete for blobs and containers" (9fbd64e3)
 * allows only DeployIfNotExists, which needs a policy identity with write rights on the storage
 * account — a standing privileged identity inside the embassy. Soft delete is set by the program
 * and checked by the policy pack; versioning (c36a325b) is enforced here.
 */
export const policyBaseline: readonly BaselinePolicy[] = [
  // Data residency. "Allowed locations" checks every resource that has a location (it skips
  // `global` ones: action groups, activity-log alerts, private DNS zones).
  assign("allowed-locations", ap.allowedLocations, {
    control: "allowed-locations-assignment",
    parameters: locations,
  }),
  // Built for subscription scope, where it stops new resource groups outside the approved regions.
  // At resource-group scope it can only judge the embassy's own group, whose location is fixed at
  // creation: it is evidence here, and the platform team should also assign it on the subscription.
  assign("allowed-locations-rg", ap.allowedResourceGroupLocations, {
    control: "allowed-locations-assignment",
    parameters: locations,
  }),
  assign("data-residency", ap.dataResidency, { control: "data-residency-assignment", parameters: locations }),

  // Storage accounts.
  assign("storage-https-only", ap.storageHttpsOnly),
  assign("storage-tls-minimum", ap.storageMinimumTls, { parameters: () => ({ minimumTlsVersion: "TLS1_2" }) }),
  assign("storage-public-network-disabled", ap.storagePublicNetworkAccess),
  assign("storage-firewall-default-deny", ap.storageRestrictNetworkAccess),
  assign("storage-trusted-services-bypass", ap.storageTrustedServices),
  assign("storage-private-endpoint", ap.storagePrivateLink),
  assign("storage-no-anonymous-access", ap.storageNoPublicBlobAccess),
  assign("storage-shared-key-disabled", ap.storageNoSharedKey),
  assign("storage-cross-tenant-replication-disabled", ap.storageNoCrossTenantReplication),
  assign("storage-customer-managed-key", ap.storageCustomerManagedKey),
  assign("storage-infrastructure-encryption", ap.storageInfrastructureEncryption),
  assign("encryption-scope-customer-managed-key", ap.encryptionScopeCustomerManagedKey),
  assign("encryption-scope-double-encryption", ap.encryptionScopeDoubleEncryption),
  // Audit only: a host without a geo-pair uses a non-geo SKU plus object replication, which this
  // built-in reports as non-compliant (the policy pack accepts it).
  assign("storage-geo-redundant", ap.storageGeoRedundant),
  // Not on the flow-log accounts: a version per minute of each hour's blob, for records Network Watcher deletes by retention.
  assign("blob-versioning", ap.storageBlobVersioning, { exemptFlowLogAccounts: true }),
  // AuditIfNotExists, not DeployIfNotExists: the embassy creates the setting itself, and a
  // remediation identity would need write rights on every storage account.
  assign("blob-logging", ap.blobServiceLogs, {
    parameters: (i) => ({ logAnalytics: i.workspaceId, profileName: i.blobDiagnosticSettingName, logsEnabled: true, metricsEnabled: true }),
  }),

  // Key Vault and keys.
  assign("kv-purge-protection", ap.keyVaultPurgeProtection),
  assign("kv-soft-delete", ap.keyVaultSoftDelete),
  assign("kv-rbac", ap.keyVaultRbac),
  assign("kv-public-network-disabled", ap.keyVaultPublicNetworkAccess),
  assign("kv-firewall-default-deny", ap.keyVaultFirewall),
  // Its `effect` parameter is deprecated (Deny would block every new vault, which cannot have its
  // private endpoint yet); `audit_effect` is the one the rule reads.
  assign("kv-private-endpoint", ap.keyVaultPrivateLink),
  assign("keys-hsm-backed", ap.keysHsmBacked),
  assign("keys-expiry", ap.keysExpirationSet),
  assign("keys-rotation", ap.keysRotationPolicy, { parameters: (i) => ({ maximumDaysToRotate: i.keyRotationDays }) }),
  assign("kv-audit-logs", ap.keyVaultResourceLogs),

  // Backup vault (all preview, hence audited).
  assign("backup-soft-delete", ap.backupVaultSoftDelete, { parameters: () => ({ checkAlwaysOnSoftDeleteOnly: true }) }),
  assign("backup-immutability", ap.backupVaultImmutability, { parameters: (i) => ({ checkLockedImmutabiltyOnly: i.lockedBackupImmutability }) }),
  // Infrastructure encryption is not available with a network-restricted Key Vault (the vault's key goes
  // through its system-assigned identity, set after creation): checking it would flag the embassy forever.
  assign("backup-customer-managed-key", ap.backupVaultCustomerManagedKey, { parameters: () => ({ checkInfrastructureEncryption: false }) }),
  assign("backup-multi-user-authorization", ap.backupVaultMultiUserAuthorization),
  // Register data is backed up; flow logs are evidence kept by their own retention (vnet-flow-logs).
  assign("blobs-backed-up", ap.blobsBackedUp, { exemptFlowLogAccounts: true }),

  // Network.
  assign("nsg-on-subnets", ap.subnetsHaveNsg),

  // The audit trail.
  assign("log-analytics-local-auth-disabled", ap.logAnalyticsLocalAuth),
  // Only with the private link scope: without it the workspace keeps public query open, and a Deny would refuse it.
  assign("log-analytics-private-only", ap.logAnalyticsPublicNetwork, { onlyIf: (i) => i.privateWorkspace }),
  assign("monitor-scope-private-only", ap.monitorScopePrivateOnly, { control: "log-analytics-private-only", onlyIf: (i) => i.privateWorkspace }),
];

/**
 * The effect a definition is assigned with: the enforcement asked for when the definition allows
 * it, else the strongest audit it allows. Never DeployIfNotExists or Modify (they need a
 * remediation identity with write rights), never Disabled.
 */
export function effectFor(definition: BaselinePolicy, enforcement: Enforcement): string {
  const allowed = definition.allowedEffects ?? [];
  const preference = enforcement === "Deny" && definition.preview !== true ? ["Deny", "Audit", "AuditIfNotExists"] : ["Audit", "AuditIfNotExists"];
  const effect = preference.find((e) => allowed.includes(e));
  if (effect === undefined) {
    throw new Error(`${definition.displayName} (${definition.guid}) allows no Deny or Audit effect (${allowed.join(", ")})`);
  }
  return effect;
}

/** The catalog control an assignment of `definition` gives evidence for. */
export function controlOf(definition: BaselinePolicy): string {
  return definition.control ?? definition.key;
}

/** ARM id of a built-in definition or initiative. */
export function builtInPolicyId(definition: BaselinePolicy): string {
  const collection = definition.kind === "initiative" ? "policySetDefinitions" : "policyDefinitions";
  return `/providers/Microsoft.Authorization/${collection}/${definition.guid}`;
}
