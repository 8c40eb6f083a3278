import { z } from "zod";
import { storageAccountLimits } from "../catalog/limits";

/**
 * A register is one of the state's critical databases (population, land, business …) whose copy
 * the embassy keeps. Its name becomes a blob container, an encryption scope and a Key Vault key
 * name, so it must satisfy the strictest of those rules.
 */

/** Lower-case letters, digits and single hyphens; starts with a letter; 3–24 characters. */
export const registerNamePattern = /^[a-z](?!.*--)[a-z0-9-]{1,22}[a-z0-9]$/;

/** Data classification, highest last. Drives container metadata and reports. */
export const classifications = ["public", "internal", "confidential", "restricted"] as const;

/** How a register's container is write-protected (WORM). */
export const immutabilityModes = ["none", "unlocked", "locked"] as const;

/**
 * A register field that no longer exists. Kept in the schema only so that a stack still setting it
 * is told why (`registers[i].<field>: was removed: …`) rather than given an unknown-key error.
 */
const removedField = (why: string) =>
  z
    .never({ error: `was removed: ${why}` })
    .optional()
    .describe(`Removed (setting it is a configuration error): ${why}`);

/**
 * Why `accessTier` went (audit F26): it was never applied, and cannot be. A blob container has no
 * access tier; "Storage accounts have a default access tier setting that indicates the online tier
 * in which a new blob is created" — one per account, and the embassy's account holds every
 * register (MicrosoftDocs/azure-docs articles/storage/blobs/access-tiers-overview.md). A writer
 * could still pick a tier per upload, but not here: "When you upload a new blob with an encryption
 * scope, you cannot change the default access tier for that blob" (encryption-scope-overview.md),
 * and every register's container enforces its own scope. A lifecycle rule moving new blobs to Cool
 * is not a default tier either (blobs are written Hot and moved later, once a day at best).
 */
const accessTierRemoved =
  "a blob container has no access tier — new blobs take the storage account's default tier (one for every register), and a blob written under an encryption scope, as every register's is, cannot choose another. Delete the line; tierToColdAfterDays moves a register's blobs to Cold.";

const days = (what: string, max: number) =>
  z
    .number({ error: `${what} must be a whole number of days` })
    .int(`${what} must be a whole number of days`)
    .min(1, `${what} must be at least 1 day`)
    .max(max, `${what} can be at most ${max} days`);

/** Schema of one entry of the `registers` config list. */
export const registerSchema = z
  .object({
    name: z
      .string({ error: "name is required" })
      .regex(
        registerNamePattern,
        "name must be 3–24 characters: lower-case letters, digits and single hyphens, starting with a letter and ending with a letter or digit (it becomes a container and key name)",
      )
      .describe("3–24 lower-case letters, digits and single hyphens, starting with a letter."),
    description: z.string({ error: "description is required" }).min(1, "description must not be empty").describe("What the register holds."),
    owner: z.string().min(1).optional().describe("Authority that keeps the register, e.g. `Ministry of the Interior`."),
    classification: z.enum(classifications).default("confidential").describe("`public`, `internal`, `confidential` or `restricted`."),
    retentionDays: days("retentionDays", 146000).default(3650).describe("1–146000: immutability period of the register's container, in days."),
    immutability: z
      .enum(immutabilityModes)
      .default("unlocked")
      .describe("`none`, `unlocked` or `locked` (container WORM policy; `locked` needs acknowledgeIrreversibleLock)."),
    legalHold: z
      .boolean()
      .default(false)
      .describe(
        "Put a legal hold on the container (blobs cannot be deleted until it is cleared). The embassy leaves such a register out of the vaulted backup.",
      ),
    shard: z
      .number({ error: "shard must be a whole number" })
      .int("shard must be a whole number")
      .min(0, "shard must be 0 or more")
      .max(
        storageAccountLimits.maxShards - 1,
        `shard can be at most ${storageAccountLimits.maxShards - 1} (at most ${storageAccountLimits.maxShards} storage-account shards)`,
      )
      .optional()
      .describe(
        "Storage-account shard (0 = the first account) that holds the register's container. Unset: the first shard with room, in declaration order (docs/scale.md). Pin it before removing or reordering registers.",
      ),
    accessTier: removedField(accessTierRemoved),
    tierToColdAfterDays: days("tierToColdAfterDays", 36500).optional().describe("Days after last modification to move blobs to Cold."),
    tierToArchiveAfterDays: days("tierToArchiveAfterDays", 36500)
      .optional()
      .describe(
        "Refused for every register, legal hold or not: Azure cannot move a blob that uses an encryption scope to Archive, and each register has its own. A backed-up register (every one not under legal hold) would also drop out of vaulted backup, which has no Archive tier, and an object-replicated one (every register on a host without a geo-pair) out of replication; RA-GZRS/ZRS accounts have no Archive tier at all. Use tierToColdAfterDays.",
      ),
    sizeGiB: z
      .number({ error: "sizeGiB must be a number of GiB" })
      .positive("sizeGiB must be more than 0 GiB")
      .max(5 * 1024 * 1024, "sizeGiB can be at most 5242880 GiB (5 PiB, a storage account's default capacity)")
      .optional()
      .describe(
        "Size of the register's data in GiB, for planning only (no resource reads it): the plan's RTO adds a data-restore estimate from Microsoft's published storage ingress targets (tools/analysis/restoreEstimate.ts).",
      ),
  })
  .strict();

/** One register as the components see it (defaults applied). */
export type Register = z.output<typeof registerSchema>;
