/**
 * Azure's documented limits that the embassy's settings, components and policy pack all check
 * against. One owner per number: the settings schema, the component argument checks and the pack
 * read them from here.
 */

/** An inclusive range. */
export interface Range {
  readonly min: number;
  readonly max: number;
}

/**
 * Data Protection backup vault and vaulted blob backup. Sources: "Support matrix for Azure Blobs
 * backup" and "Overview of Azure Blob backup" (vaulted backups are kept at most 10 years), "Soft
 * delete for Backup vaults" (14–180 days). The container limit is the support matrix's, vaulted
 * backup tab: "You can back up storage accounts with up to 100 containers. You can also select a
 * subset of containers to back up (up to 100 containers)", and the account "must contain a minimum
 * of 1 container" (https://learn.microsoft.com/azure/backup/blob-backup-support-matrix,
 * MicrosoftDocs/azure-docs articles/backup/blob-backup-support-matrix.md). A backup instance is one
 * storage account, so the embassy shards its registers over accounts of at most 100 (settings/shards.ts).
 *
 * Retention bounds of the vault tier are Microsoft's own vaulted blob backup template, the one
 * "Azure Backup automation" (learn.microsoft.com/azure/backup/backup-support-automation) links for
 * blobs: Azure/azure-quickstart-templates
 * quickstarts/microsoft.dataprotection/backup-create-storage-account-enable-protection/main.bicep —
 * `vaultTierDefaultRetentionInDays @minValue(7) @maxValue(3650)`, `vaultTierWeeklyRetentionInWeeks
 * @minValue(4) @maxValue(521)`, `vaultTierMonthlyRetentionInMonths @minValue(5) @maxValue(116)`,
 * `vaultTierYearlyRetentionInYears @minValue(1) @maxValue(10)`. The support matrix's maxima are
 * looser (120 months); the template's are the ones Microsoft deploys with, so the embassy keeps to them.
 */
export const vaultedBlobLimits = {
  softDeleteDays: { min: 14, max: 180 },
  dailyRetentionDays: { min: 7, max: 3650 },
  weeklyRetentionWeeks: { min: 4, max: 521 },
  monthlyRetentionMonths: { min: 5, max: 116 },
  yearlyRetentionYears: { min: 1, max: 10 },
  containers: 100,
} as const;

/**
 * Storage accounts: "Maximum number of storage accounts with standard endpoints per region per
 * subscription, including standard and premium storage accounts: 250 by default"
 * ("Scalability and performance targets for standard storage accounts",
 * https://learn.microsoft.com/azure/storage/common/scalability-targets-standard-account). A shard
 * is one account (two on a host without a geo-pair: the replica), so the embassy allows at most
 * `maxShards` shards, which stays within the default quota with the state backend's account beside them.
 */
export const storageAccountLimits = {
  perRegionPerSubscription: 250,
  maxShards: 100,
} as const;

/**
 * Log Analytics: total retention 30–4383 days (12 years); a workspace keeps data interactively for
 * at most 730 days, longer retention is set per table ("Manage data retention in a Log Analytics
 * workspace").
 */
export const logAnalyticsLimits = {
  retentionDays: { min: 30, max: 4383 },
  maxInteractiveRetentionDays: 730,
} as const;

/** Key Vault and Managed HSM soft delete: 7–90 days; the embassy always keeps the maximum. */
export const keyStoreSoftDeleteDays = 90;

/**
 * Managed HSM security domain: an M-of-N quorum of RSA wrapping keys with N ≥ 3 ("Security domain
 * in Managed HSM overview"), so at least three initial administrators hold a share.
 */
export const managedHsmMinAdmins = 3;

/**
 * How long a new Azure role assignment may take to take effect. "When you assign roles or remove
 * role assignments, it can take up to 10 minutes for changes to take effect" ("Troubleshoot Azure
 * RBAC", symptom "Role assignment changes are not being detected"); a new custom role likewise
 * "can take a few minutes … to appear everywhere" ("Create or update Azure custom roles using the
 * Azure portal"). The embassy waits this long between a grant (or a custom role) and whatever
 * needs it; stacks may choose 0 to `maxMinutes`.
 */
