import * as pulumi from "@pulumi/pulumi";
import * as authorization from "@pulumi/azure-native/authorization";
import * as dataprotection from "@pulumi/azure-native/dataprotection";
import type { Governed, LockTarget } from "../shared/governed";
import { ArgumentProblem, problem, rejectArguments } from "../shared/argumentProblems";
import { embassyBackupDefaults } from "./defaults";
import type { EmbassyContext } from "../shared/context";
import { statefulOptions } from "../shared/protection";
import { vaultedBlobLimits } from "../../catalog/limits";
import { findRegion, geoSecondary } from "../../catalog/regions";
import { builtInRoles } from "../../catalog/roles";
import { grantCommand } from "../keyCustody/managedHsm";
import { roleDefinitionId } from "../shared/roles";
import { defaultRoleAssignmentPropagationWait, propagationWait, propagationWaitProblems } from "../shared/propagation";

/** Name Azure requires for a Backup vault's link to its Resource Guard. */
export const resourceGuardProxyName = "DppResourceGuardProxy";

/** Datasource type of blob backup in a Backup vault. */
export const blobDatasourceType = "Microsoft.Storage/storageAccounts/blobServices";

/** How long recovery points are kept, grandfather–father–son. */
export interface BackupRetention {
  /** Days a daily recovery point is kept (default 35: a month's reconciliation plus a working week to notice a problem). */
  readonly dailyDays?: number;
  /** Weeks the first backup of each week is kept (default 13: one quarter, the usual audit cycle). */
  readonly weeklyWeeks?: number;
  /** Months the first backup of each month is kept (default 12: a full financial year). */
  readonly monthlyMonths?: number;
  /** Years the first backup of each year is kept (default 10: the most Azure keeps a vaulted backup). */
  readonly yearlyYears?: number;
}

/** A blob container to protect. */
export interface BackupContainer {
  /** Container name (for the embassy: the register's name). */
  readonly name: string;
  /** ARM id of the container: the backup instance waits for it, as Azure refuses to protect a container that does not exist. */
  readonly id: pulumi.Input<string>;
  /** The container carries a legal hold: Azure's vaulted blob backup refuses such containers, so it is left out (with a warning). */
  readonly legalHold?: boolean;
}

/** The backup vault's customer-managed key and the user-assigned identity that may use it. */
export interface BackupEncryption {
  /** Name of the key in its vault or HSM. */
  readonly keyName: string;
  /** Versionless key URI, so the vault follows the key's rotation. */
  readonly keyUri: pulumi.Input<string>;
  /**
   * ARM id of the key (a Key Vault key): the vault's own identity is granted *Key Vault Crypto
   * Service Encryption User* on it here. Undefined for a Managed HSM key, whose grant is local RBAC
   * (the command is in {@link EmbassyBackup.manualSteps}).
   */
  readonly keyResourceId?: pulumi.Input<string>;
  /**
   * Point the vault at the key (default true). With a Key Vault closed to public networks,
   * Microsoft supports a Backup vault's key only through the vault's system-assigned identity,
   * set by an update after the vault exists: so false on the vault's first deployment (phase
   * build) and true from phase keys-ready, once the grant below has long taken effect.
   */
  readonly enabled?: boolean;
}

