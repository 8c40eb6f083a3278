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
import { SovereignStorage } from "../sovereignStorage";
import { backupArgs, defenderPlansOf, embassyWarnings, flowLogsArgs, governanceArgs, keyCustodyArgs, networkArgs, storageArgs } from "./args";

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
    this.storage = new SovereignStorage(`${name}-storage`, storageArgs(settings, context, this.keys), child);
    // An unpaired host object-replicates its registers instead (see embassyWarnings).
    if (this.storage.replicaAccountId === undefined) {
      this.backup = new EmbassyBackup(`${name}-backup`, backupArgs(settings, context, this.keys, this.storage), child);
    }
    const governed = allGoverned(this.keys.governed, this.storage.governed, this.network.governed, this.backup?.governed ?? nothingGoverned);

    // Data services are reachable only through these endpoints (their public access is disabled).
    this.privateEndpoints = Object.fromEntries(
      governed.privateLinks.map(({ service, resourceId, groupId }) => {
        const link = this.network.connect(service, { resourceId, groupId });
        return [`${service}-${groupId}`, { id: link.id, privateIpAddresses: link.privateIpAddresses }];
      }),
    );
    // Governance comes last: it locks, logs and watches what the components above created.
    this.governance = new EmbassyGovernance(
      `${name}-governance`,
      {
        ...governanceArgs(settings, context, this.keys, this.storage, governed),
        allowedResourceTypes: recorder.armTypes,
        connect: (service, target) => this.network.connect(service, target),
        flowLogs: flowLogsArgs(settings, this.keys, this.storage, this.network),
        defenderPlans: defenderPlansOf(settings),
      },
      child,
    );

    recorder.finish();

    const subjects = { embassy: this, backup: this.backup ?? this, storage: this.storage };
    for (const warning of embassyWarnings(settings, this.backup !== undefined)) pulumi.log.warn(warning.message, subjects[warning.about]);

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
