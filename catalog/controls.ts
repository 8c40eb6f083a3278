import { AzurePolicyRef, azurePolicies as ap } from "./azurePolicies";

/**
 * The control catalog: the embassy's security baseline as one table. The policy pack names its
 * policies after these ids and takes titles and severities from here; the plan report and
 * docs/policies.md read the same entries. Sources: CIS Microsoft Azure Foundations v3.0.0 and
 * v6.0.0, Microsoft's built-in Azure Policy definitions (see azurePolicies.ts), and the embassy's
 * own rules (data residency, key custody, WORM, least privilege).
 */

/** How bad a violation is (CrossGuard's severity scale). */
export type Severity = "low" | "medium" | "high" | "critical";

/** Which part of the embassy builds what a control checks. */
export type Area = "storage" | "keys" | "network" | "backup" | "governance" | "embassy" | "deployability";

/** One control of the baseline. */
export interface Control {
  /** Stable id; also the CrossGuard policy name and the key in policy pack config. */
  readonly id: string;
  /** One line: what must hold. */
  readonly title: string;
  readonly severity: Severity;
  readonly area: Area;
  /** CIS Microsoft Azure Foundations recommendation numbers, per benchmark version. */
  readonly cis: { readonly v3: readonly string[]; readonly v6: readonly string[] };
  /** Built-in Azure Policy definitions or initiatives that check the same thing in Azure. */
  readonly azurePolicy: readonly AzurePolicyRef[];
  /** Why the embassy needs it. */
  readonly rationale: string;
  /** What to change when it fails. */
  readonly remediation: string;
  /** Deployability controls: the Microsoft page or REST spec the Azure constraint comes from. */
  readonly source?: string;
}

const cis = (v3: string[], v6: string[]) => ({ v3, v6 });
const none = cis([], []);

