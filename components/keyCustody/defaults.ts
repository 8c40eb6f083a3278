/** KeyCustody's defaults: the component applies them to omitted arguments, the settings schema to omitted keys. */
export const keyCustodyDefaults = {
  keyManagement: "keyVault",
  /** RSA-HSM bits; 2048 is too weak for long-lived archives. */
  keySize: 4096,
  keyExpiryDays: 730,
  keyRotationDays: 365,
  keyNotifyBeforeExpiryDays: 30,
  recoverSoftDeletedVault: false,
} as const;