/** Arguments of {@link EmbassyBackup}. */
export interface EmbassyBackupArgs {
  /** Placement, naming, tags and protection. The vault is geo-redundant with cross-region restore where the region has a pair ({@link vaultRedundancy}). */
  readonly context: EmbassyContext;
  /** The storage account whose containers are backed up. */
  readonly storageAccount: {
    /** ARM id: the datasource and the scope of the vault's role. */
    readonly id: pulumi.Input<string>;
    /** Account name. */
    readonly name: pulumi.Input<string>;
  };
  /** Containers to protect, all in one backup instance (the embassy passes every register's container). */
  readonly containers: readonly BackupContainer[];
  /** Customer-managed key custody of the vault. */
  readonly encryption: BackupEncryption;
  /** Soft-delete retention of deleted backup data in days, 14–180 (default 180). Soft delete is always on. */
  readonly softDeleteDays?: number;
  /** Vault immutability (default `Unlocked`). `Locked` is irreversible: no one can ever switch it off. */
  readonly immutability?: "Unlocked" | "Locked";
  /** Retention of recovery points (each at most 10 years). */
  readonly retention?: BackupRetention;
  /**
   * ARM id of an existing Resource Guard for multi-user authorization, ideally in another
   * subscription or tenant so that the vault's administrators cannot approve their own critical
   * operations. Unset: the component creates a guard next to the vault.
   */
  readonly resourceGuardId?: pulumi.Input<string>;
  /**
   * How long the backup instance waits after the vault's *Storage Account Backup Contributor* grant
   * is created, as a Go duration ("10m", "90s"; 0–30 minutes). Default 10m: Microsoft's "up to 10
   * minutes" for a role assignment to take effect (components/shared/propagation.ts).
   */
  readonly roleAssignmentPropagationWait?: string;
}

type ResolvedArgs = Omit<Required<EmbassyBackupArgs>, "resourceGuardId" | "retention"> & {
  readonly retention: Required<BackupRetention>;
  readonly resourceGuardId?: pulumi.Input<string>;
};

/** Fills in the embassy-grade default of every optional argument. */
function resolve(args: EmbassyBackupArgs): ResolvedArgs {
  return {
    ...args,
    softDeleteDays: args.softDeleteDays ?? embassyBackupDefaults.softDeleteDays,
    roleAssignmentPropagationWait: args.roleAssignmentPropagationWait ?? defaultRoleAssignmentPropagationWait,
    immutability: args.immutability ?? embassyBackupDefaults.immutability,
    retention: {
      dailyDays: args.retention?.dailyDays ?? embassyBackupDefaults.retention.dailyDays,
      weeklyWeeks: args.retention?.weeklyWeeks ?? embassyBackupDefaults.retention.weeklyWeeks,
      monthlyMonths: args.retention?.monthlyMonths ?? embassyBackupDefaults.retention.monthlyMonths,
      yearlyYears: args.retention?.yearlyYears ?? embassyBackupDefaults.retention.yearlyYears,
    },
  };
}

/** Containers that go into the backup instance: all but those under legal hold. */
export function protectedContainers(containers: readonly BackupContainer[]): BackupContainer[] {
  return containers.filter((c) => c.legalHold !== true);
}

/** Why `args` would build an invalid backup; empty when fine. */
export function backupProblems(args: EmbassyBackupArgs): ArgumentProblem[] {
  const a = resolve(args);
  const problems: ArgumentProblem[] = propagationWaitProblems("roleAssignmentPropagationWait", args.roleAssignmentPropagationWait);
  const within = (what: string, value: number, limit: { min: number; max: number }, unit: string, why: string) => {
    if (!Number.isInteger(value) || value < limit.min || value > limit.max) {
      problems.push(problem(what, `must be a whole number of ${unit} from ${limit.min} to ${limit.max} (${why}), got ${value}`));
    }
  };
  const tenYears = "Azure keeps a vaulted blob backup at most 10 years";
  within("softDeleteDays", a.softDeleteDays, vaultedBlobLimits.softDeleteDays, "days", "Azure's soft-delete range");
  within("retention.dailyDays", a.retention.dailyDays, vaultedBlobLimits.dailyRetentionDays, "days", tenYears);
  within("retention.weeklyWeeks", a.retention.weeklyWeeks, vaultedBlobLimits.weeklyRetentionWeeks, "weeks", tenYears);
  within("retention.monthlyMonths", a.retention.monthlyMonths, vaultedBlobLimits.monthlyRetentionMonths, "months", tenYears);
  within("retention.yearlyYears", a.retention.yearlyYears, vaultedBlobLimits.yearlyRetentionYears, "years", tenYears);
  if (findRegion(a.context.location) === undefined) {
    problems.push(problem("context.location", `${a.context.location} is not a region of the catalog (catalog/regions.ts)`));
  }
  problems.push(...containerProblems("containers", a.containers));
  return problems;
}

