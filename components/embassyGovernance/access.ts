import { createHash } from "crypto";
import { guidPattern } from "../../catalog/patterns";
import { ArgumentProblem, problem } from "../shared/argumentProblems";
import { builtInRoles, customRoleKeys, customRoleNames } from "../../catalog/roles";

/**
 * Who may do what in the embassy, as data: the permissions of the built-in roles the governance
 * component grants, the two custom roles it defines where no built-in role is narrow enough, and
 * the checks on the principals it is given. No Pulumi resources here (see governance.ts).
 */

/** Control-plane actions and data-plane actions of a role, as Azure defines it. */
export interface RolePermissions {
  /** Role name as Azure shows it. */
  readonly roleName: string;
  readonly actions: readonly string[];
  readonly notActions: readonly string[];
  readonly dataActions: readonly string[];
}

/**
 * Permissions of the built-in roles the governance component grants, copied from Microsoft Learn,
 * "Azure built-in roles" (General, Security and Monitor categories). Offline, the plan cannot ask
 * Azure for a role's definition, so tests judge every grant against this table: if Microsoft
 * widens one of these roles, the table (and the judgement) is stale until it is updated here.
 */
export const builtInRolePermissions: Readonly<Record<string, RolePermissions>> = {
  [builtInRoles.reader]: { roleName: "Reader", actions: ["*/read"], notActions: [], dataActions: [] },
  [builtInRoles.keyVaultReader]: {
    roleName: "Key Vault Reader",
    actions: [
      "Microsoft.Authorization/*/read",
      "Microsoft.Insights/alertRules/*",
      "Microsoft.Resources/deployments/*",
      "Microsoft.Resources/subscriptions/resourceGroups/read",
      "Microsoft.Support/*",
      "Microsoft.KeyVault/checkNameAvailability/read",
      "Microsoft.KeyVault/deletedVaults/read",
      "Microsoft.KeyVault/locations/*/read",
      "Microsoft.KeyVault/vaults/*/read",
      "Microsoft.KeyVault/operations/read",
    ],
    notActions: [],
    // Metadata only: `keys/read` returns a key's attributes and public part (never the private
    // key, which cannot leave the HSM); secret values need `secrets/getSecret/action`, not granted.
    dataActions: ["Microsoft.KeyVault/vaults/*/read", "Microsoft.KeyVault/vaults/secrets/readMetadata/action"],
  },
  [builtInRoles.logAnalyticsReader]: {
    roleName: "Log Analytics Reader",
    actions: [
      "*/read",
      "Microsoft.OperationalInsights/workspaces/analytics/query/action",
      "Microsoft.OperationalInsights/workspaces/search/action",
      "Microsoft.Support/*",
    ],
    notActions: ["Microsoft.OperationalInsights/workspaces/sharedKeys/read"],
    dataActions: [],
  },
};

/**
 * Data actions an auditor may hold: reading key and secret *metadata* (Key Vault Reader). Anything
 * else on the data plane (blob contents, key operations, secret values) is refused.
 */
export const auditorMetadataDataActions: readonly string[] = ["Microsoft.KeyVault/vaults/*/read", "Microsoft.KeyVault/vaults/secrets/readMetadata/action"];

/** A custom role the embassy defines because no built-in role is narrow enough. */
export interface CustomRole {
  /** Stable key; seeds the role's GUID and its Pulumi name. */
  readonly key: string;
  /** Role name prefix; the resource group is appended (role names are unique per tenant). */
  readonly roleName: string;
  readonly description: string;
  readonly actions: readonly string[];
  readonly dataActions: readonly string[];
}

/**
 * Write-only access to register containers. Storage Blob Data Contributor would also let the
 * ingest identity read and delete every register copy; this role can only add blobs and write new
 * versions (with version-level WORM, a write never destroys the previous version).
 */
export const registerWriterRole: CustomRole = {
  key: customRoleKeys.registerWriter,
  roleName: customRoleNames.registerWriter,
  description: "Writes register copies into the embassy's containers. Cannot read, list or delete blobs.",
  actions: [],
  dataActions: [
    "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/write",
    "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/add/action",
  ],
};

