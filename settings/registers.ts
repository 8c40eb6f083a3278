import { z } from "zod";

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

/** Default access tier of new blobs in the register's container. */
export const accessTiers = ["Hot", "Cool", "Cold"] as const;

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
      .describe("Put a legal hold on the container (blobs cannot be deleted until it is cleared). The embassy leaves such a register out of the vaulted backup."),
    accessTier: z.enum(accessTiers).default("Cool").describe("Default tier of new blobs: `Hot`, `Cool` or `Cold`."),
    tierToColdAfterDays: days("tierToColdAfterDays", 36500).optional().describe("Days after last modification to move blobs to Cold."),
    tierToArchiveAfterDays: days("tierToArchiveAfterDays", 36500)
      .optional()
      .describe(
        "Refused for every register, legal hold or not: Azure cannot move a blob that uses an encryption scope to Archive, and each register has its own. A backed-up register (every one not under legal hold, on a paired host) would also drop out of vaulted backup, which has no Archive tier, and an object-replicated one (every register on a host without a geo-pair) out of replication; RA-GZRS/ZRS accounts have no Archive tier at all. Use tierToColdAfterDays.",
      ),
  })
  .strict();

/** One register as the components see it (defaults applied). */
export type Register = z.output<typeof registerSchema>;
