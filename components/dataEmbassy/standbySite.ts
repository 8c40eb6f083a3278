import * as pulumi from "@pulumi/pulumi";
import { EmbassyNetwork } from "../embassyNetwork";
import type { EmbassyContext, Governed, PrivateLinkRequest } from "../shared";
import { SecondSiteArgs, secondSiteContext, secondSiteNetworkArgs } from "./args";

/** Arguments of {@link StandbySite}: `region` is the host's geo-pair, where the accounts' geo-secondaries are. */
export type StandbySiteArgs = SecondSiteArgs;

/**
 * What a host with a geo-pair keeps in that pair, so that the register accounts' geo-secondaries can
 * be read when the host region is gone (issue 16, audit F9): a VNet of the pair region whose subnet
 * holds the `blob_secondary` private endpoints of the read-access (RA-GZRS) accounts, and a workload
 * subnet for the readers. An endpoint is a NIC in a subnet of its VNet's region ("must be deployed in
 * the same region … as the virtual network", private-endpoint-overview), so one in the host's VNet is
 * lost with the host region; the secondary endpoint itself is served from the pair ("The
 * private-link resource can be deployed in a different region than the one for the virtual network
 * and private endpoint", same page). The keys need no copy here: Key Vault replicates a paired
 * region's vault to its pair (KeyCustody), and a standby identity of this region is granted the
 * storage identity's keys (KeyCustody.standbyIdentity).
 *
 * Unlike the replica site of an unpaired host, the pair holds no register account of the stack: the
 * geo-secondary is Azure's copy of the host accounts (its VNet's flow-log account is the one account
 * here, governance's). The resources share the host's resource group
 * (governance covers them; the group's metadata lives in the host region, see ReplicaSite and
 * docs/dr-runbook.md).
 */
export class StandbySite extends pulumi.ComponentResource {
  /** Which second site this is (a host has one: replica or standby). */
  readonly kind = "standby";
  /** Placement of the site's resources: the pair region, second-site names. */
  readonly context: EmbassyContext;
  /** VNet, subnets and NSGs in the pair region, linked to the host's private DNS zones. */
  readonly network: EmbassyNetwork;
  /** The site's private endpoints, by `<service>-<group>`. */
  readonly privateEndpoints: Record<string, { id: pulumi.Output<string>; privateIpAddresses: pulumi.Output<string[]> }> = {};

  constructor(name: string, args: StandbySiteArgs, opts?: pulumi.ComponentResourceOptions) {
    super("dataembassy:index:StandbySite", name, {}, opts);
    this.context = secondSiteContext(args);
    this.network = new EmbassyNetwork(`${name}-network`, secondSiteNetworkArgs(args.settings, this.context, args.hostDnsZoneIds), { parent: this });
  }

  /**
   * Connects `links` (the accounts' `blob_secondary` sub-resources) through this site's VNet and
   * returns what governance must lock and log, named `standby-…` so they stand apart from the host's.
   */
  govern(links: readonly PrivateLinkRequest[]): Governed {
    for (const { service, resourceId, groupId } of links) {
      const link = this.network.connect(service, { resourceId, groupId });
      this.privateEndpoints[`${service}-${groupId}`] = { id: link.id, privateIpAddresses: link.privateIpAddresses };
    }
    const named = <T extends { name: string }>(t: T): T => ({ ...t, name: `standby-${t.name}` });
    return { locks: this.network.governed.locks.map(named), diagnostics: this.network.governed.diagnostics.map(named), privateLinks: [] };
  }
}
