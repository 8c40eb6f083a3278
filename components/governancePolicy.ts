/**
 * The Azure Policy baseline the embassy assigns to its resource group: the same controls the
 * policy pack checks before deployment, enforced (or audited) by Azure after it, against changes
 * made outside Pulumi. Data only; governance.ts creates the assignments.
 *
 * GUIDs, parameters and allowed effects are copied from Microsoft's built-in definitions
 * (Azure/azure-policy, commit f4a50bacae07ddb096943c597669bcae494a6e29,
 * `built-in-policies/policyDefinitions/`); the data-residency initiative from the Azure Landing
 * Zones library (`platform/slz/policy_assignments/Enforce-Sov-L1-Regions`).
 */

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
}

/** One built-in definition (or initiative) of the baseline. */
export interface BaselinePolicy {
  /** Names the assignment; the control id in the catalog (policy/catalog.ts) unless `control` says otherwise. */
  readonly key: string;
  /** Catalog control the assignment gives evidence for, when it differs from `key`. */
  readonly control?: string;
  readonly guid: string;
  readonly displayName: string;
  readonly kind: "definition" | "initiative";
  /** Values the definition's effect parameter allows, from its JSON. */
  readonly allowedEffects: readonly string[];
  /** Name of that parameter (default `effect`). */
  readonly effectParameter?: string;
  /**
   * Preview definitions are never assigned with Deny: Microsoft may change them without notice,
   * and a changed Deny rule could block the embassy's own deployment, or a DR rebuild.
   */
  readonly preview?: boolean;
  /** Definition version to pin (initiatives that exist only in preview versions). */
  readonly definitionVersion?: string;
  /** Parameters besides the effect. */
  readonly parameters?: (inputs: BaselineInputs) => Record<string, unknown>;
}

const auditDeny = ["Audit", "Deny", "Disabled"];
const auditOnly = ["Audit", "Disabled"];
const auditIfNotExists = ["AuditIfNotExists", "Disabled"];
const locations = (i: BaselineInputs) => ({ listOfAllowedLocations: [...i.approvedRegions] });

