import type { Settings } from "../../components";
import { SealError } from "./errors";
import type { SealOutputs } from "./outputs";
import {
  accountPolicyIrreversible,
  backupVaultLockIrreversible,
  containerLockNeedsEtag,
  lockedOnlyExtendable,
  Source,
  unlockedDefaultInherited,
} from "./sources";

/**
 * What the seal locks, as a pure function of the stack's validated settings (the intent) and its
 * outputs (where the resources are). No Azure call: the same plan is printed by the dry run and
 * executed by tools/seal/armSealer.ts.
 */

/** The settings the seal reads. */
export type SealIntent = Pick<Settings, "wormState" | "wormRetentionDays" | "backupImmutability" | "registers">;

interface StepBase {
  /** ARM id of what gets locked. */
  readonly resourceId: string;
  /** Short label for people. */
  readonly label: string;
  /** Why the settings ask for this lock. */
  readonly reason: string;
  readonly sources: readonly Source[];
}

/** Lock a register container's immutability policy (POST …/immutabilityPolicies/default/lock, If-Match). */
export interface ContainerPolicyStep extends StepBase {
  readonly kind: "container-policy";
  readonly register: string;
  readonly resourceGroup: string;
  readonly accountName: string;
  readonly containerName: string;
  /** The period the settings ask for; the policy found must have it before it is locked. */
  readonly retentionDays: number;
}

/** Lock the storage account's version-level WORM default policy (PATCH of the account). */
export interface AccountWormStep extends StepBase {
  readonly kind: "account-worm";
  readonly resourceGroup: string;
  readonly accountName: string;
  /** The period the settings ask for; the policy found must have it before it is locked. */
  readonly retentionDays: number;
}

/** Lock the backup vault's immutability (PATCH of the vault's securitySettings). */
export interface BackupVaultStep extends StepBase {
  readonly kind: "backup-vault";
}

/** One irreversible lock. */
export type SealStep = ContainerPolicyStep | AccountWormStep | BackupVaultStep;

/** Something the seal deliberately leaves alone, and why. */
export interface NotSealed {
  readonly what: string;
  readonly reason: string;
}

/** The steps of one seal, in the order they run. */
export interface SealPlan {
  readonly stack: string;
  readonly subscriptionId: string;
  readonly resourceGroup: string;
  readonly steps: readonly SealStep[];
  readonly notSealed: readonly NotSealed[];
}

/** True when the settings ask for any Locked state — and so need `acknowledgeIrreversibleLock`. */
export function intendsLock(intent: SealIntent): boolean {
  return intent.wormState === "Locked" || intent.backupImmutability === "Locked" || intent.registers.some((r) => r.immutability === "locked");
}

const containerIdPattern =
  /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/providers\/Microsoft\.Storage\/storageAccounts\/([^/]+)\/blobServices\/default\/containers\/([^/]+)$/i;
const anyIdPattern = /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\//i;

interface ContainerLocation {
  subscriptionId: string;
  resourceGroup: string;
  accountName: string;
  containerName: string;
}

function containerLocation(register: string, id: string, outputs: SealOutputs): ContainerLocation {
  const match = containerIdPattern.exec(id);
  if (match === null) {
    throw new SealError(`Output registerContainers.${register} is not a blob container id: ${id}`);
  }
  const [, subscriptionId, resourceGroup, accountName, containerName] = match;
  if (resourceGroup.toLowerCase() !== outputs.resourceGroupName.toLowerCase() || accountName !== outputs.storageAccountName) {
    throw new SealError(
      `Output registerContainers.${register} (${id}) is not in storage account ${outputs.storageAccountName} of resource group ${outputs.resourceGroupName}: the outputs disagree, refresh them (pulumi stack output)`,
    );
  }
  return { subscriptionId, resourceGroup, accountName, containerName };
}

/** The one subscription all located resources are in. */
function subscriptionOf(ids: readonly string[]): string {
  const subscriptions = new Set(ids.map((id) => anyIdPattern.exec(id)?.[1]).filter((s): s is string => s !== undefined));
  if (subscriptions.size === 0) throw new SealError("The stack outputs name no resource id to take the subscription from (registerContainers, backupVaultId)");
  if (subscriptions.size > 1)
    throw new SealError(`The stack outputs point into several subscriptions (${[...subscriptions].join(", ")}); the embassy lives in one`);
  return [...subscriptions][0];
}

