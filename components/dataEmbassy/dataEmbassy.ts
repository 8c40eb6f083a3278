import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import * as authorization from "@pulumi/azure-native/authorization";
import * as resources from "@pulumi/azure-native/resources";
import { EmbassyBackup } from "../embassyBackup/embassyBackup";
import { DiagnosticTarget, EmbassyGovernance, LockTarget } from "../embassyGovernance/embassyGovernance";
import type { EmbassyContext } from "../shared/context";
import { KeyCustody } from "../keyCustody/keyCustody";
import { EmbassyNetwork } from "../embassyNetwork/embassyNetwork";
import type { PrivateLinkGroup } from "../../catalog/privateLink";
import { chooseRedundancy } from "../sovereignStorage/redundancy";
import { Namer, suffixLength } from "../shared/naming";
import { statefulOptions } from "../shared/protection";
import type { Settings } from "../../settings/schema";
import { SovereignStorage } from "../sovereignStorage/sovereignStorage";

/** Arguments of {@link DataEmbassy}. */
export interface DataEmbassyArgs {
  /** Validated stack settings (see `loadSettings`). */
  readonly settings: Settings;
}

/**
 * A government's virtual data embassy: the registers' copies in a foreign EU region, under keys the
 * state holds, reachable only privately, backed up immutably and auditable.
 */
export class DataEmbassy extends pulumi.ComponentResource {
  /** Resource group that holds the whole embassy. */
  readonly resourceGroupName: pulumi.Output<string>;
  /** Azure region hosting the embassy. */
  readonly location: string;
  /** Stable random suffix that makes this stack's globally unique names its own. */
  readonly nameSuffix: pulumi.Output<string>;
  /** The state's keys: vault (or Managed HSM), per-purpose and per-register keys, encryption identities. */
  readonly keys: KeyCustody;
  /** Private network: VNet, subnets, NSGs, private DNS and the private endpoints of every data service. */
  readonly network: EmbassyNetwork;
  /** Private endpoint per data service: ARM id and the private IPs Azure assigned. */
  readonly privateEndpoints: Readonly<Record<string, { id: pulumi.Output<string>; privateIpAddresses: pulumi.Output<string[]> }>>;
  /** The registers' copies: the hardened, geo-redundant, WORM storage account and its containers. */
  readonly storage: SovereignStorage;
  /**
   * Geo-redundant, immutable, MUA-guarded vaulted backups of the register containers. Undefined
   * when the host has no geo-pair: the registers are then object-replicated, and Azure cannot back
   * up a container that takes part in object replication.
   */
  readonly backup?: EmbassyBackup;
  /** Roles, locks, Azure Policy baseline, audit logs, alerts and the auditor's evidence. */
  readonly governance: EmbassyGovernance;

