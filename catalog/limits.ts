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
 * backup" and "Overview of Azure Blob backup" (vaulted backups are kept at most 10 years; at most
 * 100 containers per storage account), "Soft delete for Backup vaults" (14–180 days).
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
 * VNet flow log retention in the storage account: "Enter 0 if you want to retain the flow logs data
 * in the storage account forever" (Microsoft, "Create a flow log", vnet-flow-logs-portal.md).
 * Microsoft documents no upper bound; the embassy accepts up to 365 days, or 0.
 */
export const flowLogLimits = { retentionDays: { min: 0, max: 365 } } as const;