/**
 * What operators may do directly, on top of Reader. Infrastructure changes go through the
 * reviewed Pulumi pipeline (where the policy pack checks them); a standing write role would let a
 * person bypass both, or re-enable shared keys and read registers. So operators *operate*:
 * acknowledge alerts, take on-demand backups, run restores and DR drills, open support tickets.
 *
 * Cross-region restore (docs/restore.md §2) lists the paired region's recovery points and tracks
 * the restore job there through `…/locations/…` actions that Reader does not cover: they end in
 * `/action`, not `/read`. The action names are Microsoft's, as the built-in Backup Contributor and
 * Backup Operator roles list them ("Azure built-in roles for Storage",
 * MicrosoftDocs/azure-docs articles/role-based-access-control/built-in-roles/storage.md): "Returns
 * recovery points from secondary region for cross region restore enabled Backup Vaults", "List
 * cross region restore jobs of backup instance from secondary region", "Get cross region restore
 * job details from secondary region" (audit F14).
 *
 * The one step of a restore operators cannot take is granting the backup vault's identity a role
 * on the restore target: that needs `Microsoft.Authorization/roleAssignments/write`, which amounts
 * to owning the scope (the pack's no-privileged-roles refuses it in any custom role) and would let
 * an operator grant themselves a data role on a restored register copy. A restore administrator
 * outside this stack does it, just in time (docs/restore.md, "Who does what").
 */
export const operatorRole: CustomRole = {
  key: customRoleKeys.operator,
  roleName: customRoleNames.operator,
  description:
    "Operates the embassy: acknowledges alerts, runs on-demand backups, restores and cross-region restores (and tracks them), opens support tickets. No resource writes, no role grants, no data access.",
  actions: [
    "Microsoft.AlertsManagement/alerts/changestate/action",
    "Microsoft.DataProtection/backupVaults/backupInstances/backup/action",
    "Microsoft.DataProtection/backupVaults/backupInstances/validateRestore/action",
    "Microsoft.DataProtection/backupVaults/backupInstances/restore/action",
    "Microsoft.DataProtection/subscriptions/resourceGroups/providers/locations/validateCrossRegionRestore/action",
    "Microsoft.DataProtection/subscriptions/resourceGroups/providers/locations/crossRegionRestore/action",
    "Microsoft.DataProtection/subscriptions/resourceGroups/providers/locations/fetchSecondaryRecoveryPoints/action",
    "Microsoft.DataProtection/subscriptions/resourceGroups/providers/locations/fetchCrossRegionRestoreJobs/action",
    "Microsoft.DataProtection/subscriptions/resourceGroups/providers/locations/fetchCrossRegionRestoreJob/action",
    "Microsoft.Support/supportTickets/write",
  ],
  dataActions: [],
};

/** A GUID derived from `seed`, stable across runs (custom role definitions need a fixed GUID name). */
export function stableGuid(seed: string): string {
  const h = createHash("sha256").update(seed).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** The principals the governance component grants roles to, by duty. */
export interface GovernancePrincipals {
  /** Entra object ids of operators: Reader + {@link operatorRole} on the resource group. */
  readonly operators: readonly string[];
  /** Entra object ids of third-party auditors: Reader, Key Vault Reader, Log Analytics Reader. */
  readonly auditors: readonly string[];
  /** Entra object ids that write register copies: {@link registerWriterRole} on each container. */
  readonly dataIngestPrincipals: readonly string[];
  /** Entra object ids eligible (Entra PIM) for Storage Blob Data Reader on the register accounts: never a standing read. */
  readonly recoveryReaders?: readonly string[];
}

/**
 * Why the principals cannot be granted as given: an id that is not an Entra object id, one listed
 * twice, or one holding two duties (an auditor who can also write registers audits themselves).
 */
export function principalProblems(principals: GovernancePrincipals): ArgumentProblem[] {
  const problems: ArgumentProblem[] = [];
  const holder = new Map<string, string>();
  for (const duty of ["operators", "auditors", "dataIngestPrincipals", "recoveryReaders"] as const) {
    (principals[duty] ?? []).forEach((id, i) => {
      if (!guidPattern.test(id)) {
        problems.push(problem(`principals.${duty}[${i}]`, `"${id}" is not an Entra object id (a GUID)`));
        return;
      }
      const first = holder.get(id.toLowerCase());
      if (first !== undefined) {
        problems.push(problem(`principals.${duty}[${i}]`, `${id} is already listed in ${first}: one duty per principal`));
      } else {
        holder.set(id.toLowerCase(), duty);
      }
    });
  }
  return problems;
}
