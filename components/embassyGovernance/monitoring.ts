/**
 * What the embassy logs and what pages the on-call team, as data: the diagnostic settings per kind
 * of resource, the activity-log operations that raise an alert, and the log query that catches
 * key disable/delete. embassyGovernance.ts turns them into resources.
 */
import type { DiagnosticKind } from "../shared/governed";

/** One log or metric stream of a diagnostic setting. */
export interface DiagnosticStream {
  readonly category?: string;
  readonly categoryGroup?: string;
}

/** One diagnostic setting to create for a resource. */
export interface DiagnosticProfile {
  /** Appended to the resource id (a sub-resource such as `/blobServices/default`), or "". */
  readonly subResource: string;
  /** Qualifier of the setting's name and Pulumi name ("" for the resource itself). */
  readonly qualifier: string;
  readonly logs: readonly DiagnosticStream[];
  readonly metrics: readonly DiagnosticStream[];
  /** Resource-specific tables (`Dedicated`) instead of AzureDiagnostics. */
  readonly dedicatedTables: boolean;
  /** Log Analytics tables the logs land in (for retention beyond the workspace's interactive limit). */
  readonly tables: readonly string[];
}

/** Blob operations CIS 4.13 (v3) asks to log: every read, write and delete of register data. */
export const blobLogCategories = ["StorageRead", "StorageWrite", "StorageDelete"] as const;

const profile = (logs: DiagnosticStream[], metrics: DiagnosticStream[], tables: string[], extra: Partial<DiagnosticProfile> = {}): DiagnosticProfile => ({
  subResource: "",
  qualifier: "",
  logs,
  metrics,
  dedicatedTables: false,
  tables,
  ...extra,
});

/**
 * Diagnostic settings per kind. `allLogs` includes the `audit` group (Key Vault's AuditEvent: every
 * key operation, who, from where), so one group suffices. A storage account has metrics only; its
 * logs belong to its blob service, which every account gets as a second setting so that no caller
 * can forget the register read/write/delete trail.
 */
export const diagnosticProfiles: Readonly<Record<DiagnosticKind, readonly DiagnosticProfile[]>> = {
  keyVault: [profile([{ categoryGroup: "allLogs" }], [{ category: "AllMetrics" }], ["AzureDiagnostics"])],
  managedHsm: [profile([{ categoryGroup: "allLogs" }], [{ category: "AllMetrics" }], ["AzureDiagnostics"])],
  storageAccount: [
    profile([], [{ category: "Transaction" }], []),
    profile(
      blobLogCategories.map((category) => ({ category })),
      [{ category: "Transaction" }],
      ["StorageBlobLogs"],
      { subResource: "/blobServices/default", qualifier: "blob" },
    ),
  ],
  // Backup vaults write to resource-specific tables only.
  backupVault: [
    profile([{ categoryGroup: "allLogs" }], [], ["CoreAzureBackup", "AddonAzureBackupJobs", "AddonAzureBackupPolicy", "AddonAzureBackupProtectedInstance"], {
      dedicatedTables: true,
    }),
  ],
  // NSG event and rule-counter logs; NSGs have no metrics.
  networkSecurityGroup: [profile([{ categoryGroup: "allLogs" }], [], ["AzureDiagnostics"])],
  // The workspace audits itself: who queried the logs (LAQueryLogs) — auditors included.
  logAnalyticsWorkspace: [profile([{ categoryGroup: "audit" }], [], ["LAQueryLogs"])],
};

/** Activity-log categories exported from the subscription (CIS 6.1.1.2 / v6 6.1.1.2). */
export const activityLogCategories = ["Administrative", "Security", "Policy", "Alert"] as const;

/** The table the exported activity log lands in. */
export const activityLogTable = "AzureActivity";

/** What an alert watches for. */
export type AlertConcern = "key-store" | "access" | "locks" | "policy" | "backup" | "network";

