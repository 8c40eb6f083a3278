/** KeyCustody's defaults: the component applies them to omitted arguments, the settings schema to omitted keys. */
export const keyCustodyDefaults = {
  keyManagement: "keyVault",
  /** RSA-HSM bits; 2048 is too weak for long-lived archives. */
  keySize: 4096,
  keyExpiryDays: 730,
  keyRotationDays: 365,
  keyNotifyBeforeExpiryDays: 30,
  recoverSoftDeletedVault: false,
  /** The backup vault's key: every embassy has a backup vault; a register-shard stack uses its core's. */
  backupKey: true,
} as const;
