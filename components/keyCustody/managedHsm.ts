/**
 * Managed HSM mode: what stays manual. Azure Resource Manager only creates the HSM pool; its
 * activation (the security domain), its keys and its local RBAC are data-plane operations that
 * azure-native cannot express, and that the state's officers should perform in person anyway.
 * docs/key-ceremony.md is the runbook; these strings are its checklist, stated in the plan.
 */

/** Everything the checklist needs to name, resolved. */
export interface ManagedHsmCeremonyFacts {
  /** Managed HSM pool name. */
  readonly hsmName: string;
  /** Initial administrators (security-domain officers). */
  readonly admins: readonly string[];
  /** Key custodians (Entra object ids) who create and rotate the keys. */
  readonly custodians: readonly string[];
  /** Keys the storage identity uses: account key first, then one per register. */
  readonly storageKeyNames: readonly string[];
  /** Key the backup vault uses (through its own identity, granted as EmbassyBackup prints); none without a backup key. */
  readonly backupKeyName?: string;
  /** Principal id of the storage encryption identity. */
  readonly storagePrincipalId: string;
  /** Principal id of the standby storage identity in the host's geo-pair, when there is one. */
  readonly standbyPrincipalId?: string;
  readonly keySize: number;
  readonly keyExpiryDays: number;
  readonly keyRotationDays: number;
  readonly keyNotifyBeforeExpiryDays: number;
}

/** The HSM's local-RBAC grant that lets `principalId` wrap and unwrap with `key`. */
export const grantCommand = (hsm: string, principalId: string, key: string) =>
  `az keyvault role assignment create --hsm-name ${hsm} --role "Managed HSM Crypto Service Encryption User" ` +
  `--assignee-object-id ${principalId} --assignee-principal-type ServicePrincipal --scope /keys/${key}`;

/** The manual steps that remain after `pulumi up` in managedHsm mode, in the order they must happen. */
export function managedHsmManualSteps(f: ManagedHsmCeremonyFacts): string[] {
  const hsm = f.hsmName;
  const allKeys = [...f.storageKeyNames, ...(f.backupKeyName === undefined ? [] : [f.backupKeyName])];
  const custodians =
    f.custodians.length === 0
      ? "no key custodians are configured (set keyCustodians first)"
      : `for each key custodian (${f.custodians.join(", ")}): az keyvault role assignment create --hsm-name ${hsm} --role "Managed HSM Crypto User" --assignee-object-id <custodian> --scope /keys`;
  return [
    `Activate Managed HSM ${hsm} in the security-domain ceremony (docs/key-ceremony.md): the ${f.admins.length} administrators ` +
      `(${f.admins.join(", ")}) bring their offline RSA wrapping certificates and run ` +
      `az keyvault security-domain download --hsm-name ${hsm} --sd-wrapping-keys <cert_1.cer … cert_N.cer> --sd-quorum <M> --security-domain-file ${hsm}-SD.json ` +
      `from a workstation on the embassy's private network. Until then the HSM holds no keys and cannot serve storage.`,
    `Administrators grant the key custodians key management on ${hsm} (local RBAC, not Azure RBAC): ${custodians}.`,
    `Custodians create ${allKeys.length} RSA-HSM keys on ${hsm} with az keyvault key create --hsm-name ${hsm} --name <key> --kty RSA-HSM ` +
      `--size ${f.keySize} --ops wrapKey unwrapKey --expires <creation + ${f.keyExpiryDays} days>, then ` +
      `az keyvault key rotation-policy update --hsm-name ${hsm} --name <key> --value <policy: rotate P${f.keyRotationDays}D after creation, ` +
      `notify P${f.keyNotifyBeforeExpiryDays}D before expiry, expiryTime P${f.keyExpiryDays}D>; keys: ${allKeys.join(", ")}.`,
    `Before storage encryption is switched to these keys, let the storage identity (principal ${f.storagePrincipalId}) use exactly its keys: ` +
      `${grantCommand(hsm, f.storagePrincipalId, "<key>")} for each of ${f.storageKeyNames.join(", ")}` +
      (f.standbyPrincipalId === undefined
        ? "."
        : `, and the same for the standby identity in the geo-pair (principal ${f.standbyPrincipalId}): ${grantCommand(hsm, f.standbyPrincipalId, "<key>")}.`),
    `Take the first full backup (az keyvault backup start --hsm-name ${hsm} …) and file its location with the hashes of the ` +
      `security-domain file and wrapping certificates in the signed ceremony minutes.`,
  ];
}