/**
 * Why `containers` cannot be one backup instance (one storage account's vaulted backup), under
 * argument `key`; empty when fine. Azure: "You can back up storage accounts with up to 100
 * containers", "a minimum of 1 container"
 * (https://learn.microsoft.com/azure/backup/blob-backup-support-matrix, vaulted backup).
 */
export function containerProblems(key: string, containers: readonly BackupContainer[]): ArgumentProblem[] {
  const problems: ArgumentProblem[] = [];
  const names = containers.map((c) => c.name);
  const repeated = names.filter((n, i) => names.indexOf(n) !== i);
  if (repeated.length > 0) problems.push(problem(key, `names must be unique (repeated: ${[...new Set(repeated)].join(", ")})`));
  const kept = protectedContainers(containers);
  if (kept.length === 0) {
    problems.push(
      problem(key, "must hold a container to back up (vaulted blob backup needs at least one, and containers under legal hold cannot be backed up)"),
    );
  }
  if (kept.length > vaultedBlobLimits.containers) {
    problems.push(
      problem(key, `lists ${kept.length} to back up; vaulted blob backup protects at most ${vaultedBlobLimits.containers} containers per storage account`),
    );
  }
  return problems;
}

/** How a backup vault keeps its recovery points, by its region. */
export interface VaultRedundancy {
  readonly storage: "GeoRedundant" | "ZoneRedundant" | "LocallyRedundant";
  readonly crossRegionRestore: "Enabled" | "Disabled";
  /** Where cross-region restore restores into (the region's pair), when enabled. */
  readonly restoreRegion?: string;
}

/**
 * The strongest redundancy a vault in `location` can have. Where the region has a pair: a
 * geo-redundant copy there, restorable at any time (cross-region restore), not only after Microsoft
 * declares an outage. Azure's geo-redundant storage replicates "to a paired region"
 * (learn.microsoft.com/azure/reliability/regions-paired) and Cross Region Restore restores "in a
 * secondary, Azure paired region" (learn.microsoft.com/azure/backup/backup-create-recovery-services-vault#set-cross-region-restore):
 * a region without a pair has neither, and such regions "use availability zones as their primary
 * means of redundancy" (regions-paired). There the vault is zone-redundant (locally redundant without zones), and what
 * survives the loss of the region is the copy in another region: for the embassy, the object
 * replica in objectReplicationRegion and the vault that protects it there (components/dataEmbassy).
 * Safe either way: were Azure to offer a geo-copy there too, the register would still have its
 * surviving copy and backup outside the region.
 */
export function vaultRedundancy(location: string): VaultRedundancy {
  const pair = geoSecondary(location);
  if (pair !== undefined) return { storage: "GeoRedundant", crossRegionRestore: "Enabled", restoreRegion: pair.name };
  return { storage: findRegion(location)?.availabilityZones === true ? "ZoneRedundant" : "LocallyRedundant", crossRegionRestore: "Disabled" };
}

/** A storage account under vaulted backup: its backup instance and what it covers. */
export interface ProtectedAccount {
  /** ARM id of the account's backup instance. */
  readonly instanceId: pulumi.Output<string>;
  /** Containers in the backup instance. */
  readonly protectedContainers: readonly string[];
  /** Containers left out because Azure cannot back up a container under legal hold. */
  readonly excludedContainers: readonly string[];
}

/** Name of the backup policy: it carries the retention, because Azure cannot change a Backup vault policy in place. */
export function backupPolicyName(retention: Required<BackupRetention>): string {
  const r = retention;
  return `blob-vaulted-d${r.dailyDays}-w${r.weeklyWeeks}-m${r.monthlyMonths}-y${r.yearlyYears}`;
}

/** Daily at 02:00 UTC, outside office hours in every EU time zone. The date only anchors the repetition. */
export const backupSchedule = "R/2025-01-01T02:00:00+00:00/P1D";

const vaultStore = { dataStoreType: "VaultStore", objectType: "DataStoreInfoBase" };

/**
 * The vaulted blob policy: one daily backup into the vault, tagged weekly/monthly/yearly by the
 * first backup of each period, each tag with its own retention (Azure's tagging priorities:
 * yearly before monthly before weekly before the default daily rule).
 */
