import { findRegion } from "../../catalog/regions";
import type { Settings } from "../../settings";
import type { EmbassyBackupArgs } from "../embassyBackup";
import type { DefenderPlanSettings, EmbassyGovernanceArgs, FlowLogsArgs } from "../embassyGovernance";
import type { EmbassyNetwork, EmbassyNetworkArgs } from "../embassyNetwork";
import type { KeyCustody, KeyCustodyArgs } from "../keyCustody";
import type { EmbassyContext, Governed } from "../shared";
import type * as pulumi from "@pulumi/pulumi";
import { chooseRedundancy, type RegisterContainer, type ReplicaSiteStorage, type SovereignStorage, type SovereignStorageArgs } from "../sovereignStorage";
import type { ReplicaSite } from "./replicaSite";
import type { StandbySite } from "./standbySite";
import type { Register } from "../../settings/registers";
import { registersByShard } from "./shards";
import { secondSite } from "../shared/naming";
import { keysReady, nextSteps, openForIngest, sentState } from "./phasePlan";

/**
 * How the embassy's settings become each component's arguments: pure functions (no resources),
 * so the mapping is testable without the engine and `DataEmbassy` only wires components together.
 */

/** The VNet, subnets and private DNS from the address plan. */
export function networkArgs(settings: Settings, context: EmbassyContext): EmbassyNetworkArgs {
  return {
    context,
    addressSpace: settings.vnetAddressSpace,
    privateEndpointSubnet: settings.privateEndpointSubnet,
    workloadSubnet: settings.workloadSubnet,
    privateDns: settings.privateDnsMode === "byo" ? { mode: "byo", zoneIds: settings.byoPrivateDnsZoneIds } : { mode: "managed" },
    hubVnetId: settings.hubVnetId,
  };
}

/** Arguments of a second site: the replica site (ReplicaSite) or the standby site (StandbySite). */
export interface SecondSiteArgs {
  /** Validated stack settings: the site takes the replica* address plan, the DNS mode and, for a replica site, the key and backup settings. */
  readonly settings: Settings;
  /** The host's context; the site keeps its resource group and tags and takes its own region and names. */
  readonly host: EmbassyContext;
  /** The site's region: objectReplicationRegion (replica site) or the host's geo-pair (standby site). */
  readonly region: string;
  /** The host network's private DNS zones (by zone name): the site links its VNet to them (one zone of a name per resource group). */
  readonly hostDnsZoneIds: Readonly<Record<string, pulumi.Input<string>>>;
}

/** Where a second site's resources go: the host's resource group and tags, the site's region and names. */
export function secondSiteContext(args: SecondSiteArgs): EmbassyContext {
  return { ...args.host, location: args.region, namer: args.host.namer.forSite(secondSite) };
}

/**
 * The VNet of a second site (replica or standby) in `context.location`, from the replica* address
 * plan, linked to the host's private DNS zones (a resource group holds one zone of a name) or the
 * hub's. "Azure DNS is a global service that isn't bound to any specific availability zone or single
 * region" (learn.microsoft.com/azure/reliability/reliability-dns-private): the records resolve while
 * the host region is down; adding one then is an ARM write on a zone of the host's group.
 */
export function secondSiteNetworkArgs(
  settings: Settings,
  context: EmbassyContext,
  hostDnsZoneIds: Readonly<Record<string, pulumi.Input<string>>>,
): EmbassyNetworkArgs {
  return {
    context,
    addressSpace: settings.replicaVnetAddressSpace,
    privateEndpointSubnet: settings.replicaPrivateEndpointSubnet,
    workloadSubnet: settings.replicaWorkloadSubnet,
    privateDns: settings.privateDnsMode === "byo" ? { mode: "byo", zoneIds: settings.byoPrivateDnsZoneIds } : { mode: "linked", zoneIds: hostDnsZoneIds },
    hubVnetId: settings.hubVnetId,
  };
}

/** One key per register plus the account's and the backups', in the chosen key store. */
export function keyCustodyArgs(settings: Settings, context: EmbassyContext): KeyCustodyArgs {
  return {
    context,
    registers: settings.registers.map((r) => r.name),
    keyCustodians: settings.keyCustodians,
    keyManagement: settings.keyManagement,
    managedHsmAdmins: settings.managedHsmAdmins,
    keySize: settings.keySize,
    keyExpiryDays: settings.keyExpiryDays,
    keyRotationDays: settings.keyRotationDays,
    keyNotifyBeforeExpiryDays: settings.keyNotifyBeforeExpiryDays,
    recoverSoftDeletedVault: settings.recoverSoftDeletedVault,
    roleAssignmentPropagationWait: settings.roleAssignmentPropagationWait,
    standbyRegion: context.location === settings.hostRegion ? standbyRegionOf(settings) : undefined,
  };
}