const policy = (key: string, guid: string, displayName: string, allowedEffects: readonly string[], extra: Partial<BaselinePolicy> = {}): BaselinePolicy => ({
  key,
  guid,
  displayName,
  kind: "definition",
  allowedEffects,
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
  policy("allowed-locations", "e56962a6-4747-49cd-b67b-bf8b01975c4c", "Allowed locations", auditDeny, {
    control: "allowed-locations-assignment",
    parameters: locations,
  }),
  // Built for subscription scope, where it stops new resource groups outside the approved regions.
  // At resource-group scope it can only judge the embassy's own group, whose location is fixed at
  // creation: it is evidence here, and the platform team should also assign it on the subscription.
  policy("allowed-locations-rg", "e765b5de-1225-4ba3-bd56-1ac6695af988", "Allowed locations for resource groups", auditDeny, {
    control: "allowed-locations-assignment",
    parameters: locations,
  }),
  {
    key: "data-residency",
    control: "data-residency-assignment",
    guid: "bebfcba2-e789-4da6-9043-726ef3a00d02",
    displayName: "Sovereignty: enforce data residency across Azure services",
    kind: "initiative",
    allowedEffects: auditDeny,
    preview: true,
    definitionVersion: "1.*.*-preview",
    parameters: locations,
  },

  // Storage accounts.
  policy("storage-https-only", "404c3081-a854-4457-ae30-26a93ef643f9", "Secure transfer to storage accounts should be enabled", auditDeny),
  policy("storage-tls-minimum", "fe83a0eb-a853-422d-aac2-1bffd182c5d0", "Storage accounts should have the specified minimum TLS version", auditDeny, {
    parameters: () => ({ minimumTlsVersion: "TLS1_2" }),
  }),
  policy("storage-public-network-disabled", "b2982f36-99f2-4db5-8eff-283140c09693", "Storage accounts should disable public network access", auditDeny),
  policy("storage-firewall-default-deny", "34c877ad-507e-4c82-993e-3452a6e0ad3c", "Storage accounts should restrict network access", auditDeny),
  policy("storage-trusted-services-bypass", "c9d007d0-c057-4772-b18c-01e546713bcd", "Storage accounts should allow access from trusted Microsoft services", auditDeny),
  policy("storage-private-endpoint", "6edd7eda-6dd8-40f7-810d-67160c639cd9", "Storage accounts should use private link", auditIfNotExists),
  policy("storage-no-anonymous-access", "4fa4b6c0-31ca-4c0d-b10d-24b96f62a751", "Storage account public access should be disallowed", auditDeny),
  policy("storage-shared-key-disabled", "8c6a50c6-9ffd-4ae7-986f-5fa6111f9a54", "Storage accounts should prevent shared key access", auditDeny),
  policy("storage-cross-tenant-replication-disabled", "92a89a79-6c52-4a7e-a03f-61306fc49312", "Storage accounts should prevent cross tenant object replication", auditDeny),
  policy("storage-customer-managed-key", "6fac406b-40ca-413b-bf8e-0bf964659c25", "Storage accounts should use customer-managed key for encryption", auditOnly),
  policy("storage-infrastructure-encryption", "4733ea7b-a883-42fe-8cac-97454c2a9e4a", "Storage accounts should have infrastructure encryption", auditDeny),
  policy("encryption-scope-customer-managed-key", "b5ec538c-daa0-4006-8596-35468b9148e8", "Storage account encryption scopes should use customer-managed keys to encrypt data at rest", auditDeny),
  policy("encryption-scope-double-encryption", "bfecdea6-31c4-4045-ad42-71b9dc87247d", "Storage account encryption scopes should use double encryption for data at rest", auditDeny),
  // Audit only: a host without a geo-pair uses a non-geo SKU plus object replication, which this
  // built-in reports as non-compliant (the policy pack accepts it).
  policy("storage-geo-redundant", "bf045164-79ba-4215-8f95-f8048dc1780b", "Geo-redundant storage should be enabled for Storage Accounts", auditOnly),
  policy("blob-versioning", "c36a325b-ae04-4863-ad4f-19c6678f8e08", "Configure your Storage account to enable blob versioning", auditDeny),
  // AuditIfNotExists, not DeployIfNotExists: the embassy creates the setting itself, and a
  // remediation identity would need write rights on every storage account.
  policy("blob-logging", "b4fe1a3b-0715-4c6c-a5ea-ffc33cf823cb", "Configure diagnostic settings for Blob Services to Log Analytics workspace", ["DeployIfNotExists", "AuditIfNotExists", "Disabled"], {
    parameters: (i) => ({ logAnalytics: i.workspaceId, profileName: i.blobDiagnosticSettingName, logsEnabled: true, metricsEnabled: true }),
  }),

  // Key Vault and keys.
  policy("kv-purge-protection", "0b60c0b2-2dc2-4e1c-b5c9-abbed971de53", "Key vaults should have deletion protection enabled", auditDeny),
  policy("kv-soft-delete", "1e66c121-a66a-4b1f-9b83-0fd99bf0fc2d", "Key vaults should have soft delete enabled", auditDeny),
  policy("kv-rbac", "12d4fa5e-1f9f-4c21-97a9-b99b3c6611b5", "Azure Key Vault should use RBAC permission model", auditDeny),
  policy("kv-public-network-disabled", "405c5871-3e91-4644-8a63-58e19d68ff5b", "Azure Key Vault should disable public network access", auditDeny),
  policy("kv-firewall-default-deny", "55615ac9-af46-4a59-874e-391cc3dfb490", "Azure Key Vault should have firewall enabled or public network access disabled", auditDeny),
  // Its `effect` parameter is deprecated (Deny would block every new vault, which cannot have its
  // private endpoint yet); `audit_effect` is the one the rule reads.
  policy("kv-private-endpoint", "a6abeaec-4d90-4a02-805f-6b26c4d3fbe9", "Azure Key Vaults should use private link", auditOnly, { effectParameter: "audit_effect" }),
  policy("keys-hsm-backed", "587c79fe-dd04-4a5e-9d0b-f89598c7261b", "Keys should be backed by a hardware security module (HSM)", auditDeny),
  policy("keys-expiry", "152b15f7-8e1f-4c1f-ab71-8c010ba5dbc0", "Key Vault keys should have an expiration date", auditDeny),
  policy("keys-rotation", "d8cf8476-a2ec-4916-896e-992351803c44", "Keys should have a rotation policy ensuring that their rotation is scheduled within the specified number of days after creation.", auditOnly, {
    parameters: (i) => ({ maximumDaysToRotate: i.keyRotationDays }),
  }),
  policy("kv-audit-logs", "cf820ca0-f99e-4f3e-84fb-66e913812d21", "Resource logs in Key Vault should be enabled", auditIfNotExists),

  // Backup vault (all preview, hence audited).
  policy("backup-soft-delete", "9798d31d-6028-4dee-8643-46102185c016", "[Preview]: Soft delete should be enabled for Backup Vaults", auditOnly, {
    preview: true,
    parameters: () => ({ checkAlwaysOnSoftDeleteOnly: true }),
  }),
  policy("backup-immutability", "2514263b-bc0d-4b06-ac3e-f262c0979018", "[Preview]: Immutability must be enabled for backup vaults", auditOnly, {
    preview: true,
    parameters: (i) => ({ checkLockedImmutabiltyOnly: i.lockedBackupImmutability }),
  }),
  policy("backup-customer-managed-key", "d6588149-9f06-462c-a076-56aece45b5ba", "[Preview]: Azure Backup Vaults should use customer-managed keys for encrypting backup data", auditDeny, {
    preview: true,
    parameters: () => ({ checkInfrastructureEncryption: true }),
  }),
  policy("backup-multi-user-authorization", "c58e083e-7982-4e24-afdc-be14d312389e", "[Preview]: Multi-User Authorization (MUA) must be enabled for Backup Vaults", auditOnly, { preview: true }),
  policy("blobs-backed-up", "4510daf9-5abc-4d7d-a11d-d84416b814f6", "[Preview]: Azure Backup should be enabled for Blobs in Storage Accounts", auditIfNotExists, { preview: true }),

  // Network.
  policy("nsg-on-subnets", "e71308d3-144b-4262-b144-efdc3cc90517", "Subnets should be associated with a Network Security Group", auditIfNotExists),
];

/**
 * The effect a definition is assigned with: the enforcement asked for when the definition allows
 * it, else the strongest audit it allows. Never DeployIfNotExists or Modify (they need a
 * remediation identity with write rights), never Disabled.
 */
export function effectFor(definition: BaselinePolicy, enforcement: Enforcement): string {
  const preference = enforcement === "Deny" && definition.preview !== true ? ["Deny", "Audit", "AuditIfNotExists"] : ["Audit", "AuditIfNotExists"];
  const effect = preference.find((e) => definition.allowedEffects.includes(e));
  if (effect === undefined) {
    throw new Error(`${definition.displayName} (${definition.guid}) allows no Deny or Audit effect (${definition.allowedEffects.join(", ")})`);
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