export function blobBackupPolicy(retention: Required<BackupRetention>): dataprotection.BackupPolicyArgs["properties"] {
  const tiers = [
    { tag: "Weekly", priority: 20, criterion: "FirstOfWeek", duration: `P${retention.weeklyWeeks}W` },
    { tag: "Monthly", priority: 15, criterion: "FirstOfMonth", duration: `P${retention.monthlyMonths}M` },
    { tag: "Yearly", priority: 10, criterion: "FirstOfYear", duration: `P${retention.yearlyYears}Y` },
  ];
  const rule = (name: string, isDefault: boolean, duration: string) => ({
    objectType: "AzureRetentionRule" as const,
    name,
    isDefault,
    lifecycles: [{ deleteAfter: { objectType: "AbsoluteDeleteOption" as const, duration }, sourceDataStore: vaultStore, targetDataStoreCopySettings: [] }],
  });
  return {
    objectType: "BackupPolicy",
    datasourceTypes: [blobDatasourceType],
    policyRules: [
      {
        objectType: "AzureBackupRule",
        name: "BackupDaily",
        backupParameters: { objectType: "AzureBackupParams", backupType: "Discrete" },
        dataStore: vaultStore,
        trigger: {
          objectType: "ScheduleBasedTriggerContext",
          schedule: { repeatingTimeIntervals: [backupSchedule], timeZone: "UTC" },
          taggingCriteria: [
            { isDefault: true, tagInfo: { tagName: "Default" }, taggingPriority: 99 },
            ...tiers.map((t) => ({
              isDefault: false,
              tagInfo: { tagName: t.tag },
              taggingPriority: t.priority,
              criteria: [{ objectType: "ScheduleBasedBackupCriteria" as const, absoluteCriteria: [t.criterion] }],
            })),
          ],
        },
      },
      rule("Default", true, `P${retention.dailyDays}D`),
      ...tiers.map((t) => rule(t.tag, false, t.duration)),
    ],
  };
}

/**
 * Immutable, multi-user-authorized backups of the registers: a Data Protection backup vault in the
 * storage account's region (Microsoft: "To create a vault to protect any data source, the vault
 * must be in the same region as the data source", backup-create-rs-vault, quoted in
 * MicrosoftDocs/azure-docs#63108), geo-redundant with cross-region restore into the paired region
 * where there is one ({@link vaultRedundancy}), soft delete always on, the state's key; one
 * vaulted blob backup policy, and one backup instance for the storage account covering every
 * register container.
 *
 * Identities: Azure lets a new vault encrypt with a customer-managed key (and switch on
 * infrastructure encryption, which is possible only then) only through a user-assigned identity,
 * so the vault encrypts with KeyCustody's backup identity. Vaulted blob backup, however, reads the
 * storage account only through the vault's system-assigned identity, so that identity — and only
 * it — gets *Storage Account Backup Contributor*, on the account alone.
 */
export class EmbassyBackup extends pulumi.ComponentResource {
  /** ARM id of the backup vault. */
  readonly vaultId: pulumi.Output<string>;
  /** Name of the backup vault. */
  readonly vaultName: pulumi.Output<string>;
  /** Entra object id of the vault's system-assigned identity (it reads the storage account and uses the backup key). */
  readonly vaultPrincipalId: pulumi.Output<string>;
  /** What stays manual: the Managed HSM grant of the backup key to the vault's identity (empty with a Key Vault). */
  readonly manualSteps: pulumi.Output<string[]>;
  /** ARM id of the vaulted blob backup policy. */
  readonly policyId: pulumi.Output<string>;
  /** ARM ids of the backup instances (one: the storage account). */
  readonly instanceIds: pulumi.Output<string[]>;
  /** ARM id of the Resource Guard the vault is linked to (created here, or the one given). */
  readonly guardId: pulumi.Output<string>;
  /** The vault (and a guard it created) are locked and log to the workspace; Backup vaults have no private endpoints. */
  readonly governed: Governed;
  /** Containers in the backup instance. */
  readonly protectedContainers: readonly string[];
  /** Containers left out because Azure cannot back up a container under legal hold. */
  readonly excludedContainers: readonly string[];
  /** How the vault's own copy is kept: geo-redundant with cross-region restore where the region has a pair. */
  readonly redundancy: VaultRedundancy;
  private readonly vault: dataprotection.BackupVault;
  private readonly resolved: ResolvedArgs;
  private readonly resourcePrefix: string;

