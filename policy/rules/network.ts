import { idRefersTo, label, ofTypes } from "./arm";
import { resourceRule, ResourceView } from "./rule";
import { types } from "../../catalog/resourceTypes";
import { list, oneOf, strings, text } from "./values";

/** Network rules, and how the other rules find a resource's private endpoints. */

/** Group ids of the private endpoint connections that point at `target`. */
export function privateEndpointGroups(target: ResourceView, resources: readonly ResourceView[]): Set<string> {
  const groups = new Set<string>();
  for (const pe of ofTypes(resources, types.privateEndpoint)) {
    const connections = [...list(pe.props, "privateLinkServiceConnections"), ...list(pe.props, "manualPrivateLinkServiceConnections")];
    for (const connection of connections) {
      if (idRefersTo(text(connection, "privateLinkServiceId"), target, pe)) {
        strings(connection, "groupIds").forEach((g) => groups.add(g.toLowerCase()));
      }
    }
  }
  return groups;
}

const subnetProblem = (subnet: unknown, what: string): string[] =>
  text(subnet, "networkSecurityGroup.id") === undefined ? [`${what} has no networkSecurityGroup`] : [];

// Azure reserves these subnets for its own gateways, which do not accept an NSG.
const reservedSubnets = ["GatewaySubnet", "AzureFirewallSubnet", "AzureFirewallManagementSubnet", "RouteServerSubnet"];

/** nsg-on-subnets */
export const nsgOnSubnets = resourceRule([types.subnet, types.virtualNetwork], (r) => {
  if (r.type === types.subnet) {
    return oneOf(text(r.props, "subnetName"), reservedSubnets) ? [] : subnetProblem(r.props, `subnet ${text(r.props, "subnetName") ?? r.name}`);
  }
  return list(r.props, "subnets")
    .filter((s) => !oneOf(text(s, "name"), reservedSubnets))
    .flatMap((s) => subnetProblem(s, `inline subnet ${text(s, "name") ?? "(unnamed)"} of ${label(r)}`));
});
