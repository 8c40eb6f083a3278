import * as pulumi from "@pulumi/pulumi";
import { EmbassyBackup, EmbassyBackupArgs } from "../embassyBackup";
import { EmbassyNetwork } from "../embassyNetwork";
import { KeyCustody } from "../keyCustody";
import { allGoverned, EmbassyContext, Governed, nothingGoverned } from "../shared";
import type { ReplicaSiteStorage } from "../sovereignStorage";
import { keyCustodyArgs, SecondSiteArgs, secondSiteContext, secondSiteNetworkArgs } from "./args";

/** Arguments of {@link ReplicaSite}: `region` is objectReplicationRegion, where the replica, its keys, endpoints and backups live. */
export type ReplicaSiteArgs = SecondSiteArgs;

/**
 * Everything a host without a geo-pair keeps in its second region, so that the copy there is usable
 * when the host region is gone: its own key custody (vault or HSM, one key per register, the
 * account's and the backups' key, the encryption identity, its grants and their propagation wait),
 * its own VNet with private endpoints and private DNS, and its own backup vault. Nothing in it
 * depends on a resource in the host region at run time: the replica's keys never leave the replica
 * region's vault (audit F8), and its endpoints are NICs in a subnet of that region (audit F9).
 *
 * The resources share the host's resource group, so the host's governance covers them (roles,
 * policy assignments, alerts and locks). Its metadata lives in the host region: while that region is
 * down, Azure Resource Manager may refuse to update them ("ARM stores resource data for resources in
 * a resource group and, if the region is unavailable, updates to this data could fail, making the
 * resource effectively read-only", Azure Proactive Resiliency Library, RG-1,
 * azure.github.io/Azure-Proactive-Resiliency-Library/services/management/resource-group). Their data
 * plane (replica reads, key unwrap, scheduled backups) does not depend on it; docs/dr-runbook.md
 * says what this means for a restore.
 */
export class ReplicaSite extends pulumi.ComponentResource {
  /** Which second site this is (a host has one: replica or standby). */
  readonly kind = "replica";
  /** Placement of the site's resources: the replica region, site `r` names. */
  readonly context: EmbassyContext;
  /** VNet, subnets, NSGs, private DNS in the replica region. */
  readonly network: EmbassyNetwork;
  /** Keys in the replica region. */
  readonly keys: KeyCustody;
  /** The backup vault of the replica account (after {@link protect}). */
  backup?: EmbassyBackup;
  /** Private endpoints of the site's services, by `replica-<service>-<group>`. */
  readonly privateEndpoints: Record<string, { id: pulumi.Output<string>; privateIpAddresses: pulumi.Output<string[]> }> = {};
  private readonly prefix: string;

  constructor(name: string, args: ReplicaSiteArgs, opts?: pulumi.ComponentResourceOptions) {
    super("dataembassy:index:ReplicaSite", name, {}, opts);
    this.prefix = name;
    const { settings } = args;
    this.context = secondSiteContext(args);
    const child = { parent: this };
    this.network = new EmbassyNetwork(`${name}-network`, secondSiteNetworkArgs(settings, this.context, args.hostDnsZoneIds), child);
    this.keys = new KeyCustody(`${name}-keys`, keyCustodyArgs(settings, this.context), child);
  }

  /** What the replica account encrypts with: this site's keys, through this site's identity. */
  storage(): ReplicaSiteStorage {
    return {
      context: this.context,
      encryption: {
        identityId: this.keys.encryptionIdentity.id,
        keyVaultUri: this.keys.vaultUri,
        accountKey: this.keys.storageKey,
        registerKeys: this.keys.registerKeys,
      },
    };
  }

  /** Backs up the replica account with a vault in this region (a vault protects data sources of its own region). */
  protect(args: Omit<EmbassyBackupArgs, "context">): EmbassyBackup {
    this.backup = new EmbassyBackup(`${this.prefix}-backup`, { ...args, context: this.context }, { parent: this });
    return this.backup;
  }

  /**
   * Connects the site's services (its keys, the replica account given in `storage`) through this
   * site's VNet, and returns what governance must lock and log, named `replica-…` so they stand
   * apart from the host's.
   */
  govern(storage: Governed): Governed {
    const governed = allGoverned(this.keys.governed, this.network.governed, storage, this.backup?.governed ?? nothingGoverned);
    for (const { service, resourceId, groupId } of governed.privateLinks) {
      const link = this.network.connect(service, { resourceId, groupId });
      const key = service.startsWith("replica") ? service : `replica-${service}`;
      this.privateEndpoints[`${key}-${groupId}`] = { id: link.id, privateIpAddresses: link.privateIpAddresses };
    }
    const named = <T extends { name: string }>(t: T): T => (t.name.startsWith("replica") ? t : { ...t, name: `replica-${t.name}` });
    return { locks: governed.locks.map(named), diagnostics: governed.diagnostics.map(named), privateLinks: [] };
  }
}