  constructor(name: string, args: EmbassyBackupArgs, opts?: pulumi.ComponentResourceOptions) {
    super("dataembassy:index:EmbassyBackup", name, {}, opts);
    rejectArguments("EmbassyBackup", name, backupProblems(args));
    const a = resolve(args);
    const { context } = a;
    const stateful = (extra: pulumi.CustomResourceOptions = {}) => statefulOptions(context.protect, { parent: this, ...extra });
    const redundancy = vaultRedundancy(context.location);
    this.redundancy = redundancy;
    this.resourcePrefix = name;

    const vault = new dataprotection.BackupVault(
      `${name}-vault`,
      {
        resourceGroupName: context.resourceGroupName,
        vaultName: context.namer.name("backupVault"),
        location: context.location,
        tags: context.tags,
        // Its own identity only: it reads the storage account and, through a network-restricted Key
        // Vault, the backup key ("Key vaults that limit access to specific networks are currently not
        // supported with User-assigned managed identities for CMK encryption",
        // https://learn.microsoft.com/azure/backup/encryption-at-rest-with-cmk-for-backup-vault).
        identity: { type: "SystemAssigned" },
        properties: {
          storageSettings: [{ datastoreType: "VaultStore", type: redundancy.storage }],
          featureSettings: {
            crossRegionRestoreSettings: { state: redundancy.crossRegionRestore },
            // Restoring into another subscription would be a way out of the embassy's controls.
            crossSubscriptionRestoreSettings: { state: "Disabled" },
          },
          securitySettings: {
            // AlwaysOn cannot be switched off again, by anyone.
            softDeleteSettings: { state: "AlwaysOn", retentionDurationInDays: a.softDeleteDays },
            immutabilitySettings: { state: a.immutability },
            // Set by an update once the vault (and so its identity) exists: "To use CMK with
            // system-assigned managed identity, update the vault properties after creating the vault"
            // (same page). Infrastructure encryption is creation-time and user-assigned-only, so not
            // available here. Irreversible once enabled ("can't revert to using PMKs").
            ...(a.encryption.enabled === false
              ? {}
              : {
                  encryptionSettings: {
                    state: "Enabled",
                    keyVaultProperties: { keyUri: a.encryption.keyUri },
                    kekIdentity: { identityType: "SystemAssigned" },
                  },
                }),
          },
          monitoringSettings: { azureMonitorAlertSettings: { alertsForAllJobFailures: "Enabled" } },
        },
      },
      // `npm run seal` locks the immutability (irreversible); a later update must not fight it.
      stateful({ ignoreChanges: ["properties.securitySettings.immutabilitySettings.state"] }),
    );
    this.vaultId = vault.id;
    this.vaultName = vault.name;
    this.vaultPrincipalId = vault.identity.apply((identity) => {
      if (identity?.principalId === undefined) {
        throw new Error(`backup vault of ${name} has no system-assigned identity: vaulted blob backup reads storage only through it`);
      }
      return identity.principalId;
    });

    // The vault's identity may wrap and unwrap with the backup key, and nothing else. The grant is
    // made when the vault is first built; the vault is pointed at the key in a later pulumi up
    // (phase keys-ready), long after the grant has taken effect (the vault cannot wait for a grant
    // on its own identity inside one update).
    if (a.encryption.keyResourceId !== undefined) {
      new authorization.RoleAssignment(
        `${name}-key-grant`,
        {
          principalId: this.vaultPrincipalId,
          principalType: "ServicePrincipal",
          roleDefinitionId: roleDefinitionId(context.subscriptionId, builtInRoles.keyVaultCryptoServiceEncryptionUser),
          scope: a.encryption.keyResourceId,
          description: "Data embassy: the backup vault may wrap and unwrap with the backup key",
        },
        stateful(),
      );
      this.manualSteps = pulumi.output([]);
    } else {
      this.manualSteps = this.vaultPrincipalId.apply((principal) => [
        `Let the backup vault's identity (principal ${principal}) use the backup key on the Managed HSM, before phase keys-ready: ${grantCommand("<hsm>", principal, a.encryption.keyName)}.`,
      ]);
    }

    const policy = new dataprotection.BackupPolicy(
      `${name}-policy`,
      {
        resourceGroupName: context.resourceGroupName,
        vaultName: vault.name,
        backupPolicyName: backupPolicyName(a.retention),
        properties: blobBackupPolicy(a.retention),
      },
      stateful(),
    );
    this.policyId = policy.id;
    this.vault = vault;
    this.resolved = a;

    const primary = this.protect(name, a.storageAccount, a.containers);
    this.protectedContainers = primary.protectedContainers;
    this.excludedContainers = primary.excludedContainers;
    this.instanceIds = pulumi.all([primary.instanceId]);

    const locks: LockTarget[] = [{ name: "backup", resourceId: this.vaultId }];
    if (a.resourceGuardId === undefined) {
      // An empty exclusion list: every critical operation Azure can guard needs the guard's approval.
      const guard = new dataprotection.ResourceGuard(
        `${name}-guard`,
        {
          resourceGroupName: context.resourceGroupName,
          resourceGuardsName: context.namer.name("resourceGuard"),
          location: context.location,
          tags: context.tags,
          properties: { vaultCriticalOperationExclusionList: [] },
        },
        stateful(),
      );
      this.guardId = guard.id;
      // A guard brought from elsewhere (resourceGuardId) belongs to its owner, who locks it.
      locks.push({ name: "resource-guard", resourceId: guard.id });
    } else {
      this.guardId = pulumi.output(a.resourceGuardId);
    }
    // Linking the guard turns on multi-user authorization; unlinking it again needs the guard's approval.
    new dataprotection.DppResourceGuardProxy(
      `${name}-mua`,
      {
        resourceGroupName: context.resourceGroupName,
        vaultName: vault.name,
        resourceGuardProxyName,
        properties: {
          resourceGuardResourceId: this.guardId,
          description: "Data embassy: critical backup operations need the Resource Guard owner's approval",
        },
      },
      stateful(),
    );

    this.governed = { locks, diagnostics: [{ name: "backup", resourceId: this.vaultId, kind: "backupVault" }], privateLinks: [] };

    this.registerOutputs({
      vaultId: this.vaultId,
      vaultName: this.vaultName,
      vaultPrincipalId: this.vaultPrincipalId,
      policyId: this.policyId,
      instanceIds: this.instanceIds,
      guardId: this.guardId,
      protectedContainers: this.protectedContainers,
      excludedContainers: this.excludedContainers,
      manualSteps: this.manualSteps,
    });
  }

