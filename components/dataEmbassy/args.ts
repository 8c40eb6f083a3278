import { findRegion } from "../../catalog/regions";
import type { Settings } from "../../settings";
import type { EmbassyBackupArgs } from "../embassyBackup";
import type { DefenderPlanSettings, EmbassyGovernanceArgs, FlowLogsArgs } from "../embassyGovernance";
import type { EmbassyNetwork, EmbassyNetworkArgs } from "../embassyNetwork";
import type { KeyCustody, KeyCustodyArgs } from "../keyCustody";
import type { EmbassyContext, Governed } from "../shared";
import type { SovereignStorage, SovereignStorageArgs } from "../sovereignStorage";
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
  };
}

/** The registers' account, encrypted with the state's keys. */
export function storageArgs(settings: Settings, context: EmbassyContext, keys: KeyCustody): SovereignStorageArgs {
  return {
    context,
    registers: settings.registers,
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
    blobSoftDeleteDays: settings.blobSoftDeleteDays,
    containerSoftDeleteDays: settings.containerSoftDeleteDays,
    changeFeedRetentionDays: settings.changeFeedRetentionDays,
  };
}

/** Vaulted backup of every register container, under the backup key. */
export function backupArgs(settings: Settings, context: EmbassyContext, keys: KeyCustody, storage: SovereignStorage): EmbassyBackupArgs {
  return {
    context,
    storageAccount: { id: storage.accountId, name: storage.accountName },
    containers: settings.registers.map((r) => ({ name: r.name, id: storage.registers[r.name].containerId, legalHold: r.legalHold })),
    encryption: { keyName: keys.backupKey.name, keyUri: keys.backupKey.uri, keyResourceId: keys.backupKey.resourceId, enabled: keysReady(settings.phase) },
    softDeleteDays: settings.backupSoftDeleteDays,
    immutability: sentState(settings, settings.backupImmutability),
    retention: {
      dailyDays: settings.backupDailyRetentionDays,
      weeklyWeeks: settings.backupWeeklyRetentionWeeks,
      monthlyMonths: settings.backupMonthlyRetentionMonths,
      yearlyYears: settings.backupYearlyRetentionYears,
    },
    resourceGuardId: settings.resourceGuardId,
    roleAssignmentPropagationWait: settings.roleAssignmentPropagationWait,
  };
}

/** Roles, locks, logs, alerts and the policy baseline over what the other components reported. */
export function governanceArgs(
  settings: Settings,
  context: EmbassyContext,
  keys: KeyCustody,
  storage: SovereignStorage,
  governed: Governed,
): EmbassyGovernanceArgs {
  return {
    context,
    principals: { operators: settings.operators, auditors: settings.auditors, dataIngestPrincipals: settings.dataIngestPrincipals },
    ingestScopes: Object.fromEntries(openForIngest(settings).map((r) => [r.name, storage.registers[r.name].containerId])),
    keyStore: { kind: keys.keyManagement, id: keys.vaultId, name: keys.vaultName },
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

/** What the plan must tell the operator about these settings, given whether a backup vault is built. */
export function embassyWarnings(settings: Settings, backedUp: boolean): { readonly about: "embassy" | "backup" | "storage"; readonly message: string }[] {
  const warnings: { about: "embassy" | "backup" | "storage"; message: string }[] = [];
  if (backedUp && settings.environment !== "dev" && settings.resourceGuardId === undefined) {
    warnings.push({
      about: "backup",
      message:
        "The Resource Guard is created by this stack, next to the vault it guards: whoever deploys the embassy can approve their own critical backup operations. Set resourceGuardId to a guard owned by a security administrator in another subscription or tenant.",
    });
  }
  if (backedUp && settings.resourceGuardId !== undefined) {
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
  if (!backedUp) {
    warnings.push({
      about: "storage",
      message:
        "No vaulted backup: the host region has no geo-pair, so the registers are object-replicated, and Azure Backup cannot protect a container that takes part in object replication. The replica account in objectReplicationRegion is the only off-account copy.",
    });
  }
  // Restricted regions ("deploy on request" in the catalog) refuse deployments until Microsoft has
  // granted the subscription access: Microsoft Learn, "Azure region access request process",
  // section Reserved access regions (learn.microsoft.com/troubleshoot/azure/general/region-access-request-process).
  // The stack deploys into the host and, on a host without a pair (no vault), the replica's region;
  // a geo-secondary receives Azure's replication, nothing of the stack's.
  const deployedIn = [{ key: "hostRegion", region: settings.hostRegion }];
  if (!backedUp && settings.objectReplicationRegion !== undefined)
    deployedIn.push({ key: "objectReplicationRegion", region: settings.objectReplicationRegion });
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
        "Manual steps, see docs/dr-runbook.md section B: (1) restore every register container from the newest surviving copy " +
        "(cross-region restore into the vault's paired region, then a server-side copy into this account); " +
        "(2) verify blob counts and checksums against the last inventory; (3) switch the ingest identity to this account.",
    });
  }
  return warnings;
}

/** VNet flow logs of the embassy's VNet(s), their accounts under the storage key (issue 19). */
export function flowLogsArgs(settings: Settings, keys: KeyCustody, storage: SovereignStorage, network: EmbassyNetwork): FlowLogsArgs {
  return {
    targets: [{ name: "primary", vnetId: network.vnetId, region: settings.hostRegion, sku: storage.redundancy.sku }],
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
