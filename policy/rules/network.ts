import { azureName, idRefersTo, label, ofTypes } from "./arm";
import { Finding, resourceRule, ResourceView, stackRule } from "./rule";
import { types } from "../../catalog/resourceTypes";
import { get, list, oneOf, same, shown, strings, text } from "./values";

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

/** Address prefixes that stand for the Internet (or everything, the Internet included). */
const internetPrefixes = ["Internet", "*", "Any", "0.0.0.0/0", "0.0.0.0", "::/0"];

/** One NSG security rule, inline (`securityRules[i]`) or a separate SecurityRule resource. */
interface SecurityRuleView {
  readonly name: string;
  readonly props: unknown;
  /** Where a violation is reported: the SecurityRule resource, or the NSG of an inline rule. */
  readonly urn: string;
}

const prefixesOf = (rule: unknown, side: "source" | "destination"): string[] => {
  const one = text(rule, `${side}AddressPrefix`);
  return [...(one === undefined ? [] : [one]), ...strings(rule, `${side}AddressPrefixes`)];
};

const outbound = (rule: unknown): boolean => same(get(rule, "direction"), "Outbound");

/** The far side of a rule: where inbound traffic comes from, where outbound traffic goes. */
const remotePrefixes = (rule: unknown): string[] => prefixesOf(rule, outbound(rule) ? "destination" : "source");

/** The near side of a rule: the embassy's addresses it covers. */
const localPrefixes = (rule: unknown): string[] => prefixesOf(rule, outbound(rule) ? "source" : "destination");

const anyPort = (rule: unknown): boolean => {
  const ranges = [...(text(rule, "destinationPortRange") === undefined ? [] : [text(rule, "destinationPortRange")]), ...strings(rule, "destinationPortRanges")];
  return ranges.some((r) => oneOf(r, ["*", "0-65535"]));
};

/** The NSG's inline rules plus the SecurityRule resources that add rules to it. */
function rulesOf(nsg: ResourceView, resources: readonly ResourceView[]): SecurityRuleView[] {
  const inline = list(nsg.props, "securityRules").map((r, i) => ({ name: text(r, "name") ?? `securityRules[${i}]`, props: r, urn: nsg.urn }));
  const name = azureName(nsg);
  const separate = ofTypes(resources, types.securityRule)
    .filter((r) => {
      const parent = text(r.props, "networkSecurityGroupName");
      return parent === undefined || name === undefined
        ? r.dependencies.includes(nsg.urn)
        : same(parent, name) && same(r.props.resourceGroupName, text(nsg.props, "resourceGroupName") ?? "");
    })
    .map((r) => ({ name: text(r.props, "securityRuleName") ?? r.name, props: r.props, urn: r.urn }));
  return [...inline, ...separate];
}

/** nsg-internet-denied */
export const nsgInternetDenied = stackRule([types.networkSecurityGroup, types.securityRule], (resources) => {
  const findings: Finding[] = [];
  for (const nsg of ofTypes(resources, types.networkSecurityGroup)) {
    const rules = rulesOf(nsg, resources);
    for (const rule of rules.filter((r) => same(get(r.props, "access"), "Allow"))) {
      const open = remotePrefixes(rule.props).filter((p) => oneOf(p, internetPrefixes));
      if (open.length === 0) continue;
      const direction = outbound(rule.props) ? "outbound to" : "inbound from";
      findings.push({
        urn: rule.urn,
        message: `${label(nsg)}: rule ${rule.name} (priority ${shown(get(rule.props, "priority"))}) allows traffic ${direction} ${open.join(", ")}: the Internet must be denied both ways`,
      });
    }
    for (const direction of ["Inbound", "Outbound"]) {
      const denied = rules.some(
        (r) =>
          same(get(r.props, "access"), "Deny") &&
          same(get(r.props, "direction"), direction) &&
          remotePrefixes(r.props).some((p) => same(p, "Internet")) &&
          localPrefixes(r.props).some((p) => oneOf(p, ["*", "Any"])) &&
          oneOf(get(r.props, "protocol"), ["*", "Any"]) &&
          anyPort(r.props),
      );
      if (!denied) {
        findings.push({
          urn: nsg.urn,
          message: `${label(nsg)} has no explicit ${direction.toLowerCase()} Deny rule for the Internet service tag (all protocols, ports and addresses)`,
        });
      }
    }
  }
  return findings;
});

/** subnet-private */
export const subnetPrivate = resourceRule([types.subnet, types.virtualNetwork], (r) => {
  const problem = (subnet: unknown, what: string) =>
    get(subnet, "defaultOutboundAccess") === false ? [] : [`${what} has defaultOutboundAccess ${shown(get(subnet, "defaultOutboundAccess"))}, must be false`];
  if (r.type === types.subnet) return problem(r.props, `subnet ${text(r.props, "subnetName") ?? r.name}`);
  return list(r.props, "subnets").flatMap((s) => problem(s, `inline subnet ${text(s, "name") ?? "(unnamed)"} of ${label(r)}`));
});