/**
 * Where a paired host's standby site lives: the host's geo-pair, which holds the accounts'
 * geo-secondaries (catalog/regions.ts). Undefined for a host without a pair (its second site is the
 * replica site, in objectReplicationRegion).
 */
export function standbyRegionOf(settings: Settings): string | undefined {
  return findRegion(settings.hostRegion)?.pair;
}

/**
 * A registers' account (shard 0 by default: see shards.ts), encrypted with the state's keys; the
 * replica (unpaired host, one shard only: settings/crossKeyRules.ts) with its own site's keys.
 */
export function storageArgs(
  settings: Settings,
  context: EmbassyContext,
  keys: KeyCustody,
  replica?: ReplicaSiteStorage,
  registers: readonly Register[] = registersByShard(settings)[0],
): SovereignStorageArgs {
  return {
    context,
    registers,
    encryption: {
      identityId: keys.encryptionIdentity.id,
      keyVaultUri: keys.vaultUri,
      accountKey: keys.storageKey,
      registerKeys: keys.registerKeys,
    },
    // Keys made in a Managed HSM's ceremony exist only once the stack is keys-ready.
    customerManagedKeys: keys.keysProvisioned || keysReady(settings.phase),
    worm: { state: sentState(settings, settings.wormState), retentionDays: settings.wormRetentionDays },
    objectReplicationRegion: settings.objectReplicationRegion,
    replica,
    blobSoftDeleteDays: settings.blobSoftDeleteDays,
    containerSoftDeleteDays: settings.containerSoftDeleteDays,
    changeFeedRetentionDays: settings.changeFeedRetentionDays,
  };
}

/** The account a backup vault protects and its register containers. */
export interface BackedUpAccount {
  readonly id: pulumi.Input<string>;
  readonly name: pulumi.Input<string>;
  readonly containers: Readonly<Record<string, RegisterContainer>>;
}

/**
 * Vaulted backup of shard 0's register containers of `account` (further shards: shards.ts), under the backup key of `keys`. The
 * external Resource Guard (resourceGuardId) guards the host's vault only: a guard must be in its
 * vault's region, so a vault elsewhere (the replica site's) gets a guard of its own.
 */
export function backupArgs(settings: Settings, context: EmbassyContext, keys: KeyCustody, account: BackedUpAccount): EmbassyBackupArgs {
  const backupKey = keys.backupKey;
  // Only a register-shard stack's custody goes without one (shardStack.ts), and it builds no backup vault.
  if (backupKey === undefined) throw new Error("backupArgs needs key custody with a backup key (KeyCustody backupKey: true)");
  return {
    context,
    storageAccount: { id: account.id, name: account.name },
    containers: registersByShard(settings)[0].map((r) => ({ name: r.name, id: account.containers[r.name].containerId, legalHold: r.legalHold })),
    encryption: { keyName: backupKey.name, keyUri: backupKey.uri, keyResourceId: backupKey.resourceId, enabled: keysReady(settings.phase) },
    softDeleteDays: settings.backupSoftDeleteDays,
    immutability: sentState(settings, settings.backupImmutability),
    retention: {
      dailyDays: settings.backupDailyRetentionDays,
      weeklyWeeks: settings.backupWeeklyRetentionWeeks,
      monthlyMonths: settings.backupMonthlyRetentionMonths,
      yearlyYears: settings.backupYearlyRetentionYears,
    },
    resourceGuardId: context.location === settings.hostRegion ? settings.resourceGuardId : undefined,
    roleAssignmentPropagationWait: settings.roleAssignmentPropagationWait,
  };
}

/**
 * Roles, locks, logs, alerts and the policy baseline over what the other components reported;
 * `registers`: every shard's containers; `site`: a replica site, whose key store auditors read and
 * whose key expiry is watched as the host's; `recoveryReadScopes`: the accounts holding register
 * copies, by a stable key, which recovery readers are eligible to read.
 */
