/**
 * Built-in Azure RBAC role definition ids the embassy uses (GUIDs are the same in every tenant).
 * Source: Microsoft "Azure built-in roles". Owner, Contributor and User Access Administrator are
 * listed only so policies and tests can refuse them.
 */
export const builtInRoles = {
  owner: "8e3af657-a8ff-443c-a75c-2fe8c4bcb635",
  contributor: "b24988ac-6180-42a0-ab88-20f7382dd24c",
  userAccessAdministrator: "18d7d88d-d35e-4fb5-a5c3-7773c20a72d9",
  reader: "acdd72a7-3385-48ef-bd42-f606fba81ae7",
  keyVaultCryptoOfficer: "14b46e9e-c2b7-41b4-b07b-48a6ebf60603",
  keyVaultCryptoServiceEncryptionUser: "e147488a-f6f5-4113-8e2d-b22465e65bf6",
  /** Encrypt/decrypt with a key: granted only by the state backend (stack secrets), never by the embassy. */
  keyVaultCryptoUser: "12338af0-0e69-4776-bea7-57ae8d297424",
  keyVaultReader: "21090545-7ca7-4776-b22c-e363652d74d2",
  storageAccountBackupContributor: "e5e2a7ff-d759-4cd2-bb51-3152d37e2eb1",
  storageBlobDataContributor: "ba92f5b4-2d11-453d-a403-e96b0029c9fe",
  /** Read blobs: only ever *eligible* (recovery readers, through PIM) or granted per restore by the restore administrator. */
  storageBlobDataReader: "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1",
  logAnalyticsReader: "73c42c96-874c-492b-b04d-ab87d138a893",
} as const;

/** Role definition GUIDs that must never be granted by the embassy. */
export const forbiddenRoles: readonly string[] = [builtInRoles.owner, builtInRoles.contributor, builtInRoles.userAccessAdministrator];

/** Names of the embassy's custom roles (components/embassyGovernance/access.ts defines their permissions). */
export const customRoleNames = {
  registerWriter: "Data Embassy Register Writer",
  operator: "Data Embassy Operator",
} as const;

/**
 * Keys of the embassy's custom roles: a definition's GUID is derived from its resource group's id
 * and the key (components/embassyGovernance/access.ts stableGuid), so the policy pack recognises an
 * assignment of a role defined in another stack of the same resource group (a register-shard stack
 * assigns its core's register writer role).
 */
export const customRoleKeys = {
  registerWriter: "register-writer",
  operator: "operator",
} as const;