export const roleAssignmentPropagation = {
  minutes: 10,
  maxMinutes: 30,
  source: "https://learn.microsoft.com/azure/role-based-access-control/troubleshooting",
  customRoleSource: "https://learn.microsoft.com/azure/role-based-access-control/custom-roles-portal",
} as const;

/** The default wait between a grant and its consumer, as a duration string: "10m". */
export const defaultRoleAssignmentPropagationWait = `${roleAssignmentPropagation.minutes}m`;

const durationUnitMinutes: Readonly<Record<string, number>> = { h: 60, m: 1, s: 1 / 60, ms: 1 / 60000 };

/**
 * Minutes in a duration written the way Go's `time.ParseDuration` (and so the time provider's
 * Sleep) reads it, restricted to non-negative values: "10m", "90s", "1h", "1h30m", "2.5m", "0".
 * Undefined when `duration` is not such a string.
 */
export function durationMinutes(duration: string): number | undefined {
  if (duration === "0") return 0;
  if (!/^(?:\d+(?:\.\d+)?(?:h|ms|m|s))+$/.test(duration)) return undefined;
  let minutes = 0;
  for (const [, value, unit] of duration.matchAll(/(\d+(?:\.\d+)?)(h|ms|m|s)/g)) minutes += Number(value) * durationUnitMinutes[unit];
  return minutes;
}

/** Why `wait` is not a usable role-assignment propagation wait (continuing "… must be"), or undefined. */
export function propagationWaitError(wait: string): string | undefined {
  const minutes = durationMinutes(wait);
  if (minutes === undefined) return `must be a duration such as "10m", "90s" or "1h" (units h, m, s, ms, as Go's time.ParseDuration reads them), got "${wait}"`;
  if (minutes > roleAssignmentPropagation.maxMinutes) {
    return `must be at most ${roleAssignmentPropagation.maxMinutes} minutes (Microsoft documents up to ${roleAssignmentPropagation.minutes} for a role assignment to take effect), got "${wait}"`;
  }
  return undefined;
}

/**
 * Throughput and timing Microsoft publishes for getting register data back, the basis of the
 * plan's data-restore estimate (tools/analysis/restoreEstimate.ts). Microsoft publishes no throughput for a
 * vaulted blob restore itself; what bounds any restore into a storage account is the account's
 * ingress target, "high-end targets, but achievable" ("Scalability and performance targets for
 * standard storage accounts", learn.microsoft.com/azure/storage/common/scalability-targets-standard-account;
 * MicrosoftDocs/azure-docs includes/azure-storage-account-limits-standard.md): a default maximum
 * ingress of 60 Gbps per general-purpose v2 account in the regions listed (in Europe: France
 * Central, Germany West Central, North Europe, Norway East, Sweden Central, UK South, West Europe)
 * and 25 Gbps in every other region. A time computed from them is therefore a lower bound.
 *
 * An account failover "typically completes within 60 minutes, depending on the account size and
 * complexity", and an unplanned one may lose "typically … less than 15 minutes" of writes
 * (MicrosoftDocs/azure-docs articles/reliability/includes/storage/reliability-storage-multi-region-down-experience-include.md).
 */
export const dataRestoreFigures = {
  /** Default maximum ingress, Gbps, per general-purpose v2 account in the regions below. */
  highIngressGbps: 60,
  /** Regions (ARM names) with the higher ingress target. */
  highIngressRegions: ["francecentral", "germanywestcentral", "northeurope", "norwayeast", "swedencentral", "uksouth", "westeurope"],
  /** Default maximum ingress, Gbps, in every other region. */
  defaultIngressGbps: 25,
  /** Typical minutes for a storage account failover to complete. */
  accountFailoverMinutes: 60,
} as const;

/** The default ingress target (Gbps) of a general-purpose v2 storage account in `region`. */
export function storageIngressGbps(region: string): number {
  return (dataRestoreFigures.highIngressRegions as readonly string[]).includes(region)
    ? dataRestoreFigures.highIngressGbps
    : dataRestoreFigures.defaultIngressGbps;
}

/**
 * VNet flow log retention in the storage account: "Enter 0 if you want to retain the flow logs data
 * in the storage account forever" (Microsoft, "Create a flow log", vnet-flow-logs-portal.md).
 * Microsoft documents no upper bound; the embassy accepts up to 365 days, or 0.
 */
export const flowLogLimits = { retentionDays: { min: 0, max: 365 } } as const;