/** An Azure Resource Manager operation that raises an alert. */
export interface AlertedOperation {
  readonly concern: AlertConcern;
  /** Activity-log operation name. */
  readonly operation: string;
  /**
   * Where the alert listens. Authorization changes made on the subscription reach the embassy too
   * (a subscription Owner can read every register), so those alerts watch the whole subscription.
   */
  readonly scope: "subscription" | "resourceGroup";
}

const ops = (concern: AlertConcern, scope: AlertedOperation["scope"], operations: string[]): AlertedOperation[] =>
  operations.map((operation) => ({ concern, operation, scope }));

/**
 * One activity-log alert per operation: Azure's own audits ("An activity log alert should exist for
 * specific Administrative/Policy operations", b954148f, c5447c04) and the policy pack recognise an
 * alert by `operationName equals <operation>`, not inside an anyOf.
 */
export const alertedOperations: readonly AlertedOperation[] = [
  ...ops("key-store", "resourceGroup", [
    "Microsoft.KeyVault/vaults/delete",
    "Microsoft.KeyVault/vaults/write",
    "Microsoft.KeyVault/managedHSMs/delete",
    "Microsoft.KeyVault/managedHSMs/write",
  ]),
  ...ops("access", "subscription", [
    "Microsoft.Authorization/roleAssignments/write",
    "Microsoft.Authorization/roleAssignments/delete",
    "Microsoft.Authorization/roleDefinitions/write",
    "Microsoft.Authorization/roleDefinitions/delete",
  ]),
  ...ops("locks", "subscription", ["Microsoft.Authorization/locks/write", "Microsoft.Authorization/locks/delete"]),
  ...ops("policy", "subscription", [
    "Microsoft.Authorization/policyAssignments/write",
    "Microsoft.Authorization/policyAssignments/delete",
    "Microsoft.Authorization/policyExemptions/write",
    "Microsoft.Authorization/policyExemptions/delete",
  ]),
  ...ops("backup", "resourceGroup", [
    "Microsoft.DataProtection/backupVaults/backupInstances/stopProtection/action",
    "Microsoft.DataProtection/backupVaults/backupInstances/suspendBackups/action",
    "Microsoft.DataProtection/backupVaults/backupInstances/delete",
    "Microsoft.DataProtection/backupVaults/backupResourceGuardProxies/delete",
    "Microsoft.DataProtection/backupVaults/write",
    "Microsoft.DataProtection/backupVaults/delete",
  ]),
  ...ops("network", "resourceGroup", [
    "Microsoft.Network/networkSecurityGroups/write",
    "Microsoft.Network/networkSecurityGroups/delete",
    "Microsoft.Network/networkSecurityGroups/securityRules/write",
    "Microsoft.Network/networkSecurityGroups/securityRules/delete",
  ]),
];

/** Name of the activity-log alert for an operation, e.g. `ala-authorization-locks-delete`. */
export function alertName(operation: string): string {
  return `ala-${operation
    .replace(/^Microsoft\./, "")
    .replace(/\//g, "-")
    .toLowerCase()}`;
}

/** Key Vault / Managed HSM data-plane operations that disable, delete or purge a key. */
export const keyDataPlaneOperations = ["KeyDelete", "KeyPurge", "KeyUpdate"] as const;

/**
 * Key disable, delete and purge happen on the data plane, so they never reach the activity log:
 * they are caught in the vault's AuditEvent log (AzureDiagnostics) instead. `KeyUpdate` is the
 * operation that sets `enabled: false`; it also fires on other attribute changes, which custodians
 * make only in a key ceremony. Failed attempts are included on purpose.
 */
export const keyOperationsQuery = [
  "AzureDiagnostics",
  '| where ResourceProvider == "MICROSOFT.KEYVAULT"',
  `| where OperationName in (${keyDataPlaneOperations.map((o) => `"${o}"`).join(", ")})`,
].join("\n");
