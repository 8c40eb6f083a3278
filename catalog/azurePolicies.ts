/**
 * Microsoft's built-in Azure Policy definitions and initiatives that the embassy's controls
 * correspond to. The policy pack checks the same settings before deployment that these check (or
 * enforce) after it. GUIDs, names and default effects are copied from the Azure/azure-policy
 * repository (commit f4a50bacae07ddb096943c597669bcae494a6e29), path
 * `built-in-policies/policyDefinitions/<source>`; the activity-log alert definitions and the two
 * initiatives are not in that snapshot and come from Microsoft's built-in policy reference.
 */

/** A built-in Azure Policy definition or initiative. */
export interface AzurePolicyRef {
  readonly guid: string;
  /** Microsoft's display name. */
  readonly displayName: string;
  /** `definition` (policyDefinitions) or `initiative` (policySetDefinitions). */
  readonly kind: "definition" | "initiative";
  /** Default effect of the definition; initiatives have none of their own. */
  readonly effect?: string;
  /** Path under `built-in-policies/policyDefinitions/` in Azure/azure-policy, where known. */
  readonly source?: string;
  /** Values the definition's effect parameter allows, from its JSON. */
  readonly allowedEffects?: readonly string[];
  /** Name of that parameter (default `effect`). */
  readonly effectParameter?: string;
  /**
   * Preview definitions are never assigned with Deny: Microsoft may change them without notice,
   * and a changed Deny rule could block the embassy's own deployment, or a DR rebuild.
   */
  readonly preview?: boolean;
  /** Definition version to pin (initiatives that exist only in preview versions). */
  readonly definitionVersion?: string;
  /** Shorter name the embassy's assignment shows, where Microsoft's is long or vague. */
  readonly assignmentName?: string;
}

type Extra = Omit<AzurePolicyRef, "guid" | "displayName" | "kind" | "effect" | "source">;

const auditDeny = ["Audit", "Deny", "Disabled"];
const auditOnly = ["Audit", "Disabled"];
const auditIfNotExists = ["AuditIfNotExists", "Disabled"];

const definition = (guid: string, displayName: string, effect: string, source?: string, extra: Extra = {}): AzurePolicyRef => ({
  guid,
  displayName,
  kind: "definition",
  effect,
  source,
  ...extra,
});