  constructor(name: string, args: DataEmbassyArgs, opts?: pulumi.ComponentResourceOptions) {
    super("dataembassy:index:DataEmbassy", name, {}, opts);
    const { settings } = args;
    this.location = settings.hostRegion;

    const suffix = new random.RandomString(
      `${name}-name-suffix`,
      { length: suffixLength, lower: true, upper: false, numeric: true, special: false },
      { parent: this },
    );
    this.nameSuffix = suffix.result;
    const namer = new Namer({ prefix: settings.namePrefix, environment: settings.environment }, suffix.result);
    const tags = embassyTags(settings);
    const client = authorization.getClientConfigOutput({ parent: this });

    const group = new resources.ResourceGroup(
      `${name}-rg`,
      { resourceGroupName: namer.localName("resourceGroup"), location: settings.hostRegion, tags },
      statefulOptions(settings.protectResources, { parent: this }),
    );
    this.resourceGroupName = group.name;

    const context: EmbassyContext = {
      resourceGroupName: group.name,
      resourceGroupId: group.id,
      location: settings.hostRegion,
      namer,
      tags,
      protect: settings.protectResources,
      subscriptionId: client.subscriptionId,
      tenantId: client.tenantId,
    };
    this.network = new EmbassyNetwork(
      `${name}-network`,
      {
        context,
        addressSpace: settings.vnetAddressSpace,
        privateEndpointSubnet: settings.privateEndpointSubnet,
        workloadSubnet: settings.workloadSubnet,
        privateDns: settings.privateDnsMode === "byo" ? { mode: "byo", zoneIds: settings.byoPrivateDnsZoneIds } : { mode: "managed" },
        hubVnetId: settings.hubVnetId,
      },
      { parent: this },
    );
    this.keys = new KeyCustody(
      `${name}-keys`,
      {
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
      },
      { parent: this },
    );

    this.storage = new SovereignStorage(
      `${name}-storage`,
      {
        context,
        registers: settings.registers,
        encryption: {
          identityId: this.keys.encryptionIdentity.id,
          keyVaultUri: this.keys.vaultUri,
          accountKey: this.keys.storageKey,
          registerKeys: this.keys.registerKeys,
        },
        worm: { state: settings.wormState, retentionDays: settings.wormRetentionDays },
        objectReplicationRegion: settings.objectReplicationRegion,
        blobSoftDeleteDays: settings.blobSoftDeleteDays,
        containerSoftDeleteDays: settings.containerSoftDeleteDays,
        changeFeedRetentionDays: settings.changeFeedRetentionDays,
      },
      { parent: this },
    );

    if (this.storage.replicaAccountId === undefined) {
      this.backup = new EmbassyBackup(
        `${name}-backup`,
        {
          context,
          storageAccount: { id: this.storage.accountId, name: this.storage.accountName },
          containers: settings.registers.map((r) => ({ name: r.name, id: this.storage.registers[r.name].containerId, legalHold: r.legalHold })),
          encryption: { identityId: this.keys.backupIdentity.id, keyUri: this.keys.backupKey.uri },
          softDeleteDays: settings.backupSoftDeleteDays,
          immutability: settings.backupImmutability,
          retention: {
            dailyDays: settings.backupDailyRetentionDays,
            weeklyWeeks: settings.backupWeeklyRetentionWeeks,
            monthlyMonths: settings.backupMonthlyRetentionMonths,
            yearlyYears: settings.backupYearlyRetentionYears,
          },
          resourceGuardId: settings.resourceGuardId,
        },
        { parent: this },
      );
      if (settings.environment !== "dev" && settings.resourceGuardId === undefined) {
        pulumi.log.warn(
          "The Resource Guard is created by this stack, next to the vault it guards: whoever deploys the embassy can approve their own critical backup operations. Set resourceGuardId to a guard owned by a security administrator in another subscription or tenant.",
          this.backup,
        );
      }
    } else {
      pulumi.log.warn(
        "No vaulted backup: the host region has no geo-pair, so the registers are object-replicated, and Azure Backup cannot protect a container that takes part in object replication. The replica account in objectReplicationRegion is the only off-account copy.",
        this.storage,
      );
    }

    // Data services are reachable only through these endpoints (their public access is disabled).
    // Read-access (RA-*) accounts also expose their geo-secondary, privately.
    const readAccess = (sku: string) => sku.startsWith("Standard_RA");
    const links: [string, pulumi.Input<string>, PrivateLinkGroup][] = [
      ["keys", this.keys.vaultId, this.keys.privateEndpointGroupId],
      ["registers", this.storage.accountId, "blob"],
    ];
    if (readAccess(this.storage.redundancy.sku)) links.push(["registers", this.storage.accountId, "blob_secondary"]);
    const { replicaRegion } = this.storage.redundancy;
    if (this.storage.replicaAccountId !== undefined && replicaRegion !== undefined) {
      links.push(["replica", this.storage.replicaAccountId, "blob"]);
      if (readAccess(chooseRedundancy(replicaRegion, settings.hostRegion).sku)) links.push(["replica", this.storage.replicaAccountId, "blob_secondary"]);
    }
    this.privateEndpoints = Object.fromEntries(
      links.map(([service, resourceId, groupId]) => {
        const link = this.network.connect(service, { resourceId, groupId });
        return [`${service}-${groupId}`, { id: link.id, privateIpAddresses: link.privateIpAddresses }];
      }),
    );

    // Governance comes last: it locks, logs and watches what the components above created.
    const locks: LockTarget[] = [
      { name: "keys", resourceId: this.keys.vaultId },
      // Deleting an encryption identity makes the data it encrypts unreadable.
      { name: "identity-storage", resourceId: this.keys.encryptionIdentity.id },
      { name: "identity-backup", resourceId: this.keys.backupIdentity.id },
      { name: "storage", resourceId: this.storage.accountId },
    ];
    const diagnostics: DiagnosticTarget[] = [
      { name: "keys", resourceId: this.keys.vaultId, kind: this.keys.keyManagement },
      { name: "storage", resourceId: this.storage.accountId, kind: "storageAccount" },
      { name: "nsg-pe", resourceId: this.network.networkSecurityGroupIds.privateEndpoint, kind: "networkSecurityGroup" },
      { name: "nsg-workload", resourceId: this.network.networkSecurityGroupIds.workload, kind: "networkSecurityGroup" },
    ];
    if (this.storage.replicaAccountId !== undefined) {
      locks.push({ name: "replica", resourceId: this.storage.replicaAccountId });
      diagnostics.push({ name: "replica", resourceId: this.storage.replicaAccountId, kind: "storageAccount" });
    }
    if (this.backup !== undefined) {
      locks.push({ name: "backup", resourceId: this.backup.vaultId });
      diagnostics.push({ name: "backup", resourceId: this.backup.vaultId, kind: "backupVault" });
      // A guard brought from elsewhere (resourceGuardId) belongs to its owner, who locks it.
      if (settings.resourceGuardId === undefined) locks.push({ name: "resource-guard", resourceId: this.backup.guardId });
    }
    this.governance = new EmbassyGovernance(
      `${name}-governance`,
      {
        context,
        principals: { operators: settings.operators, auditors: settings.auditors, dataIngestPrincipals: settings.dataIngestPrincipals },
        ingestScopes: Object.fromEntries(settings.registers.map((r) => [r.name, this.storage.registers[r.name].containerId])),
        keyStore: { kind: this.keys.keyManagement, id: this.keys.vaultId, name: this.keys.vaultName },
        locks,
        diagnostics,
        policy: {
          approvedRegions: settings.approvedRegions,
          enforcement: settings.policyEnforcement,
          keyRotationDays: settings.keyRotationDays,
          lockedBackupImmutability: settings.backupImmutability === "Locked",
        },
        logRetentionDays: settings.logRetentionDays,
        alertEmails: settings.alertEmails,
      },
      { parent: this },
    );

    if (settings.environment === "dr") {
      // The program rebuilds the infrastructure; the data comes back by hand (docs/dr-runbook.md).
      pulumi.log.warn(
        `DR re-provisioning of the embassy lost in ${settings.drPrimaryRegion}: the storage account is created empty. ` +
          "Manual steps, see docs/dr-runbook.md section B: (1) restore every register container from the newest surviving copy " +
          "(cross-region restore into the vault's paired region, then a server-side copy into this account); " +
          "(2) verify blob counts and checksums against the last inventory; (3) switch the ingest identity to this account.",
        this,
      );
    }

    this.registerOutputs({
      resourceGroupName: this.resourceGroupName,
      location: this.location,
      nameSuffix: this.nameSuffix,
      vnetId: this.network.vnetId,
      privateEndpointSubnetId: this.network.privateEndpointSubnetId,
      workloadSubnetId: this.network.workloadSubnetId,
      privateEndpoints: this.privateEndpoints,
    });
  }
}

/** Tags every embassy resource carries, so auditors can find and attribute it. */
export function embassyTags(settings: Settings): Record<string, string> {
  return {
    workload: "data-embassy",
    environment: settings.environment,
    homeCountry: settings.homeCountry,
    managedBy: "pulumi",
  };
}