  /**
   * Puts a further storage account of the embassy under vaulted backup, in this vault and under this
   * policy: its own *Storage Account Backup Contributor* grant for the vault's identity, the wait
   * for it, and one backup instance of its containers (at most 100; the embassy's storage shards).
   * `key` (lower-case letters, digits, hyphens) names the Pulumi resources.
   */
  protectAccount(key: string, storageAccount: EmbassyBackupArgs["storageAccount"], containers: readonly BackupContainer[]): ProtectedAccount {
    rejectArguments("EmbassyBackup", `${this.resourcePrefix}.protectAccount(${key})`, containerProblems("containers", containers));
    return this.protect(`${this.resourcePrefix}-${key}`, storageAccount, containers);
  }

  private protect(prefix: string, storageAccount: EmbassyBackupArgs["storageAccount"], containers: readonly BackupContainer[]): ProtectedAccount {
    const a = this.resolved;
    return protectStorageAccount(
      prefix,
      { vaultName: this.vault.name, vaultPrincipalId: this.vaultPrincipalId, policyId: this.policyId },
      storageAccount,
      containers,
      {
        context: a.context,
        roleAssignmentPropagationWait: a.roleAssignmentPropagationWait,
        parent: this,
      },
    );
  }
}

/** The vault and policy a storage account is protected in (an EmbassyBackup's, or a core stack's outputs). */
export interface BackupTarget {
  readonly vaultName: pulumi.Input<string>;
  /** The vault's system-assigned identity: vaulted blob backup reads the account only through it. */
  readonly vaultPrincipalId: pulumi.Input<string>;
  readonly policyId: pulumi.Input<string>;
}