/** The built-ins the catalog refers to, by a short name. */
export const azurePolicies = {
  storageHttpsOnly: definition(
    "404c3081-a854-4457-ae30-26a93ef643f9",
    "Secure transfer to storage accounts should be enabled",
    "Audit",
    "Storage/Storage_AuditForHTTPSEnabled_Audit.json",
    { allowedEffects: auditDeny },
  ),
  storageMinimumTls: definition(
    "fe83a0eb-a853-422d-aac2-1bffd182c5d0",
    "Storage accounts should have the specified minimum TLS version",
    "Audit",
    "Storage/StorageAccountMinimumTLSVersion_Audit.json",
    { allowedEffects: auditDeny },
  ),
  storagePublicNetworkAccess: definition(
    "b2982f36-99f2-4db5-8eff-283140c09693",
    "Storage accounts should disable public network access",
    "Audit",
    "Storage/StoragePublicNetworkAccess_AuditDeny.json",
    { allowedEffects: auditDeny },
  ),
  storageRestrictNetworkAccess: definition(
    "34c877ad-507e-4c82-993e-3452a6e0ad3c",
    "Storage accounts should restrict network access",
    "Audit",
    "Storage/Storage_NetworkAcls_Audit.json",
    { allowedEffects: auditDeny },
  ),
  storageTrustedServices: definition(
    "c9d007d0-c057-4772-b18c-01e546713bcd",
    "Storage accounts should allow access from trusted Microsoft services",
    "Audit",
    "Storage/StorageAccess_TrustedMicrosoftServices_Audit.json",
    { allowedEffects: auditDeny },
  ),
  storagePrivateLink: definition(
    "6edd7eda-6dd8-40f7-810d-67160c639cd9",
    "Storage accounts should use private link",
    "AuditIfNotExists",
    "Storage/StorageAccountPrivateEndpointEnabled_Audit.json",
    { allowedEffects: auditIfNotExists },
  ),
  storageNoPublicBlobAccess: definition(
    "4fa4b6c0-31ca-4c0d-b10d-24b96f62a751",
    "Storage account public access should be disallowed",
    "Audit",
    "Storage/ASC_Storage_DisallowPublicBlobAccess_Audit.json",
    { allowedEffects: auditDeny },
  ),
  storageNoSharedKey: definition(
    "8c6a50c6-9ffd-4ae7-986f-5fa6111f9a54",
    "Storage accounts should prevent shared key access",
    "Audit",
    "Storage/StorageAccountAllowSharedKeyAccess_Audit.json",
    { allowedEffects: auditDeny },
  ),
  storageNoCrossTenantReplication: definition(
    "92a89a79-6c52-4a7e-a03f-61306fc49312",
    "Storage accounts should prevent cross tenant object replication",
    "Audit",
    "Storage/StorageAccountAllowCrossTenantReplication_Audit.json",
    { allowedEffects: auditDeny },
  ),
  storageCustomerManagedKey: definition(
    "6fac406b-40ca-413b-bf8e-0bf964659c25",
    "Storage accounts should use customer-managed key for encryption",
    "Audit",
    "Storage/StorageAccountCustomerManagedKeyEnabled_Audit.json",
    { allowedEffects: auditOnly },
  ),
  storageInfrastructureEncryption: definition(
    "4733ea7b-a883-42fe-8cac-97454c2a9e4a",
    "Storage accounts should have infrastructure encryption",
    "Audit",
    "Storage/StorageAccountInfrastructureEncryptionEnabled_Audit.json",
    { allowedEffects: auditDeny },
  ),
  encryptionScopeCustomerManagedKey: definition(
    "b5ec538c-daa0-4006-8596-35468b9148e8",
    "Storage account encryption scopes should use customer-managed keys to encrypt data at rest",
    "Audit",
    "Storage/Storage_EncryptionScopesShouldUseCMK_Audit.json",
    { allowedEffects: auditDeny },
  ),
  encryptionScopeDoubleEncryption: definition(
    "bfecdea6-31c4-4045-ad42-71b9dc87247d",
    "Storage account encryption scopes should use double encryption for data at rest",
    "Audit",
    "Storage/StorageEncryptionScopesShouldUseDoubleEncryption_Audit.json",
    { allowedEffects: auditDeny },
  ),
  storageGeoRedundant: definition(
    "bf045164-79ba-4215-8f95-f8048dc1780b",
    "Geo-redundant storage should be enabled for Storage Accounts",
    "Audit",
    "Storage/GeoRedundant_StorageAccounts_Audit.json",
    { allowedEffects: auditOnly },
  ),
  storageSoftDelete: definition(
    "9fbd64e3-67b8-489b-98e5-fa0007d17e76",
    "Configure soft delete for blobs and containers on Storage Accounts",
    "DeployIfNotExists",
    "Storage/StorageAccountEnableSoftDelete_DINE.json",
    {
      allowedEffects: ["DeployIfNotExists", "Disabled"],
    },
  ),
  storageBlobVersioning: definition(
    "c36a325b-ae04-4863-ad4f-19c6678f8e08",
    "Configure your Storage account to enable blob versioning",
    "Audit",
    "Storage/StorageAccountEnableBlobVersion_Audit.json",
    { allowedEffects: auditDeny },
  ),
  blobServiceLogs: definition(
    "b4fe1a3b-0715-4c6c-a5ea-ffc33cf823cb",
    "Configure diagnostic settings for Blob Services to Log Analytics workspace",
    "DeployIfNotExists",
    "Storage/BlobServicesLogsToWorkspace_DINE.json",
    { allowedEffects: ["DeployIfNotExists", "AuditIfNotExists", "Disabled"] },
  ),
  keyVaultPurgeProtection: definition(
    "0b60c0b2-2dc2-4e1c-b5c9-abbed971de53",
    "Key vaults should have deletion protection enabled",
    "Audit",
    "Key Vault/Recoverable_Audit.json",
    { allowedEffects: auditDeny },
  ),
  keyVaultSoftDelete: definition(
    "1e66c121-a66a-4b1f-9b83-0fd99bf0fc2d",
    "Key vaults should have soft delete enabled",
    "Audit",
    "Key Vault/SoftDeleteMustBeEnabled_Audit.json",
    { allowedEffects: auditDeny },
  ),
  keyVaultRbac: definition(
    "12d4fa5e-1f9f-4c21-97a9-b99b3c6611b5",
    "Azure Key Vault should use RBAC permission model",
    "Audit",
    "Key Vault/Should_Use_RBAC.json",
    { allowedEffects: auditDeny },
  ),
  keyVaultPublicNetworkAccess: definition(
    "405c5871-3e91-4644-8a63-58e19d68ff5b",
    "Azure Key Vault should disable public network access",
    "Audit",
    "Key Vault/PublicNetworkAccess_Audit.json",
    { allowedEffects: auditDeny },
  ),
  keyVaultFirewall: definition(
    "55615ac9-af46-4a59-874e-391cc3dfb490",
    "Azure Key Vault should have firewall enabled or public network access disabled",
    "Audit",
    "Key Vault/FirewallEnabled_Audit.json",
    { allowedEffects: auditDeny },
  ),
  keyVaultPrivateLink: definition(
    "a6abeaec-4d90-4a02-805f-6b26c4d3fbe9",
    "Azure Key Vaults should use private link",
    "Audit",
    "Key Vault/Should_Use_PrivateEndpoint_Audit.json",
    { allowedEffects: auditOnly, effectParameter: "audit_effect" },
  ),
  keysHsmBacked: definition(
    "587c79fe-dd04-4a5e-9d0b-f89598c7261b",
    "Keys should be backed by a hardware security module (HSM)",
    "Audit",
    "Key Vault/Keys_HSMBacked.json",
    { allowedEffects: auditDeny },
  ),
  keysExpirationSet: definition(
    "152b15f7-8e1f-4c1f-ab71-8c010ba5dbc0",
    "Key Vault keys should have an expiration date",
    "Audit",
    "Key Vault/Keys_ExpirationSet.json",
    { allowedEffects: auditDeny },
  ),
  keysRotationPolicy: definition(
    "d8cf8476-a2ec-4916-896e-992351803c44",
    "Keys should have a rotation policy ensuring that their rotation is scheduled within the specified number of days after creation.",
    "Audit",
    "Key Vault/Keys_KeyRotationPolicy_MaximumDaysToRotate.json",
    { allowedEffects: auditOnly },
  ),
  keyVaultResourceLogs: definition(
    "cf820ca0-f99e-4f3e-84fb-66e913812d21",
    "Resource logs in Key Vault should be enabled",
    "AuditIfNotExists",
    "Key Vault/AuditDiagnosticLog_Audit.json",
    { allowedEffects: auditIfNotExists },
  ),
  managedHsmKeys: {
    guid: "7a00a7fc-fdf4-4ad8-8fa2-a94acc223e8e",
    displayName: "Customer-managed keys backed by an HSM (sovereignty initiative)",
    kind: "initiative",
  },
  backupVaultSoftDelete: definition(
    "9798d31d-6028-4dee-8643-46102185c016",
    "[Preview]: Soft delete should be enabled for Backup Vaults",
    "Audit",
    "Backup/Vaults_SoftDelete_Audit.json",
    { allowedEffects: auditOnly, preview: true },
  ),
  backupVaultImmutability: definition(
    "2514263b-bc0d-4b06-ac3e-f262c0979018",
    "[Preview]: Immutability must be enabled for backup vaults",
    "Audit",
    "Backup/Vaults_Immutability_Audit.json",
    { allowedEffects: auditOnly, preview: true },
  ),
  backupVaultCustomerManagedKey: definition(
    "d6588149-9f06-462c-a076-56aece45b5ba",
    "[Preview]: Azure Backup Vaults should use customer-managed keys for encrypting backup data. Also an option to enforce Infra Encryption.",
    "Audit",
    "Backup/AzBackupBackupVault_CMK_Audit.json",
    { allowedEffects: auditDeny, assignmentName: "[Preview]: Azure Backup Vaults should use customer-managed keys for encrypting backup data", preview: true },
  ),
  backupVaultMultiUserAuthorization: definition(
    "c58e083e-7982-4e24-afdc-be14d312389e",
    "[Preview]: Multi-User Authorization (MUA) must be enabled for Backup Vaults.",
    "Audit",
    "Backup/AzBackupBackupVault_MUAEnabled_Audit.json",
    { allowedEffects: auditOnly, assignmentName: "[Preview]: Multi-User Authorization (MUA) must be enabled for Backup Vaults", preview: true },
  ),
  blobsBackedUp: definition(
    "4510daf9-5abc-4d7d-a11d-d84416b814f6",
    "[Preview]: Azure Backup should be enabled for Blobs in Storage Accounts",
    "AuditIfNotExists",
    "Backup/StorageAccountBlobs_EnableAzureBackup_Audit.json",
    { allowedEffects: auditIfNotExists, preview: true },
  ),
  allowedLocations: definition("e56962a6-4747-49cd-b67b-bf8b01975c4c", "Allowed locations", "Deny", "General/AllowedLocations_Deny.json", {
    allowedEffects: auditDeny,
  }),
  allowedResourceGroupLocations: definition(
    "e765b5de-1225-4ba3-bd56-1ac6695af988",
    "Allowed locations for resource groups",
    "Deny",
    "General/ResourceGroupAllowedLocations_Deny.json",
    { allowedEffects: auditDeny },
  ),
  // Its effect is a fixed `deny`, not a parameter; mode Indexed (Azure/azure-policy at commit
  // 58fcf068ecb5e96d23958d9799cf872e687a1a4a).
  allowedResourceTypes: definition("a08ec900-254a-4555-9bf5-e42af04b5c5c", "Allowed resource types", "Deny", "General/AllowedResourceTypes_Deny.json", {
    allowedEffects: [],
  }),
  // Monitoring (Azure/azure-policy built-in-policies/policyDefinitions/Monitoring/, read at commits
  // 287c3c90 and 04a62e15; the workspace one allows both cases of its effects from version 1.1.0).
  logAnalyticsPublicNetwork: definition(
    "6c53d030-cc64-46f0-906d-2bc061cd1334",
    "Log Analytics workspaces should block log ingestion and querying from public networks",
    "Audit",
    "Monitoring/LogAnalyticsWorkspaces_NetworkAccessEnabled_Deny.json",
    { allowedEffects: auditDeny },
  ),
  monitorScopePrivateOnly: definition(
    "a499fed8-bcc8-4195-b154-641f14743757",
    "Azure Monitor Private Link Scope should block access to non private link resources",
    "Audit",
    "Monitoring/AzureMonitorPrivateLinkScopes_AccessModeSettings_Audit.json",
    { allowedEffects: auditDeny },
  ),
  logAnalyticsLocalAuth: definition(
    "e15effd4-2278-4c65-a0da-4d6f6d1890e2",
    "Log Analytics Workspaces should block non-Azure Active Directory based ingestion.",
    "Deny",
    undefined,
    { allowedEffects: auditDeny, assignmentName: "Log Analytics Workspaces should block non-Azure Active Directory based ingestion" },
  ),
  // Network Watcher: GUIDs and names as Microsoft's built-in reference and the CIS Azure benchmark's audit section list them.
  vnetFlowLogs: definition("4c3c6c5f-0d47-4402-99b8-aa543dd8bcee", "Flow logs should be configured for every virtual network", "Audit", undefined, {
    allowedEffects: auditOnly,
  }),
  flowLogsEnabled: definition("27960feb-a23c-4577-8d36-ef8b5f35e0be", "All flow log resources should be in enabled state", "Audit", undefined, {
    allowedEffects: auditOnly,
  }),
  // Defender for Cloud plans (subscription scope, AuditIfNotExists), as Microsoft's built-in reference lists them.
  defenderForStorage: definition("640d2586-54d2-465f-877f-9ffc1d2109f4", "Microsoft Defender for Storage should be enabled", "AuditIfNotExists", undefined, {
    allowedEffects: auditIfNotExists,
  }),
  defenderForKeyVault: definition("0e6763cc-5078-4e64-889d-ff4d9a839047", "Azure Defender for Key Vault should be enabled", "AuditIfNotExists", undefined, {
    allowedEffects: auditIfNotExists,
  }),
  // NIST SP 800-53 R5 (SC-28); Monitoring/LogAnalyticsWorkspaces_CMKBYOSQueryEnabled_Deny.json.
  savedQueriesCustomerStorage: definition(
    "fa298e57-9444-42ba-bf04-86e8470e32c7",
    "Saved-queries in Azure Monitor should be saved in customer storage account for logs encryption",
    "Audit",
    "Monitoring/LogAnalyticsWorkspaces_CMKBYOSQueryEnabled_Deny.json",
    { allowedEffects: auditDeny },
  ),
  dataResidency: {
    guid: "bebfcba2-e789-4da6-9043-726ef3a00d02",
    displayName: "Enforce data residency (sovereignty initiative)",
    kind: "initiative",
    allowedEffects: auditDeny,
    preview: true,
    definitionVersion: "1.*.*-preview",
    assignmentName: "Sovereignty: enforce data residency across Azure services",
  },
  policyOperationAlerts: definition(
    "c5447c04-a4d7-4ba8-a263-c9ee321a6858",
    "An activity log alert should exist for specific Policy operations",
    "AuditIfNotExists",
  ),
  administrativeOperationAlerts: definition(
    "b954148f-4c11-4c38-8221-be76711e194a",
    "An activity log alert should exist for specific Administrative operations",
    "AuditIfNotExists",
  ),
  // Not in the snapshot above; GUIDs and names as Microsoft's built-in policy reference lists them.
  subnetsPrivate: definition("7bca8353-aa3b-429b-904a-9229c4385837", "Subnets should be private", "Audit"),
  keysRsaMinimumSize: definition("82067dbb-e53b-4e06-b631-546d197452d9", "Keys using RSA cryptography should have a specified minimum key size", "Audit"),
  subnetsHaveNsg: definition(
    "e71308d3-144b-4262-b144-efdc3cc90517",
    "Subnets should be associated with a Network Security Group",
    "AuditIfNotExists",
    "Security Center/ASC_NetworkSecurityGroupsOnSubnets_Audit.json",
    { allowedEffects: auditIfNotExists },
  ),
} as const satisfies Record<string, AzurePolicyRef>;