export function governanceArgs(
  settings: Settings,
  context: EmbassyContext,
  keys: KeyCustody,
  registers: Readonly<Record<string, RegisterContainer>>,
  governed: Governed,
  site?: ReplicaSite,
  recoveryReadScopes: Readonly<Record<string, pulumi.Input<string>>> = {},
): EmbassyGovernanceArgs {
  return {
    context,
    principals: {
      operators: settings.operators,
      auditors: settings.auditors,
      dataIngestPrincipals: settings.dataIngestPrincipals,
      recoveryReaders: settings.recoveryReaders,
    },
    ingestScopes: Object.fromEntries(openForIngest(settings).map((r) => [r.name, registers[r.name].containerId])),
    recoveryRead: { scopes: recoveryReadScopes, eligibilityDays: settings.recoveryReaderEligibilityDays },
    keyStores: [
      { kind: keys.keyManagement, id: keys.vaultId, name: keys.vaultName, location: context.location },
      ...(site === undefined
        ? []
        : [{ kind: site.keys.keyManagement, id: site.keys.vaultId, name: site.keys.vaultName, location: site.context.location, label: "replica" }]),
    ],
    locks: governed.locks,
    diagnostics: governed.diagnostics,
    policy: {
      approvedRegions: settings.approvedRegions,
      enforcement: settings.policyEnforcement,
      keyRotationDays: settings.keyRotationDays,
      lockedBackupImmutability: settings.backupImmutability === "Locked",
    },
    logRetentionDays: settings.logRetentionDays,
    alertEmails: settings.alertEmails,
    roleAssignmentPropagationWait: settings.roleAssignmentPropagationWait,
  };
}

/** The replica site's region: objectReplicationRegion when the host has no geo-pair. */
function replicaRegionOf(settings: Settings): string | undefined {
  return findRegion(settings.hostRegion)?.pair === undefined ? settings.objectReplicationRegion : undefined;
}

/** What the plan must tell the operator about these settings. */
export function embassyWarnings(settings: Settings): { readonly about: "embassy" | "backup" | "storage"; readonly message: string }[] {
  const warnings: { about: "embassy" | "backup" | "storage"; message: string }[] = [];
  const replicaRegion = replicaRegionOf(settings);
  if (replicaRegion !== undefined && settings.environment !== "dev") {
    // A Resource Guard must be in its vault's region (Microsoft's MUA prerequisites, below).
    warnings.push({
      about: "backup",
      message:
        `The replica's backup vault in ${replicaRegion} gets a Resource Guard created by this stack, next to it (a guard must be in its vault's region; resourceGuardId guards the host's vault in ${settings.hostRegion}): ` +
        "whoever deploys the embassy can approve their own critical operations on it. Have a security administrator in another subscription or tenant take it over (docs/restore.md, multi-user authorization).",
    });
  }
  if (settings.environment !== "dev" && settings.resourceGuardId === undefined) {
    warnings.push({
      about: "backup",
      message:
        "The Resource Guard is created by this stack, next to the vault it guards: whoever deploys the embassy can approve their own critical backup operations. Set resourceGuardId to a guard owned by a security administrator in another subscription or tenant.",
    });
  }
  if (settings.resourceGuardId !== undefined) {
    // Microsoft's MUA prerequisites ("Tutorial: Create a Resource Guard and enable Multi-user
    // authorization in Azure Backup", Backup vault tab): "Ensure the Resource Guard and the Backup
    // vault are in the same Azure region", "The Backup admin must have Reader role on the Resource
    // Guard … to enable MUA on a vault", and "Ensure the Backup admin does not have Contributor
    // permissions on the Resource Guard". A resource id names no region, and the plan runs offline.
    warnings.push({
      about: "backup",
      message:
        `External Resource Guard ${settings.resourceGuardId}: before pulumi up, check that it is in ${settings.hostRegion}, the vault's region ` +
        `(az resource show --ids <resourceGuardId> --query location), and that the identity running pulumi up holds Reader on it and not Contributor, Backup MUA Admin or Backup MUA Operator ` +
        "(az role assignment list --scope <resourceGuardId> --assignee <deployer> --include-inherited). Microsoft requires both for multi-user authorization; the id does not tell the plan. See docs/restore.md.",
    });
  }
  // Restricted regions ("deploy on request" in the catalog) refuse deployments until Microsoft has
  // granted the subscription access: Microsoft Learn, "Azure region access request process",
  // section Reserved access regions (learn.microsoft.com/troubleshoot/azure/general/region-access-request-process).
  // The stack deploys into the host and its second site's region: the replica site's
  // (objectReplicationRegion) for a host without a pair, the standby site's (the pair) otherwise.
  const deployedIn = [{ key: "hostRegion", region: settings.hostRegion }];
  if (replicaRegion !== undefined) deployedIn.push({ key: "objectReplicationRegion", region: replicaRegion });
  const standbyRegion = standbyRegionOf(settings);
  if (standbyRegion !== undefined) deployedIn.push({ key: "The standby site's region (hostRegion's geo-pair)", region: standbyRegion });
  for (const { key, region } of deployedIn.filter((d) => findRegion(d.region)?.restricted === true)) {
    warnings.push({
      about: key === "hostRegion" ? "embassy" : "storage",
      message:
        `${key} ${region} is a restricted Azure region (deploy on request): Azure refuses resources there until Microsoft grants this subscription access. ` +
        `Request it before pulumi up, and for a DR region before the day you need it (Azure engineering reviews each request): Azure portal, Help + support, Create a support request, ` +
        `Issue type "Service and subscription limits (quotas)", Quota type "Other Requests", description "Request access for the Azure ${findRegion(region)?.displayName} region for <organisation>" ` +
        "with the subscription ids and the planned storage usage. Source: Microsoft Learn, Azure region access request process, Reserved access regions " +
        "(https://learn.microsoft.com/troubleshoot/azure/general/region-access-request-process#reserved-access-regions).",
    });
  }
  const steps = nextSteps(settings);
  if (steps.length > 0) {
    warnings.push({ about: "embassy", message: `Phase ${settings.phase}: still to do: ${steps.map((s, i) => `(${i + 1}) ${s}`).join("; ")}.` });
  }
  if (settings.environment === "dr") {
    // The program rebuilds the infrastructure; the data comes back by hand (docs/dr-runbook.md).
    warnings.push({
      about: "embassy",
      message:
        `DR re-provisioning of the embassy lost in ${settings.drPrimaryRegion}: the storage account is created empty. ` +
        "Manual steps, after the seal, see docs/dr-runbook.md section B step 4 (section D for a lost host without a geo-pair): " +
        "(1) restore every register container from the newest surviving copy: cross-region restore from the lost embassy's vault into a staging account " +
        "in that vault's paired region, or the replica site's vault or replica account, then a client-side copy from a workload in this stack's " +
        "workload subnet (never a server-side copy between private-only accounts: it fails, and allowedCopyScope PrivateLink refuses it); " +
        "(2) verify blob counts and checksums against the last inventory; (3) switch the ingest identity to this account.",
    });
  }
  return warnings;
}

