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