/**
 * Plans the seal: one step per Locked state the settings ask for, containers first (their
 * Unlocked policies are what leaves the registers open, audit F5), then the account's WORM, then
 * the backup vault.
 *
 * @throws SealError - an output needed to locate a resource is missing or inconsistent
 */
export function planSeal(stack: string, intent: SealIntent, outputs: SealOutputs): SealPlan {
  const steps: SealStep[] = [];
  const notSealed: NotSealed[] = [];
  const rg = outputs.resourceGroupName;
  const account = outputs.storageAccountName;
  const subscriptionId = subscriptionOf([
    ...Object.values(outputs.registerContainers),
    ...(outputs.backupVaultId === undefined ? [] : [outputs.backupVaultId]),
    ...(outputs.replica?.backupVaultId === undefined ? [] : [outputs.replica.backupVaultId]),
  ]);

  intent.registers.forEach((register, i) => {
    if (register.immutability !== "locked") {
      notSealed.push({
        what: `container policy of register "${register.name}"`,
        reason:
          register.immutability === "none"
            ? `registers[${i}].immutability is "none": the register has no container policy`
            : `registers[${i}].immutability is "unlocked": its policy stays Unlocked`,
      });
      return;
    }
    const id = outputs.registerContainers[register.name];
    if (id === undefined) {
      throw new SealError(
        `Output registerContainers has no container for register "${register.name}": run \`pulumi up\` for this stack's settings first, then refresh the outputs`,
      );
    }
    const where = containerLocation(register.name, id, outputs);
    steps.push({
      kind: "container-policy",
      register: register.name,
      resourceId: `${id}/immutabilityPolicies/default`,
      resourceGroup: where.resourceGroup,
      accountName: where.accountName,
      containerName: where.containerName,
      retentionDays: register.retentionDays,
      label: `container policy ${where.containerName} (${register.retentionDays} days)`,
      reason: `registers[${i}].immutability is "locked". The container's own policy takes precedence over the account's WORM default and, until locked, can be shortened or deleted (audit F5).`,
      sources: [containerLockNeedsEtag, unlockedDefaultInherited, lockedOnlyExtendable],
    });
  });

  // The object replica of a host without a geo-pair carries the same WORM as the host's account
  // (components/sovereignStorage), in the same resource group.
  const accounts = [account, ...(outputs.replica === undefined ? [] : [outputs.replica.storageAccountName])];
  for (const name of accounts) {
    if (intent.wormState === "Locked") {
      steps.push({
        kind: "account-worm",
        resourceId: `/subscriptions/${subscriptionId}/resourceGroups/${rg}/providers/Microsoft.Storage/storageAccounts/${name}`,
        resourceGroup: rg,
        accountName: name,
        retentionDays: intent.wormRetentionDays,
        label: `storage account ${name} version-level WORM (${intent.wormRetentionDays} days)`,
        reason: `wormState is "Locked". ARM creates the account-level policy Unlocked; locking is this separate, irreversible step (audit F1).`,
        sources: [accountPolicyIrreversible, lockedOnlyExtendable],
      });
    } else {
      notSealed.push({ what: `storage account ${name} version-level WORM`, reason: `wormState is "${intent.wormState}"` });
    }
  }

  const vaults = [outputs.backupVaultId, outputs.replica?.backupVaultId].filter((id): id is string => id !== undefined);
  if (intent.backupImmutability === "Locked" && vaults.length > 0) {
    for (const vaultId of vaults) {
      const vaultName = vaultId.split("/").pop() ?? vaultId;
      steps.push({
        kind: "backup-vault",
        resourceId: vaultId,
        label: `backup vault ${vaultName} immutability`,
        reason: `backupImmutability is "Locked". Locking makes the vault's immutability irreversible: it blocks operations that would delete recovery points early. It is not WORM storage for vaulted blob backups (audit F19).`,
        sources: [backupVaultLockIrreversible],
      });
    }
  } else if (intent.backupImmutability === "Locked") {
    notSealed.push({ what: "backup vault immutability", reason: 'backupImmutability is "Locked" but the stack has no backup vault (no backupVaultId output)' });
  } else {
    notSealed.push({ what: "backup vault immutability", reason: `backupImmutability is "${intent.backupImmutability}"` });
  }
  return { stack, subscriptionId, resourceGroup: rg, steps, notSealed };
}
