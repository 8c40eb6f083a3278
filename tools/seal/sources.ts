/**
 * The Microsoft statements the seal relies on, each with where it is published. They are printed by
 * the dry run and copied into the evidence, so a reviewer can check every reason against its source.
 * Quotes are verbatim; the same texts are in the installed SDK's own types
 * (node_modules/@azure/arm-storage/dist/commonjs/models/models.d.ts and classic/blobContainers/index.d.ts).
 */

/** A published statement and where to read it. */
export interface Source {
  readonly title: string;
  readonly url: string;
  /** The statement, quoted. */
  readonly quote: string;
}

/** Account-level version-level WORM: created Disabled/Unlocked, locked later, never unlocked (audit F1). */
export const accountPolicyIrreversible: Source = {
  title: "Azure Storage management API — AccountImmutabilityPolicy.State",
  url: "https://learn.microsoft.com/dotnet/api/azure.resourcemanager.storage.models.accountimmutabilitypolicy.state",
  quote:
    "A policy can only be created in a Disabled or Unlocked state and can be toggled between the two states. Only a policy in an Unlocked state can transition to a Locked state which cannot be reverted.",
};

/** Container policies: the lock needs the policy's ETag; a locked policy can only be extended (audit F6). */
export const containerLockNeedsEtag: Source = {
  title: "Storage Resource Provider REST API — Blob Containers: Lock Immutability Policy",
  url: "https://learn.microsoft.com/rest/api/storagerp/blob-containers/lock-immutability-policy",
  quote:
    "Sets the ImmutabilityPolicy to Locked state. The only action allowed on a Locked policy is ExtendImmutabilityPolicy action. ETag in If-Match is required for this operation.",
};

/** What Locked means for a time-based retention policy, and how soon Microsoft asks for the lock. */
export const lockedOnlyExtendable: Source = {
  title: "Time-based retention policies for immutable blob data — Locked versus unlocked policies",
  url: "https://learn.microsoft.com/azure/storage/blobs/immutable-time-based-retention-policy-overview#locked-versus-unlocked-policies",
  quote:
    "You cannot delete a locked time-based retention policy. You can extend the retention period, but you cannot decrease it. […] Microsoft recommends that you lock the policy in a reasonable amount of time, typically less than 24 hours.",
};

/** Why an Unlocked container policy defeats the account's WORM (audit F5). */
export const unlockedDefaultInherited: Source = {
  title: "Time-based retention policies for immutable blob data — Configure a policy on the current version",
  url: "https://learn.microsoft.com/azure/storage/blobs/immutable-time-based-retention-policy-overview#configure-a-policy-on-the-current-version",
  quote:
    "If the default time-based retention policy for the account or container is unlocked, then the current version of a blob that inherits the default policy will also have an unlocked policy.",
};

/** Backup vault immutability: Enabled (Unlocked) can be disabled; Enabled and locked cannot (audit F19). */
export const backupVaultLockIrreversible: Source = {
  title: "Immutable vault for Azure Backup — Making immutability irreversible",
  url: "https://learn.microsoft.com/azure/backup/backup-azure-immutable-vault-concept#making-immutability-irreversible",
  quote:
    "As the Immutable vault setting is now locked, it can't be disabled. Note that immutability locking is irreversible, so ensure that you take a well-informed decision when opting to lock.",
};