const controlList = [
  // Storage accounts: the registers' copies.
  {
    id: "storage-https-only",
    title: "Storage accounts accept HTTPS traffic only",
    severity: "high",
    area: "storage",
    cis: cis(["4.1"], ["9.3.4"]),
    azurePolicy: [ap.storageHttpsOnly],
    rationale: "Register data must never cross a network unencrypted, not even inside the private network.",
    remediation: "Set `enableHttpsTrafficOnly: true` on the StorageAccount.",
  },
  {
    id: "storage-tls-minimum",
    title: "Storage accounts require TLS 1.2 or newer",
    severity: "high",
    area: "storage",
    cis: cis(["4.15"], ["9.3.6"]),
    azurePolicy: [ap.storageMinimumTls],
    rationale: "TLS 1.0 and 1.1 have known weaknesses and are being retired by Azure.",
    remediation: 'Set `minimumTlsVersion: "TLS1_2"` (or `"TLS1_3"`) on the StorageAccount.',
  },
  {
    id: "storage-public-network-disabled",
    title: "Storage accounts disable public network access",
    severity: "critical",
    area: "storage",
    cis: cis(["4.6"], ["9.3.2.2"]),
    azurePolicy: [ap.storagePublicNetworkAccess],
    rationale: "The embassy is reachable only over private endpoints; a public endpoint is an attack surface in a foreign region.",
    remediation: 'Set `publicNetworkAccess: "Disabled"` on the StorageAccount.',
  },
  {
    id: "storage-firewall-default-deny",
    title: "Storage account firewalls deny by default",
    severity: "high",
    area: "storage",
    cis: cis(["4.7"], ["9.3.2.3"]),
    azurePolicy: [ap.storageRestrictNetworkAccess],
    rationale: "Defence in depth: should public access ever be re-enabled, the firewall still refuses everyone not listed.",
    remediation: 'Set `networkRuleSet.defaultAction: "Deny"` on the StorageAccount.',
  },
  {
    id: "storage-trusted-services-bypass",
    title: "Storage account firewalls let trusted Azure services through",
    severity: "medium",
    area: "storage",
    cis: cis(["4.8"], ["9.3.5"]),
    azurePolicy: [ap.storageTrustedServices],
    rationale: "Azure Backup and Key Vault reach the account as trusted services; without the bypass backups and key unwrapping fail.",
    remediation: 'Set `networkRuleSet.bypass` to include `"AzureServices"`.',
  },
  {
    id: "storage-private-endpoint",
    title: "Every storage account has a blob private endpoint (and a secondary one for read-access geo-redundancy)",
    severity: "high",
    area: "storage",
    cis: cis(["4.9"], ["9.3.2.1"]),
    azurePolicy: [ap.storagePrivateLink],
    rationale: "With public access off, the private endpoint is the only path to the registers; RA-GRS/RA-GZRS reads of the secondary need their own endpoint.",
    remediation:
      'Create a PrivateEndpoint whose `privateLinkServiceConnections` point at the account with `groupIds: ["blob"]` (and `["blob_secondary"]` for RA-* SKUs).',
  },
  {
    id: "storage-no-anonymous-access",
    title: "Storage accounts and containers allow no anonymous blob access",
    severity: "critical",
    area: "storage",
    cis: cis(["4.17"], ["9.3.8"]),
    azurePolicy: [ap.storageNoPublicBlobAccess],
    rationale: "Anonymous read of a register container would publish state data to the internet.",
    remediation: 'Set `allowBlobPublicAccess: false` on the StorageAccount and leave BlobContainer `publicAccess` unset or `"None"`.',
  },
  {
    id: "storage-shared-key-disabled",
    title: "Storage accounts refuse shared-key authorization and default to Entra ID",
    severity: "high",
    area: "storage",
    cis: cis([], ["9.3.1.3"]),
    azurePolicy: [ap.storageNoSharedKey],
    rationale: "Account keys are all-powerful, unattributable and cannot be scoped; every access must be an audited Entra identity.",
    remediation: "Set `allowSharedKeyAccess: false` and `defaultToOAuthAuthentication: true` on the StorageAccount.",
  },
  {
    id: "storage-cross-tenant-replication-disabled",
    title: "Storage accounts forbid cross-tenant object replication",
    severity: "high",
    area: "storage",
    cis: cis(["4.16"], ["9.3.7"]),
    azurePolicy: [ap.storageNoCrossTenantReplication],
    rationale: "Replicating registers into another Entra tenant would move them outside the state's control.",
    remediation: "Set `allowCrossTenantReplication: false` on the StorageAccount.",
  },
  {
    id: "storage-copy-scope-private-link",
    title: "Storage accounts accept copy operations only from sources behind their private endpoints",
    severity: "high",
    area: "storage",
    cis: none,
    azurePolicy: [],
    rationale:
      "A server-side copy (Put Blob From URL, Copy Blob) moves register data without crossing the embassy's network; with the copy scope at PrivateLink, only accounts reached through the embassy's private endpoints can be a copy's source, so no one can pull data in from (or stage data through) an arbitrary account.",
    remediation: 'Set `allowedCopyScope: "PrivateLink"` on the StorageAccount.',
  },
  {
    id: "storage-customer-managed-key",
    title: "Storage accounts encrypt with a state-held, versionless customer-managed key through a user-assigned identity",
    severity: "critical",
    area: "storage",
    cis: cis(["4.11"], []),
    azurePolicy: [ap.storageCustomerManagedKey],
    rationale: "The state, not the host cloud, must hold the keys; a versionless key URI lets rotation take effect without redeploying.",
    remediation:
      'Set `encryption.keySource: "Microsoft.Keyvault"`, `encryption.keyVaultProperties` with `keyName` and `keyVaultUri` but no `keyVersion`, and `encryption.encryptionIdentity.encryptionUserAssignedIdentity` (the identity must be listed in `identity.userAssignedIdentities`).',
  },
  {
    id: "storage-infrastructure-encryption",
    title: "Storage accounts use infrastructure (double) encryption",
    severity: "medium",
    area: "storage",
    cis: cis(["4.2"], []),
    azurePolicy: [ap.storageInfrastructureEncryption],
    rationale:
      "A second, independent encryption layer protects the registers if one algorithm or key is compromised. It can only be set when the account is created.",
    remediation: "Set `encryption.requireInfrastructureEncryption: true` on the StorageAccount (replaces the account if changed later).",
  },
  {
    id: "encryption-scope-customer-managed-key",
    title: "Register encryption scopes use a customer-managed key",
    severity: "high",
    area: "storage",
    cis: none,
    azurePolicy: [ap.encryptionScopeCustomerManagedKey],
    rationale: "Each register is encrypted under its own state-held key, so one register can be crypto-shredded or handed over alone.",
    remediation: 'Set `source: "Microsoft.KeyVault"` and `keyVaultProperties.keyUri` on each EncryptionScope.',
  },
  {
    id: "encryption-scope-double-encryption",
    title: "Register encryption scopes use infrastructure (double) encryption",
    severity: "medium",
    area: "storage",
    cis: none,
    azurePolicy: [ap.encryptionScopeDoubleEncryption],
    rationale: "Same second layer as the account's, for data written under a scope.",
    remediation: "Set `requireInfrastructureEncryption: true` on each EncryptionScope.",
  },
  {
    id: "container-encryption-scope-enforced",
    title: "Register containers have a default encryption scope that writers cannot override",
    severity: "medium",
    area: "storage",
    cis: none,
    azurePolicy: [],
    rationale:
      "Each register's data must be encrypted under its own key. Without `denyEncryptionScopeOverride`, a writer can name another scope on each request and put a register's blobs under the wrong key, or the account's.",
    remediation:
      "Give every register container a `defaultEncryptionScope` (its register's scope) and set `denyEncryptionScopeOverride: true` on every BlobContainer with a default scope.",
  },
  {
    id: "storage-geo-redundant",
    title: "Every storage account is geo-redundant or object-replicated to a second approved region",
    severity: "high",
    area: "storage",
    cis: cis([], ["9.3.11"]),
    azurePolicy: [ap.storageGeoRedundant],
    rationale:
      "An embassy must survive the loss of a whole region. Regions without a geo-pair use object replication instead. Not applicable: a VNet flow-log account in a region without a pair (Azure has no geo-redundant SKU there; it records only that region's traffic, and Network Watcher rewrites its blobs every minute).",
    remediation:
      "Use a `Standard_GZRS`/`Standard_RAGZRS` (or GRS/RAGRS) SKU, or set `objectReplicationRegion` so the storage component replicates the account.",
  },
  {
    id: "blob-soft-delete",
    title: "Blob soft delete is on (at least 7 days in dev, 30 days in prod and dr) and permanent delete is off",
    severity: "high",
    area: "storage",
    cis: cis(["4.10"], ["9.2.1"]),
    azurePolicy: [ap.storageSoftDelete],
    rationale:
      "Deleted or overwritten register blobs must stay recoverable for long enough to notice; permanent delete would let a caller purge soft-deleted blobs and versions before then.",
    remediation: "Set BlobServiceProperties `deleteRetentionPolicy: { enabled: true, days, allowPermanentDelete: false }` (config key `blobSoftDeleteDays`).",
  },
  {
    id: "container-soft-delete",
    title: "Container soft delete is on (at least 7 days in dev, 30 days in prod and dr)",
    severity: "high",
    area: "storage",
    cis: cis(["4.10"], ["9.2.2"]),
    azurePolicy: [ap.storageSoftDelete],
    rationale: "Deleting a register's container must be recoverable.",
    remediation: "Set BlobServiceProperties `containerDeleteRetentionPolicy: { enabled: true, days }` (config key `containerSoftDeleteDays`).",
  },
  {
    id: "blob-versioning",
    title: "Blob versioning is on",
    severity: "medium",
    area: "storage",
    cis: cis([], ["9.2.3"]),
    azurePolicy: [ap.storageBlobVersioning],
    rationale: "Version-level immutability and point-in-time recovery of register copies depend on versions.",
    remediation: "Set BlobServiceProperties `isVersioningEnabled: true`.",
  },
  {
    id: "blob-logging",
    title: "Every storage account logs blob reads, writes and deletes to Log Analytics",
    severity: "high",
    area: "storage",
    cis: cis(["4.13"], ["6.1.4"]),
    azurePolicy: [ap.blobServiceLogs],
    rationale: "Auditors must be able to see who read or changed which register, and when.",
    remediation:
      'Create a DiagnosticSetting with `resourceUri: "<account id>/blobServices/default"`, a `workspaceId`, and logs `StorageRead`, `StorageWrite`, `StorageDelete` (or category group `audit`/`allLogs`) enabled.',
  },
  {
    id: "storage-worm",
    title: "Storage accounts keep version-level WORM immutability, Locked in production kinds",
    severity: "critical",
    area: "storage",
    cis: none,
    azurePolicy: [],
    rationale:
      "Immutable register copies are the embassy's promise; only a Locked policy meets SEC 17a-4(f)-style retention. Dev may stay Unlocked so it can be thrown away.",
    remediation:
      'Set `immutableStorageWithVersioning: { enabled: true, immutabilityPolicy: { state, immutabilityPeriodSinceCreationInDays } }` with state "Locked" in the environments listed in this policy\'s `lockedEnvironments` (config keys `wormState`, `acknowledgeIrreversibleLock`).',
  },
  {
    id: "register-container-worm",
    title: "Every register has a container with version-level WORM that keeps blobs at least the register's retention",
    severity: "critical",
    area: "storage",
    cis: none,
    azurePolicy: [],
    rationale:
      "The account-level policy is only a floor: each register's copies must stay immutable for as long as the state's law requires for that register. A container without version-level immutability, or a policy shorter than the register's retention, lets copies be deleted or overwritten early.",
    remediation:
      "Create one BlobContainer per register in the registers' account with `immutableStorageWithVersioning.enabled: true`, and a BlobContainerImmutabilityPolicy with `immutabilityPeriodSinceCreationInDays` at least the register's `retentionDays` (config key `registers`; with `immutability: none` the account's `wormRetentionDays` must cover it). The retention per register reaches the pack as this policy's `registerRetentionDays`.",
  },

  // Keys: the state's key custody.
  {
    id: "kv-purge-protection",
    title: "Key vaults and managed HSMs have purge protection",
    severity: "critical",
    area: "keys",
    cis: cis(["3.3.5"], ["8.3.5"]),
    azurePolicy: [ap.keyVaultPurgeProtection],
    rationale: "Without purge protection an attacker (or a mistake) can destroy the keys and with them every register copy.",
    remediation: "Set `properties.enablePurgeProtection: true` on the Vault or ManagedHsm (irreversible).",
  },
  {
    id: "kv-soft-delete",
    title: "Key vaults and managed HSMs keep deleted items for 90 days",
    severity: "high",
    area: "keys",
    cis: cis(["3.3.5"], ["8.3.5"]),
    azurePolicy: [ap.keyVaultSoftDelete],
    rationale: "The longest soft-delete window gives the state the most time to recover a deleted vault or key.",
    remediation: "Leave `properties.enableSoftDelete` unset or true and `properties.softDeleteRetentionInDays` unset or 90.",
  },
  {
    id: "kv-rbac",
    title: "Key vaults use the Azure RBAC permission model",
    severity: "high",
    area: "keys",
    cis: cis(["3.3.6"], ["8.3.6"]),
    azurePolicy: [ap.keyVaultRbac],
    rationale: "RBAC grants are auditable, scoped to single keys and governed like every other role assignment; access policies are not.",
    remediation: "Set `properties.enableRbacAuthorization: true` and no `accessPolicies` on the Vault.",
  },
  {
    id: "kv-public-network-disabled",
    title: "Key vaults and managed HSMs disable public network access",
    severity: "critical",
    area: "keys",
    cis: cis([], ["8.3.7"]),
    azurePolicy: [ap.keyVaultPublicNetworkAccess],
    rationale: "The keys are reachable only from the embassy's private network.",
    remediation: 'Set `properties.publicNetworkAccess: "Disabled"` on the Vault or ManagedHsm.',
  },
  {
    id: "kv-firewall-default-deny",
    title: "Key vault and managed HSM firewalls deny by default and let trusted Azure services through",
    severity: "high",
    area: "keys",
    cis: none,
    azurePolicy: [ap.keyVaultFirewall],
    rationale: "Defence in depth behind disabled public access; storage and backup reach their keys as trusted services, so the bypass is required.",
    remediation: 'Set `properties.networkAcls: { defaultAction: "Deny", bypass: "AzureServices" }`.',
  },
  {
    id: "kv-private-endpoint",
    title: "Every key vault and managed HSM has a private endpoint",
    severity: "high",
    area: "keys",
    cis: cis(["3.3.7"], ["8.3.8"]),
    azurePolicy: [ap.keyVaultPrivateLink],
    rationale: "Custodians and services reach the keys only through the embassy's private network.",
    remediation: 'Create a PrivateEndpoint to the vault with `groupIds: ["vault"]` (`["managedhsm"]` for a managed HSM).',
  },
  {
    id: "keys-hsm-backed",
    title: "Keys are HSM-backed, in a Premium vault",
    severity: "critical",
    area: "keys",
    cis: none,
    azurePolicy: [ap.keysHsmBacked],
    rationale: "The state's keys must never exist outside a FIPS 140-3 Level 3 HSM.",
    remediation: 'Use `kty: "RSA-HSM"` (or `"EC-HSM"`) on every Key and `sku.name: "premium"` on the Vault.',
  },
  {
    id: "keys-expiry",
    title: "Keys have an expiry date",
    severity: "medium",
    area: "keys",
    cis: cis(["3.3.1"], ["8.3.1"]),
    azurePolicy: [ap.keysExpirationSet],
    rationale: "An expiry bounds how long a compromised key version stays useful and forces the rotation routine to work.",
    remediation: "Set `properties.attributes.expires` (seconds since the epoch) on every Key (config key `keyExpiryDays`).",
  },
  {
    id: "keys-rotation",
    title: "Keys rotate automatically, before expiry, and notify custodians",
    severity: "high",
    area: "keys",
    cis: cis(["3.3.8"], ["8.3.9"]),
    azurePolicy: [ap.keysRotationPolicy],
    rationale: "Rotation limits the data under one key version; the notification keeps the custodians in the loop.",
    remediation:
      "Set `properties.rotationPolicy` with `attributes.expiryTime`, a `Rotate` action with `timeAfterCreate` within this policy's `maximumDaysToRotate` and shorter than the expiry, and a `Notify` action with `timeBeforeExpiry` (config keys `keyRotationDays`, `keyExpiryDays`, `keyNotifyBeforeExpiryDays`).",
  },
  {
    id: "keys-rsa-minimum-size",
    title: "RSA keys are at least 3072 bits (this policy's minimumRsaKeySize)",
    severity: "high",
    area: "keys",
    cis: none,
    azurePolicy: [ap.keysRsaMinimumSize],
    rationale:
      "The registers must stay confidential for decades; 2048-bit RSA (Azure's default when no size is given) is expected to fall short of that horizon, and national and EU guidance ask for 3072 bits or more for long-lived keys.",
    remediation: "Set `properties.keySize` to 3072 or 4096 on every RSA or RSA-HSM Key (never leave it unset: Azure then creates 2048 bits).",
  },
  {
    id: "keys-not-exportable",
    title: "Keys cannot leave the HSM: not exportable, no release policy, no release operation",
    severity: "critical",
    area: "keys",
    cis: none,
    azurePolicy: [],
    rationale:
      "An exportable key with a release policy can be released to a (confidential-computing) environment outside the HSM; the state's custody of its keys then depends on that environment.",
    remediation: "Leave `properties.attributes.exportable` unset or false, set no `properties.releasePolicy`, and keep `release` out of `properties.keyOps`.",
  },
  {
    id: "kv-audit-logs",
    title: "Every key vault and managed HSM sends its audit log to Log Analytics",
    severity: "high",
    area: "keys",
    cis: cis(["6.1.4"], ["6.1.1.4"]),
    azurePolicy: [ap.keyVaultResourceLogs],
    rationale: "Every use of a state key must be attributable and visible to auditors.",
    remediation: "Create a DiagnosticSetting on the vault with a `workspaceId` and the category group `audit` or `allLogs` (or category `AuditEvent`) enabled.",
  },
  {
    id: "managed-hsm-quorum",
    title: "Managed HSMs have at least three initial administrators",
    severity: "high",
    area: "keys",
    cis: cis([], ["8.3.10"]),
    azurePolicy: [ap.managedHsmKeys],
    rationale: "The security domain is split M-of-N among the administrators; fewer than three cannot form a safe quorum.",
    remediation: "List at least three Entra object ids in `managedHsmAdmins` (ManagedHsm `properties.initialAdminObjectIds`).",
  },
  {
    id: "key-per-register",
    title: "Every register has its own key, and no two register scopes share a key",
    severity: "high",
    area: "keys",
    cis: none,
    azurePolicy: [],
    rationale: "One key per register lets the state revoke, rotate or hand over one register without touching the others.",
    remediation: "Create one Key named after each register (config key `registers`) and point each register's EncryptionScope at its own key.",
  },
  {
    id: "replica-keys-in-own-region",
    title: "An object replica is encrypted with keys held in its own region",
    severity: "high",
    area: "keys",
    cis: none,
    azurePolicy: [],
    rationale:
      'The object replica of a host without a geo-pair is the copy kept for the loss of the host region. Encrypted with a key in the host region\'s vault it cannot be read when that region is gone: a Key Vault in a region without a pair keeps its data only "three times within the region" (https://learn.microsoft.com/azure/key-vault/general/disaster-recovery-guidance).',
    remediation:
      "Point the replica account's `encryption.keyVaultProperties.keyVaultUri` and its EncryptionScopes' `keyVaultProperties.keyUri` at a Key Vault (or Managed HSM) in the replica account's region.",
  },

  // Backup.
  {
    id: "backup-soft-delete",
    title: "Backup vaults keep deleted backups at least 14 days, always-on outside dev",
    severity: "high",
    area: "backup",
    cis: none,
    azurePolicy: [ap.backupVaultSoftDelete],
    rationale: "Deleted recovery points must stay recoverable; AlwaysOn means nobody can switch soft delete off before deleting.",
    remediation:
      'Set `properties.securitySettings.softDeleteSettings: { state: "AlwaysOn", retentionDurationInDays }` (config key `backupSoftDeleteDays`; dev may use "On").',
  },
  {
    id: "backup-immutability",
    title: "Backup vaults are immutable, Locked in production kinds",
    severity: "critical",
    area: "backup",
    cis: none,
    azurePolicy: [ap.backupVaultImmutability],
    rationale: "Recovery points must not be deletable before they expire, or ransomware takes the backups with the data.",
    remediation:
      'Set `properties.securitySettings.immutabilitySettings.state` to "Unlocked", and to "Locked" in the environments listed in this policy\'s `lockedEnvironments` (config keys `backupImmutability`, `acknowledgeIrreversibleLock`).',
  },
  {
    id: "backup-customer-managed-key",
    title: "Backup vaults encrypt with the state's customer-managed key (from phase keys-ready)",
    severity: "high",
    area: "backup",
    cis: none,
    azurePolicy: [ap.backupVaultCustomerManagedKey],
    rationale:
      "Backups are copies of the registers and need the same state-held key custody. The key is set in phase keys-ready, once the vault's own identity exists and holds its grant (backup-vault-key-through-own-identity); infrastructure encryption is not available for a vault whose key lives in a network-restricted Key Vault.",
    remediation:
      'In phase keys-ready and later, set `properties.securitySettings.encryptionSettings: { state: "Enabled", keyVaultProperties: { keyUri }, kekIdentity: { identityType: "SystemAssigned" } }`.',
  },
  {
    id: "backup-multi-user-authorization",
    title: "Every backup vault is protected by a Resource Guard (multi-user authorization)",
    severity: "high",
    area: "backup",
    cis: none,
    azurePolicy: [ap.backupVaultMultiUserAuthorization],
    rationale: "Destructive backup operations need a second person, ideally from another tenant or subscription.",
    remediation:
      "Create a DppResourceGuardProxy on the vault with `properties.resourceGuardResourceId` (config key `resourceGuardId`, or the stack's own guard).",
  },
  {
    id: "blobs-backed-up",
    title: "Every storage account is protected by a backup instance",
    severity: "high",
    area: "backup",
    cis: none,
    azurePolicy: [ap.blobsBackedUp],
    rationale: "Soft delete and versioning live in the same account; vaulted backups survive the account itself.",
    remediation: "Create a BackupInstance whose `properties.dataSourceInfo.resourceID` is the account's id.",
  },
  {
    id: "backup-geo-redundant",
    title: "Backup vaults store backups geo-redundantly and allow cross-region restore wherever their region has a pair",
    severity: "high",
    area: "backup",
    cis: none,
    azurePolicy: [],
    rationale:
      "The backups must outlive the loss of the host region, and the state must be able to restore in the paired region whenever it decides, not only after Microsoft declares a regional outage. A region without a pair has no geo-copy to choose (Azure's geo-redundant storage replicates to a paired region, https://learn.microsoft.com/azure/reliability/regions-paired): there the vault is zone-redundant, and backup-survives-region requires the surviving backup elsewhere.",
    remediation:
      'Set `properties.storageSettings: [{ datastoreType: "VaultStore", type: "GeoRedundant" }]` and `properties.featureSettings.crossRegionRestoreSettings.state: "Enabled"` on the BackupVault (redundancy cannot be changed once backups exist); in a region without a pair, "ZoneRedundant" (or "LocallyRedundant" where the region has no zones).',
  },
  {
    id: "backup-survives-region",
    title: "Every registers' account has a backup that outlives its region",
    severity: "high",
    area: "backup",
    cis: none,
    azurePolicy: [],
    rationale:
      'An embassy exists for the day its region is gone. A backup vault must be in the region of the account it protects ("the vault must be in the same region as the data source", Microsoft\'s Recovery Services vault guide, quoted in https://github.com/MicrosoftDocs/azure-docs/issues/63108), so a host without a geo-pair keeps its surviving backup through its object replica: a copy in another region, backed up by a vault in that region.',
    remediation:
      "Protect the account with a Backup vault in a region that has a geo-pair (geo-redundant there, backup-geo-redundant); in a region without one, object-replicate it (ObjectReplicationPolicy) to an account in another region that a Backup vault in that region protects with a BackupInstance.",
  },

  // Network.
  {
    id: "nsg-on-subnets",
    title: "Every subnet has a network security group",
    severity: "medium",
    area: "network",
    cis: cis([], ["7.11"]),
    azurePolicy: [ap.subnetsHaveNsg],
    rationale: "Traffic between the private endpoints and the workload subnet must be filtered, not just routed.",
    remediation: "Set `networkSecurityGroup: { id }` on every Subnet (and every inline subnet of a VirtualNetwork).",
  },
  {
    id: "nsg-internet-denied",
    title: "Network security groups deny the Internet both ways and no rule allows it",
    severity: "critical",
    area: "network",
    cis: cis(["7.1", "7.2", "7.3", "7.4"], ["7.1", "7.2", "7.3", "7.4"]),
    azurePolicy: [],
    rationale:
      "The embassy is reachable only over private networking. An allow rule whose source (inbound) or destination (outbound) is `Internet`, `*`, `Any`, `0.0.0.0/0` or `::/0` opens it on those ports whatever else the NSG says; explicit Deny-Internet rules in both directions document the intent and stay in force when Azure's default rules change. Since no allow rule may name the Internet at any priority, none can override them.",
    remediation:
      'Remove or narrow allow rules that name the Internet (use `VirtualNetwork`, a CIDR or a specific service tag), and keep a Deny rule per direction with the `Internet` tag as source (inbound) or destination (outbound), `"*"` on the other side, protocol `"*"` and port range `"*"`, inline in `securityRules` or as a SecurityRule resource.',
  },
  {
    id: "subnet-private",
    title: "Subnets have no default outbound Internet access",
    severity: "high",
    area: "network",
    cis: none,
    azurePolicy: [ap.subnetsPrivate],
    rationale:
      "Default outbound access gives anything in a subnet an implicit, unowned public IP to the Internet; an embassy subnet reaches the Internet only through an egress path someone added deliberately (a hub firewall or NAT).",
    remediation: "Set `defaultOutboundAccess: false` on every Subnet (and every inline subnet of a VirtualNetwork).",
  },

  // Governance: locks, Azure Policy, alerts, logs.
  {
    id: "delete-locks",
    title: "Every storage account, key vault, managed HSM and backup vault is under a CanNotDelete lock",
    severity: "high",
    area: "governance",
    cis: cis(["10.1"], ["9.3.9", "6.2"]),
    azurePolicy: [],
    rationale: "A lock stops deletion from the portal or CLI too, where Pulumi's protect cannot reach.",
    remediation:
      'Create a ManagementLockByScope with `level: "CanNotDelete"` scoped to the resource (or its resource group), or a ManagementLockAtResourceGroupLevel on its group.',
  },
  {
    id: "allowed-locations-assignment",
    title: "Azure Policy enforces the approved locations on the embassy's resources and resource groups (enforcement mode Default)",
    severity: "high",
    area: "governance",
    cis: none,
    azurePolicy: [ap.allowedLocations, ap.allowedResourceGroupLocations],
    rationale:
      "The plan checks locations before deployment; Azure Policy keeps checking after it, against changes made outside Pulumi. An assignment in DoNotEnforce mode refuses nothing.",
    remediation:
      'Assign both built-ins with `parameters.listOfAllowedLocations.value` inside `approvedRegions` (this policy\'s `approvedRegions` config) and `enforcementMode` `"Default"` or unset (`"DoNotEnforce"` only reports).',
  },
  {
    id: "data-residency-assignment",
    title: "The sovereignty data-residency initiative is assigned",
    severity: "medium",
    area: "governance",
    cis: none,
    azurePolicy: [ap.dataResidency],
    rationale: "Microsoft's data-residency initiative adds service-specific residency checks (e.g. geo-replication targets) that location alone misses.",
    remediation: "Assign the initiative (a PolicyAssignment whose `policyDefinitionId` ends with its GUID).",
  },
  {
    id: "activity-log-alerts",
    title: "Activity-log alerts fire on policy-assignment and network-security-group changes; no alert or action group is disabled",
    severity: "medium",
    area: "governance",
    cis: cis(["6.2.1", "6.2.2", "6.2.3", "6.2.4"], ["6.1.2.1", "6.1.2.2", "6.1.2.3", "6.1.2.4"]),
    azurePolicy: [ap.policyOperationAlerts, ap.administrativeOperationAlerts],
    rationale:
      "Weakening the guard rails (removing a policy assignment, opening an NSG) must page the on-call team at once; a disabled alert, or an alert whose action group is disabled, pages nobody.",
    remediation:
      "Create enabled ActivityLogAlerts with an action group for `Microsoft.Authorization/policyAssignments/write|delete` (when policies are assigned) and `Microsoft.Network/networkSecurityGroups/write|delete` (when NSGs exist); keep `enabled` true (or unset) on every ActivityLogAlert and `enabled: true` on every ActionGroup.",
  },
  {
    id: "log-retention",
    title: "Log Analytics keeps logs at least 365 days in production kinds",
    severity: "medium",
    area: "governance",
    cis: cis(["6.1.4"], ["6.1.1.4"]),
    azurePolicy: [],
    rationale: "CIS asks for a year of audit history; incidents in an embassy are often noticed late.",
    remediation: "Set the Workspace `retentionInDays` to 365 or more (config key `logRetentionDays`); dev may keep less.",
  },
  {
    id: "activity-log-export",
    title: "The subscription activity log (Administrative, Security, Policy, Alert) is exported to the stack's Log Analytics workspace",
    severity: "high",
    area: "governance",
    cis: cis(["6.1.1", "6.1.2"], ["6.1.1.1", "6.1.1.2"]),
    azurePolicy: [],
    rationale:
      "Control-plane changes (role grants, lock removals, policy changes) are recorded only in the subscription activity log, which Azure keeps for 90 days; exported to the workspace they stay as long as the other audit evidence and can be queried with it.",
    remediation:
      "Create a SubscriptionDiagnosticSetting with `workspaceId` set to the stack's workspace and logs `Administrative`, `Security`, `Policy` and `Alert` enabled (or the category group `allLogs`).",
  },
  {
    id: "log-analytics-local-auth-disabled",
    title: "Log Analytics workspaces accept only Entra ID authentication (local auth off)",
    severity: "high",
    area: "governance",
    cis: none,
    azurePolicy: [ap.logAnalyticsLocalAuth],
    rationale:
      "With local authentication on, anyone holding the workspace's shared keys can ingest records unattributed, e.g. forged audit evidence; with it off, every write and query is an audited Entra identity.",
    remediation: "Set `features.disableLocalAuth: true` on the Workspace.",
  },

  {
    id: "allowed-resource-types-assignment",
    title: "Azure Policy allows in the embassy's resource group exactly the resource types the embassy creates",
    severity: "high",
    area: "governance",
    cis: none,
    azurePolicy: [ap.allowedResourceTypes],
    rationale:
      'Microsoft\'s Sovereignty Baseline (Confidential) assigns "Allowed resource types": nothing but what the sovereign workload needs can be created in its scope (a VM, a public IP or a storage account of another kind, made outside Pulumi, is refused). The list must hold every type the embassy creates, or the assignment would block the embassy itself (and a DR rebuild), and nothing more.',
    remediation:
      "Assign the built-in on the embassy's resource group with `parameters.listOfResourceTypesAllowed.value` equal to the ARM types of the stack's resources (catalog/resourceTypes.ts `arm`, resourceGroupArmTypes; DataEmbassy records them) and `enforcementMode` `\"Default\"` in production kinds; give every new azure-native type its ARM type in catalog/resourceTypes.ts.",
    source: "https://learn.microsoft.com/azure/governance/policy/samples/built-in-policies#general",
  },

  {
    id: "log-analytics-private-only",
    title: "Log Analytics workspaces take ingestion and queries only through the embassy's Azure Monitor Private Link Scope (Private Only)",
    severity: "high",
    area: "governance",
    cis: none,
    azurePolicy: [ap.logAnalyticsPublicNetwork, ap.monitorScopePrivateOnly],
    rationale:
      "Every other data service of the embassy is private-only; the audit trail must be too, or the record of who touched the registers is readable (and, with open ingestion, writable) from the Internet. Diagnostic settings reach a private-only workspace over Microsoft's private channel, so nothing is lost.",
    remediation:
      'Set `publicNetworkAccessForIngestion` and `publicNetworkAccessForQuery` to `"Disabled"` on the Workspace, put it in a PrivateLinkScope (a PrivateLinkScopedResource whose `linkedResourceId` is the workspace) with `accessModeSettings` ingestion and query `"PrivateOnly"` and no exclusions, and give the scope a private endpoint (group `azuremonitor`) whose DNS zone group covers the monitor, oms, ods, agentsvc and blob zones (EmbassyGovernance does all of it when given `connect`).',
    source: "https://learn.microsoft.com/azure/azure-monitor/logs/private-link-design",
  },

  {
    id: "vnet-flow-logs",
    title: "Every VNet has an enabled VNet flow log, kept a year in production kinds, with traffic analytics into the stack's workspace",
    severity: "high",
    area: "governance",
    cis: none,
    azurePolicy: [ap.vnetFlowLogs, ap.flowLogsEnabled],
    rationale:
      "Auditors must be able to show from where the embassy was reached: flow logs record every IP flow through the VNet, allowed or denied, as network evidence next to the resource logs. NSG flow logs can no longer be created (retired in favour of VNet flow logs). A year of flow records matches the log retention CIS asks for.",
    remediation:
      "Create a FlowLog under the region's Network Watcher with `targetResourceId` the VNet, `enabled: true`, `retentionPolicy: { enabled: true, days: 365 }` (or 0 to keep forever; config key `flowLogRetentionDays`), `storageId` a hardened account of the stack, `identity` a user-assigned identity with Storage Blob Data Contributor on it, and `flowAnalyticsConfiguration.networkWatcherFlowAnalyticsConfiguration` enabled into the stack's workspace.",
    source: "https://learn.microsoft.com/azure/network-watcher/vnet-flow-logs-overview",
  },

  {
    id: "defender-plans",
    title: "Production kinds switch on Defender for Storage (with on-upload malware scanning) and Defender for Key Vault",
    severity: "medium",
    area: "governance",
    cis: none,
    azurePolicy: [ap.defenderForStorage, ap.defenderForKeyVault],
    rationale:
      "Microsoft cloud security benchmark LT-1: threat detection on the accounts that hold the registers (unusual access, exfiltration patterns, malware uploaded by a compromised ingest identity) and on the vault that holds the state's keys. The resource logs record what happened; Defender tells someone it looks wrong.",
    remediation:
      'Create a security Pricing `StorageAccounts` (`pricingTier: "Standard"`, `subPlan: "DefenderForStorageV2"`, extension `OnUploadMalwareScanning` with `isEnabled: "True"`) and a Pricing `KeyVaults` (`pricingTier: "Standard"`) at the subscription scope (config keys `defenderForStorage`, `defenderForKeyVault`; on by default in prod and dr).',
    source: "https://learn.microsoft.com/azure/defender-for-cloud/tutorial-enable-storage-plan",
  },

  {
    id: "saved-queries-customer-storage",
    title: "Saved searches and query packs exist only with the workspace's saved queries in a linked, customer-managed storage account",
    severity: "medium",
    area: "governance",
    cis: none,
    azurePolicy: [ap.savedQueriesCustomerStorage],
    rationale:
      "Query text can carry register identifiers and investigation details; without a linked storage account (dataSourceType Query) Azure Monitor keeps saved searches under Microsoft-managed keys. The embassy saves none (docs/auditor-guide.md, section 5: the decision not to link), so a saved search or query pack added later must come with the linked account.",
    remediation:
      'Remove the SavedSearch / QueryPack, or link a hardened, customer-managed-key storage account to the workspace for saved queries (a LinkedStorageAccount with `dataSourceType: "Query"`, in the workspace\'s region) before adding it; query packs are never stored in the linked account (Save as Legacy query instead).',
    source: "https://learn.microsoft.com/azure/azure-monitor/logs/customer-managed-keys#customer-managed-key-for-saved-queries-and-log-search-alerts",
  },

  // Embassy-wide rules.
  {
    id: "approved-locations",
    title: "Every location, geo-secondary and replica is an approved region abroad",
    severity: "critical",
    area: "embassy",
    cis: none,
    azurePolicy: [ap.allowedLocations, ap.allowedResourceGroupLocations],
    rationale:
      "Data residency: register data may only rest in regions the state approved, and never at home, where the embassy must survive. Azure's location policy checks `location` only; geo-pairs, replicas and restore targets copy data elsewhere.",
    remediation:
      "Deploy only to regions in `approvedRegions`; choose a host region whose geo-pair is approved too, or disable geo-redundancy and use `objectReplicationRegion`.",
  },
  {
    id: "stateful-protection",
    title: "Stateful resources are protected from deletion by Pulumi in production kinds",
    severity: "critical",
    area: "embassy",
    cis: none,
    azurePolicy: [],
    rationale:
      "`protect` makes Pulumi refuse to delete the resource group, vaults, keys, storage, backup vault and workspace. (retainOnDelete is set together with it by statefulOptions; Pulumi's analyzer protocol does not carry retainOnDelete, so the pack cannot see it.)",
    remediation: "Keep `protectResources: true` (required outside dev) and create stateful resources with `statefulOptions`.",
  },
  {
    id: "no-privileged-roles",
    title: "No role grants Owner, Contributor or User Access Administrator, and no custom role grants wildcards",
    severity: "critical",
    area: "embassy",
    cis: none,
    azurePolicy: [],
    rationale: "Standing broad roles would let one identity read registers, change keys and erase the evidence; every grant is a named, narrow role.",
    remediation: "Grant a specific built-in role (catalog/roles.ts) at the narrowest scope; custom roles list explicit actions.",
  },
  {
    id: "auditor-read-only",
    title: "Auditors get only read-only roles that expose no register data and use no keys",
    severity: "high",
    area: "embassy",
    cis: none,
    azurePolicy: [],
    rationale:
      "Third-party auditors see configuration, logs and key metadata, never register contents or cryptographic operations (Key Vault Reader's data actions only read metadata).",
    remediation: "Grant auditors (config key `auditors`) Reader, Key Vault Reader or Log Analytics Reader only, or a custom role without data actions.",
  },
  {
    id: "duty-least-privilege",
    title: "Operators, data ingest principals and key custodians hold only the roles of their duty (ingest is write-only)",
    severity: "high",
    area: "embassy",
    cis: none,
    azurePolicy: [],
    rationale:
      "Each duty gets exactly what it needs: operators operate (Reader and the Data Embassy Operator role, no data access), ingest principals only add register copies (the Data Embassy Register Writer role, which cannot read, list or delete blobs), custodians manage keys (Key Vault Crypto Officer). Anything more would let one person read registers or undo another duty's work.",
    remediation:
      "Grant operators (config key `operators`) Reader or the Data Embassy Operator custom role without data actions; data ingest principals (`dataIngestPrincipals`) the Data Embassy Register Writer custom role with only blob write and add data actions; key custodians (`keyCustodians`) Key Vault Crypto Officer. The principals reach the pack as this policy's `operators`, `dataIngestPrincipals` and `keyCustodians`.",
  },
  {
    id: "recovery-read-eligible-only",
    title: "Register reads for recovery are only PIM-eligible: Storage Blob Data Reader on one storage account",
    severity: "high",
    area: "embassy",
    cis: none,
    azurePolicy: [],
    rationale:
      "After the host region is lost somebody must read the registers' geo-secondary or replica, yet no duty holds a standing read. Recovery readers are made eligible through Entra PIM, activated per recovery or drill under the tenant's approval rules; an eligibility for any other role, or at a wider scope, would be a dormant privilege nobody reviews.",
    remediation:
      "Make recovery readers (config key `recoveryReaders`) eligible only for Storage Blob Data Reader (2a2b9908-6ea1-4ae2-8e65-a410df84e7d1), each on one account holding register copies (components/embassyGovernance recoveryReaders).",
    source: "https://learn.microsoft.com/entra/id-governance/privileged-identity-management/pim-resource-roles-assign-roles",
  },
  // Deployability: what ARM accepts, in the order it needs (catalog/phases.ts).
  {
    id: "immutability-sealed-not-created-locked",
    title: "Immutability policies are created Unlocked and locked only by the seal, which later updates leave alone",
    severity: "critical",
    area: "deployability",
    cis: none,
    azurePolicy: [],
    rationale:
      "ARM creates an account-level WORM policy only Disabled or Unlocked, and only an Unlocked policy can become Locked (irreversible): a plan that sends Locked to a fresh deployment, the first one or a DR rebuild, is rejected. Once `npm run seal` has locked a policy, an update that sends the old state would be refused or, worse, fight the seal.",
    remediation:
      "Send `Unlocked` before phase `sealed` (components/dataEmbassy/phasePlan.ts sentState) and put the sealed fields in `ignoreChanges` (storage account: immutableStorageWithVersioning.immutabilityPolicy.state and .allowProtectedAppendWrites; backup vault: properties.securitySettings.immutabilitySettings.state).",
    source: "https://learn.microsoft.com/rest/api/storagerp/storage-accounts/create#accountimmutabilitypolicystate",
  },
  {
    id: "ingest-after-seal",
    title: "No one may write register copies before the WORM policies are sealed (production stacks)",
    severity: "critical",
    area: "deployability",
    cis: none,
    azurePolicy: [],
    rationale:
      "A container's own Unlocked immutability policy overrides the account's, and blob versions written while a policy is Unlocked keep an Unlocked policy when the default changes later: data ingested before the seal could be shortened or deleted. Ingest opens only in phase `sealed`.",
    remediation:
      "Leave `data-embassy:phase` before `sealed` without ingest grants (components/dataEmbassy/phasePlan.ts openForIngest); run `npm run seal`, then set the phase to `sealed`.",
    source: "https://learn.microsoft.com/azure/storage/blobs/immutable-version-level-worm-policies",
  },
  {
    id: "backup-vault-key-through-own-identity",
    title: "A backup vault reaches the state's key through its own identity, set after the vault exists",
    severity: "critical",
    area: "deployability",
    cis: none,
    azurePolicy: [],
    rationale:
      'Microsoft: "Key vaults that limit access to specific networks are currently not supported with User-assigned managed identities for CMK encryption", and "To use CMK with system-assigned managed identity, update the vault properties after creating the vault". Infrastructure encryption can be chosen only at creation with a user-assigned identity, so it is unavailable here. A vault sent with a user-assigned key identity, or with its key in phase build, is rejected or cannot reach the key.',
    remediation:
      'Create the vault with `identity: { type: "SystemAssigned" }` and no encryptionSettings in phase build; grant its identity Key Vault Crypto Service Encryption User on the backup key; in phase keys-ready set `encryptionSettings` with `kekIdentity: { identityType: "SystemAssigned" }` and no infrastructureEncryption.',
    source: "https://learn.microsoft.com/azure/backup/encryption-at-rest-with-cmk-for-backup-vault",
  },
  {
    id: "container-worm-create-only",
    title: "Register containers' immutability policies are create-only for Pulumi",
    severity: "high",
    area: "deployability",
    cis: none,
    azurePolicy: [],
    rationale:
      "Updating or deleting a container immutability policy needs its ETag in If-Match, which the provider does not send (pulumi/pulumi-azure-native#2156): a changed retention fails with 412, and a locked policy can only be extended through its own API.",
    remediation:
      "Put `immutabilityPeriodSinceCreationInDays` and `allowProtectedAppendWrites` in the policy's `ignoreChanges` (and retain it on delete); extend retention with `az storage container immutability-policy extend` (docs/phases.md).",
    source: "https://learn.microsoft.com/rest/api/storagerp/blob-containers/lock-immutability-policy",
  },
  {
    id: "grants-awaited",
    title: "Whatever uses a role grant waits until the grant has taken effect",
    severity: "high",
    area: "deployability",
    cis: none,
    azurePolicy: [],
    rationale:
      'Microsoft: "When you assign roles or remove role assignments, it can take up to 10 minutes for changes to take effect", and a new custom role "can take a few minutes" to appear everywhere. An account or scope pointed at a key, a backup instance whose vault must read the account, or an assignment of a new custom role created right after its grant fails intermittently (403, KeyVaultAuthenticationFailure).',
    remediation:
      "Make the consumer depend on a `time:Sleep` of `roleAssignmentPropagationWait` after the grants (components/shared/propagation.ts propagationWait).",
    source: "https://learn.microsoft.com/azure/role-based-access-control/troubleshooting",
  },
  {
    id: "vaulted-retention-within-bounds",
    title: "Vaulted blob backup retention stays within Microsoft's bounds",
    severity: "high",
    area: "deployability",
    cis: none,
    azurePolicy: [],
    rationale:
      "Microsoft's vaulted blob backup template bounds retention at daily 7–3650 days, weekly 4–521 weeks, monthly 5–116 months and yearly 1–10 years; a policy outside them is not one Microsoft documents as accepted.",
    remediation: "Keep `backup*Retention*` within the bounds (catalog/limits.ts vaultedBlobLimits; the settings refuse anything else).",
    source: "https://learn.microsoft.com/azure/backup/blob-backup-support-matrix",
  },
  {
    id: "backup-instance-container-limit",
    title: "Every vaulted blob backup instance protects between 1 and 100 containers",
    severity: "high",
    area: "deployability",
    cis: none,
    azurePolicy: [],
    rationale:
      "Azure's vaulted blob backup protects one storage account per backup instance and at most 100 of its containers, and needs at least one: an instance listing more is refused, and registers beyond the 100th would have no vaulted copy. The embassy puts registers beyond an account's share into further storage-account shards, each with its own instance.",
    remediation:
      "Keep each account at most `registersPerShard` (≤ 100) registers: leave `registers[].shard` unset so registers fill further shards, or pin them to a shard with room (docs/scale.md).",
    source: "https://learn.microsoft.com/azure/backup/blob-backup-support-matrix",
  },
  {
    id: "no-archive-tier",
    title: "No lifecycle rule moves register blobs to the Archive tier",
    severity: "high",
    area: "deployability",
    cis: none,
    azurePolicy: [],
    rationale:
      "A blob that uses an encryption scope cannot be moved to Archive (every register has its own scope), vaulted blob backup does not support Archive, and object replication fails for archived blobs: an Archive rule would either fail or silently take registers out of their copies.",
    remediation: "Tier registers to Cold at most (`tierToColdAfterDays`); `tierToArchiveAfterDays` is refused by the settings.",
    source: "https://learn.microsoft.com/azure/storage/blobs/encryption-scope-overview",
  },
  {
    id: "private-endpoints-protected",
    title: "Private endpoints of production stacks are protected from replacement",
    severity: "medium",
    area: "deployability",
    cis: none,
    azurePolicy: [],
    rationale:
      "A CanNotDelete lock on a storage account or Key Vault is inherited by its private endpoint connections, so deleting or replacing an endpoint fails with ScopeLocked half-way through an update (terraform-azurerm#17478): Pulumi must refuse up front, and the lock is lifted on purpose (docs/networking.md).",
    remediation:
      "Give private endpoints `protect` and `retainOnDelete` wherever stateful resources are protected (components/embassyNetwork/privateEndpoint.ts).",
    source: "https://learn.microsoft.com/azure/azure-resource-manager/management/lock-resources",
  },
] as const satisfies readonly Control[];

/** Id of a control in the catalog. */
export type ControlId = (typeof controlList)[number]["id"];

/** Every control, in catalog order. */
export const controls: readonly Control[] = controlList;

/** Controls keyed by id. */
export const controlsById: ReadonlyMap<string, Control> = new Map(controls.map((c) => [c.id, c]));

/** Name of the policy pack (PulumiPolicy.yaml and the analyzer report it). */
export const packName = "data-embassy-baseline";
