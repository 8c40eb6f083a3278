import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import * as authorization from "@pulumi/azure-native/authorization";
import * as resources from "@pulumi/azure-native/resources";
import { phaseTag } from "../../catalog/phases";
import type { Settings } from "../../settings";
import { EmbassyBackup } from "../embassyBackup";
import { EmbassyGovernance } from "../embassyGovernance";
import { ResourceTypeRecorder } from "../embassyGovernance/allowedResourceTypes";
import { EmbassyNetwork } from "../embassyNetwork";
import { KeyCustody } from "../keyCustody";
import { allGoverned, EmbassyContext, Namer, nothingGoverned, statefulOptions } from "../shared";
import { suffixLength } from "../shared/naming";
import { chooseRedundancy, RegisterContainer, SovereignStorage } from "../sovereignStorage";
import { allRegisterContainers, buildShards, StorageShard } from "./shards";
import { backupArgs, defenderPlansOf, embassyWarnings, flowLogsArgs, governanceArgs, keyCustodyArgs, networkArgs, standbyRegionOf, storageArgs } from "./args";
import { ReplicaSite } from "./replicaSite";
import { StandbySite } from "./standbySite";

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
  /** Its ARM id. */
  readonly resourceGroupId: pulumi.Output<string>;
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
  /** The registers' copies: the hardened, geo-redundant, WORM storage account and its containers (shard 0). */
  readonly storage: SovereignStorage;
  /** Every storage-account shard, shard 0 (`storage`) first (shards.ts). */
  readonly shards: readonly StorageShard[];
  /** Every register's container and encryption scope, whichever shard holds it. */
  readonly registerContainers: Readonly<Record<string, RegisterContainer>>;
  /**
   * Immutable, MUA-guarded vaulted backups of the register containers, in the host region:
   * geo-redundant with cross-region restore where the host has a pair, zone-redundant where it has
   * none (the surviving backup is then the replica site's, {@link replicaSite}).
   */
  readonly backup: EmbassyBackup;
  /**
   * A host without a geo-pair: the object replica's site in objectReplicationRegion, with its own
   * keys, private network and backup vault, so the copy survives the host region. Undefined for a
   * paired host (Azure's geo-secondary is its copy).
   */
  readonly replicaSite?: ReplicaSite;
  /**
   * A host with a geo-pair: the standby site in that pair, holding the private endpoints of the
   * accounts' read-access geo-secondaries, so they are readable when the host region is gone.
   */
  readonly standbySite?: StandbySite;
  /** Roles, locks, Azure Policy baseline, audit logs, alerts and the auditor's evidence. */
  readonly governance: EmbassyGovernance;

  constructor(name: string, args: DataEmbassyArgs, opts?: pulumi.ComponentResourceOptions) {
    // Records every resource type the embassy registers: the allowed-resource-types assignment lists exactly those.
    const recorder = new ResourceTypeRecorder();
    super("dataembassy:index:DataEmbassy", name, {}, recorder.watch(opts));
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
      // The phase tag tells the policy pack, offline and live, which lifecycle states to expect.
      { resourceGroupName: namer.localName("resourceGroup"), location: settings.hostRegion, tags: { ...tags, [phaseTag]: settings.phase } },
      statefulOptions(settings.protectResources, { parent: this }),
    );
    this.resourceGroupName = group.name;
    this.resourceGroupId = group.id;
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

    const child = { parent: this };
    this.network = new EmbassyNetwork(`${name}-network`, networkArgs(settings, context), child);
    this.keys = new KeyCustody(`${name}-keys`, keyCustodyArgs(settings, context), child);
    const { replicaRegion } = chooseRedundancy(settings.hostRegion, settings.objectReplicationRegion);
    const site =
      replicaRegion === undefined
        ? undefined
        : new ReplicaSite(`${name}-replica`, { settings, host: context, region: replicaRegion, hostDnsZoneIds: this.network.privateDnsZoneIds }, child);
    this.replicaSite = site;
    const standbyRegion = standbyRegionOf(settings);
    const standby =
      standbyRegion === undefined
        ? undefined
        : new StandbySite(`${name}-standby`, { settings, host: context, region: standbyRegion, hostDnsZoneIds: this.network.privateDnsZoneIds }, child);
    this.standbySite = standby;
    const storage = new SovereignStorage(`${name}-storage`, storageArgs(settings, context, this.keys, site?.storage()), child);
    this.storage = storage;
    this.backup = new EmbassyBackup(
      `${name}-backup`,
      backupArgs(settings, context, this.keys, { id: storage.accountId, name: storage.accountName, containers: storage.registers }),
      child,
    );
    // Vaulted backup works through an object-replication policy of its own on the account (blob
    // backup support matrix: "If you stop protection (vaulted backup) on a storage account, it
    // doesn't delete the object replication policy created on the storage account"), and "a source
    // account can replicate to no more than two destination accounts" (object-replication-overview):
    // the replica and the vault are the two. No Microsoft page forbids backing up a container that
    // takes part in object replication (audit F17). The replica's vault backs up a container that is
    // itself a replication destination; Microsoft neither documents nor forbids that chaining, so
    // the first restore drill checks that its recovery points hold the replicated blobs
    // (docs/dr-runbook.md D). Either way the replica itself, under WORM, survives the host region.
    if (site !== undefined && storage.replicaAccountId !== undefined && storage.replicaAccountName !== undefined && storage.replicaContainers !== undefined) {
      site.protect(
        backupArgs(settings, site.context, site.keys, {
          id: storage.replicaAccountId,
          name: storage.replicaAccountName,
          containers: storage.replicaContainers,
        }),
      );
    }
    const siteGoverned = site?.govern(storage.replicaGoverned ?? nothingGoverned) ?? nothingGoverned;
    // Registers beyond one account's share (registersPerShard, ≤ Azure's 100 per backup instance) go to further accounts.
    const sharded = buildShards({ name, parent: this, settings, context, suffix: suffix.result, keys: this.keys, first: storage, backup: this.backup });
    this.shards = sharded.shards;
    this.registerContainers = allRegisterContainers(this.shards);
    const governed = allGoverned(this.keys.governed, this.storage.governed, this.network.governed, this.backup.governed, sharded.governed);
    // A read-access secondary is read when the host region is gone: its endpoint goes in the standby site's VNet.
    const inStandby = (groupId: string) => standby !== undefined && groupId === "blob_secondary";
    const standbyGoverned = standby?.govern(governed.privateLinks.filter((l) => inStandby(l.groupId))) ?? nothingGoverned;

    // Data services are reachable only through these endpoints (their public access is disabled).
    this.privateEndpoints = {
      ...Object.fromEntries(
        governed.privateLinks
          .filter((l) => !inStandby(l.groupId))
          .map(({ service, resourceId, groupId }) => {
            const link = this.network.connect(service, { resourceId, groupId });
            return [`${service}-${groupId}`, { id: link.id, privateIpAddresses: link.privateIpAddresses }];
          }),
      ),
      ...site?.privateEndpoints,
      ...standby?.privateEndpoints,
    };
    // Governance comes last: it locks, logs and watches what the components above created.
    this.governance = new EmbassyGovernance(
      `${name}-governance`,
      {
        ...governanceArgs(settings, context, this.keys, this.registerContainers, allGoverned(governed, siteGoverned, standbyGoverned), site, {
          // Keyed by shard (and "replica"), so adding a shard replaces no eligibility.
          ...Object.fromEntries(this.shards.map((s) => [`shard${s.index}`, s.storage.accountId])),
          ...(storage.replicaAccountId === undefined ? {} : { replica: storage.replicaAccountId }),
        }),
        allowedResourceTypes: recorder.armTypes,
        connect: (service, target) => this.network.connect(service, target),
        flowLogs: flowLogsArgs(settings, this.keys, this.storage, this.network, site ?? standby),
        defenderPlans: defenderPlansOf(settings),
      },
      child,
    );

    recorder.finish();

    const subjects = { embassy: this, backup: this.backup, storage: this.storage };
    for (const warning of embassyWarnings(settings)) pulumi.log.warn(warning.message, subjects[warning.about]);

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
