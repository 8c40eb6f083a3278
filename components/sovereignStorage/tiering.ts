import type { Register } from "../../settings/registers";
import { ArgumentProblem, problem } from "../shared/argumentProblems";
import type { Redundancy } from "./redundancy";

/**
 * Why a register's blobs cannot be moved to the Archive tier. One owner for the reasons: the
 * settings' cross-key rules (which know which registers are backed up) and SovereignStorage's own
 * argument check (which knows its account) both ask here.
 *
 * Sources (MicrosoftDocs/azure-docs):
 * - articles/storage/blobs/encryption-scope-overview.md (ms.date 03/10/2025): "When you upload a
 *   new blob with an encryption scope, you cannot change the default access tier for that blob. You
 *   also cannot set the access tier to the **archive** tier for an existing blob that uses an
 *   encryption scope." — and access-tiers-overview.md: "You can't use Set Blob Tier to archive a
 *   blob that uses an encryption scope. You can only use Set Blob Tier to move between online
 *   access tiers." (a lifecycle rule tiers by Set Blob Tier). Every register's container has its
 *   own default encryption scope, overrides denied, so this alone rules Archive out for all of them.
 * - articles/backup/blob-backup-support-matrix.md, vaulted backup tab
 *   (learn.microsoft.com/azure/backup/blob-backup-support-matrix?tabs=vaulted-backup): "Archive tier
 *   blob backup isn't supported. Cool and cold tier blobs are restored in hot tier."
 * - articles/storage/blobs/object-replication-overview.md: "object replication will fail if a blob
 *   in either the source or destination account has been moved to the archive tier."
 * - articles/storage/blobs/access-tiers-overview.md: "Only storage accounts that are configured for
 *   LRS, GRS, or RA-GRS support moving blobs to the archive tier. The archive tier isn't supported
 *   for ZRS, GZRS, or RA-GZRS accounts."
 */

/** Account SKUs on which Azure can archive a blob at all. */
export const archiveCapableSkus: readonly string[] = ["Standard_LRS", "Standard_GRS", "Standard_RAGRS"];

/** What is known about where a register's container lives and who copies it. */
export interface ArchiveSituation {
  /** The container is protected by vaulted blob backup (in the embassy: every register not under legal hold). */
  readonly backedUp?: boolean;
  /** The container is an object-replication source (in the embassy: every register on a host without a geo-pair). */
  readonly replicated?: boolean;
  /** SKU of the account that holds the container, when known. */
  readonly sku?: Redundancy["sku"];
}

/**
 * Every reason, most fundamental first, why Azure cannot archive the blobs of a register's
 * container. Never empty for an embassy register: its blobs use an encryption scope.
 */
export function archiveBlockers(situation: ArchiveSituation): string[] {
  const reasons = [
    "its blobs use the register's own encryption scope, and Azure cannot move a blob that uses an encryption scope to Archive (lifecycle rules and Set Blob Tier only move such blobs between online tiers)",
  ];
  if (situation.backedUp === true) {
    reasons.push("it is backed up, and vaulted blob backup does not support the Archive tier (archived blobs would silently drop out of the recovery points)");
  }
  if (situation.replicated === true) {
    reasons.push("it is object-replicated, and object replication fails for a blob moved to Archive (the replica would silently stop following it)");
  }
  if (situation.sku !== undefined && !archiveCapableSkus.includes(situation.sku)) {
    reasons.push(`the account is ${situation.sku}, and Azure supports Archive on LRS, GRS and RA-GRS accounts only`);
  }
  return reasons;
}

/** One sentence for a config or argument error: the reasons, and what works instead. */
export function archiveRefusal(situation: ArchiveSituation): string {
  const reasons = archiveBlockers(situation);
  const listed = reasons.length === 1 ? reasons[0] : reasons.map((r, i) => `(${i + 1}) ${r}`).join("; ");
  return `cannot be honoured — Azure cannot archive this register: ${listed}. Remove it: tierToColdAfterDays is the coldest tier that works (Cold is an online tier; vaulted backup keeps Cold blobs and restores them to Hot)`;
}

/**
 * SovereignStorage's own check: every register that asks for Archive, refused with what the
 * component knows (its account's SKU and whether it object-replicates). Whether a register is
 * backed up is the embassy's business (settings/crossKeyRules.ts); the encryption scope alone
 * already rules Archive out.
 */
export function archiveProblems(registers: readonly Register[], redundancy: Redundancy): ArgumentProblem[] {
  return registers.flatMap((r, i) =>
    r.tierToArchiveAfterDays === undefined
      ? []
      : [problem(`registers[${i}].tierToArchiveAfterDays`, archiveRefusal({ replicated: redundancy.replicaRegion !== undefined, sku: redundancy.sku }))],
  );
}