/**
 * VNet flow logs of the embassy's VNet(s), their accounts under the storage key (issue 19): the
 * host's, and the second site's VNet in its own region behind that site's own private endpoints: a
 * replica site's under its own keys, a standby site's under the host's storage key (which Key Vault
 * replicates to the pair) through the standby identity of the pair region.
 */
export function flowLogsArgs(
  settings: Settings,
  keys: KeyCustody,
  storage: SovereignStorage,
  network: EmbassyNetwork,
  site?: ReplicaSite | StandbySite,
): FlowLogsArgs {
  const second = site?.context.location;
  const secondEncryption =
    site?.kind === "replica"
      ? { identityId: site.keys.encryptionIdentity.id, keyVaultUri: site.keys.vaultUri, keyName: site.keys.storageKey.name }
      : { identityId: (keys.standbyIdentity ?? keys.encryptionIdentity).id, keyVaultUri: keys.vaultUri, keyName: keys.storageKey.name };
  return {
    targets: [
      {
        name: "primary",
        vnetId: network.vnetId,
        region: settings.hostRegion,
        sku: storage.redundancy.sku,
        // As the registers' accounts: a read-access secondary's endpoint in the standby site's VNet (StandbySite).
        connect: (service: string, target: Parameters<EmbassyNetwork["connect"]>[1]) =>
          (site?.kind === "standby" && target.groupId === "blob_secondary" ? site.network : network).connect(service, target),
      },
      ...(site === undefined || second === undefined
        ? []
        : [
            {
              name: "second",
              vnetId: site.network.vnetId,
              region: second,
              sku: chooseRedundancy(second, settings.hostRegion).sku,
              encryption: secondEncryption,
              connect: (service: string, target: Parameters<EmbassyNetwork["connect"]>[1]) => site.network.connect(service, target),
            },
          ]),
    ],
    retentionDays: settings.flowLogRetentionDays,
    networkWatcherResourceGroup: settings.networkWatcherResourceGroup,
    encryption: { identityId: keys.encryptionIdentity.id, keyVaultUri: keys.vaultUri, keyName: keys.storageKey.name },
    // Keys made in a Managed HSM's ceremony exist only once the stack is keys-ready.
    customerManagedKey: keys.keysProvisioned || keysReady(settings.phase),
  };
}

/** Defender plans: the keys, else on in production kinds and off in dev (issue 19). */
export function defenderPlansOf(settings: Settings): DefenderPlanSettings {
  const production = settings.environment !== "dev";
  return { storage: settings.defenderForStorage ?? production, keyVault: settings.defenderForKeyVault ?? production };
}