/**
 * Vaulted backup of one storage account's containers (at most 100): the vault identity's *Storage
 * Account Backup Contributor* grant on the account alone, the wait until it is effective, and the
 * backup instance. Resources are named `<prefix>-storage-grant`, `…-storage-grant-effective`,
 * `<prefix>-instance`, under `placement.parent`. Used by EmbassyBackup for the embassy's accounts
 * and by a register-shard stack for its own, in the core stack's vault.
 */
export function protectStorageAccount(
  prefix: string,
  target: BackupTarget,
  storageAccount: EmbassyBackupArgs["storageAccount"],
  containers: readonly BackupContainer[],
  placement: { context: EmbassyContext; roleAssignmentPropagationWait: string; parent: pulumi.Resource },
): ProtectedAccount {
  const { context, parent } = placement;
  const a = { roleAssignmentPropagationWait: placement.roleAssignmentPropagationWait };
  const stateful = (extra: pulumi.CustomResourceOptions = {}) => statefulOptions(context.protect, { parent, ...extra });
  // What a backup of the account needs and nothing more: no data-plane role, no wider scope.
  const grant = new authorization.RoleAssignment(
    `${prefix}-storage-grant`,
    {
      principalId: target.vaultPrincipalId,
      principalType: "ServicePrincipal",
      roleDefinitionId: roleDefinitionId(context.subscriptionId, builtInRoles.storageAccountBackupContributor),
      scope: storageAccount.id,
      description: "Data embassy: the backup vault may back up this storage account",
    },
    stateful(),
  );
  // Azure checks the vault's access when protection is configured: wait until the grant is effective.
  const grantEffective = propagationWait(`${prefix}-storage-grant-effective`, { storageAccountBackupContributor: grant }, a.roleAssignmentPropagationWait, {
    parent,
  });

  const kept = protectedContainers(containers);
  const excluded = containers.filter((c) => !kept.includes(c)).map((c) => c.name);
  if (excluded.length > 0) {
    pulumi.log.warn(
      `Not backed up: ${excluded.join(", ")} — Azure's vaulted blob backup does not support containers under legal hold. Their blobs stay protected by the hold, versioning and soft delete in the account only.`,
      parent,
    );
  }
  // The container list resolves only once every container exists.
  const containersList = pulumi.all(kept.map((c) => c.id)).apply(() => kept.map((c) => c.name));
  const datasource = {
    datasourceType: blobDatasourceType,
    resourceID: storageAccount.id,
    resourceLocation: context.location,
    resourceName: storageAccount.name,
    resourceType: "Microsoft.Storage/storageAccounts",
    resourceUri: storageAccount.id,
  };
  const instance = new dataprotection.BackupInstance(
    `${prefix}-instance`,
    {
      resourceGroupName: context.resourceGroupName,
      vaultName: target.vaultName,
      backupInstanceName: pulumi.interpolate`${storageAccount.name}-registers`,
      tags: context.tags,
      properties: {
        objectType: "BackupInstance",
        friendlyName: storageAccount.name,
        dataSourceInfo: { objectType: "Datasource", ...datasource },
        dataSourceSetInfo: { objectType: "DatasourceSet", ...datasource },
        policyInfo: {
          policyId: target.policyId,
          policyParameters: { backupDatasourceParametersList: [{ objectType: "BlobBackupDatasourceParameters", containersList }] },
        },
        // Blob vaulted backup works only through the system-assigned identity (it holds the grant).
        identityDetails: { useSystemAssignedIdentity: true },
      },
    },
    // Azure validates the vault's access to the account when protection is configured, so the
    // instance waits for the grant to take effect, not only to exist.
    stateful({ dependsOn: [grant, grantEffective] }),
  );
  return { instanceId: instance.id, protectedContainers: kept.map((c) => c.name), excludedContainers: excluded };
}
