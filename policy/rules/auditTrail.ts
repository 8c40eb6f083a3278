import { azurePolicies } from "../../catalog/azurePolicies";
import { resourceGroupArmTypes, types } from "../../catalog/resourceTypes";
import { ofTypes } from "./arm";
import { environmentOf, isProduction, stackEnvironment } from "./environment";
import { Finding, stackRule } from "./rule";
import { get, same, shown, strings } from "./values";

/**
 * Audit-trail and scope rules (issue 19): what may exist in the embassy's scope, and that the
 * evidence of what happened there is complete and reachable only privately.
 */

/** allowed-resource-types-assignment */
export const allowedResourceTypesAssignment = stackRule([types.policyAssignment], (resources) => {
  const definition = azurePolicies.allowedResourceTypes;
  const assignments = ofTypes(resources, types.policyAssignment);
  const assigned = assignments.filter((a) => (get(a.props, "policyDefinitionId") as string | undefined)?.toLowerCase().endsWith(`/${definition.guid}`));
  if (assigned.length === 0) return [{ urn: assignments[0].urn, message: `"${definition.displayName}" (${definition.guid}) is not assigned` }];
  const { armTypes, unknown } = resourceGroupArmTypes(resources.map((r) => r.type));
  const stack = stackEnvironment(resources);
  return assigned.flatMap((a): Finding[] => {
    const findings: Finding[] = [];
    const listed = strings(get(a.props, "parameters.listOfResourceTypesAllowed.value"));
    // Azure Policy compares type names case-insensitively; so does the check.
    const missing = armTypes.filter((t) => !listed.some((l) => same(l, t)));
    const extra = listed.filter((l) => !armTypes.some((t) => same(l, t)));
    if (missing.length > 0)
      findings.push({ urn: a.urn, message: `listOfResourceTypesAllowed misses ${missing.join(", ")}, which the stack creates: Azure would deny them` });
    if (extra.length > 0) findings.push({ urn: a.urn, message: `listOfResourceTypesAllowed allows ${extra.join(", ")}, which the stack does not create` });
    if (unknown.length > 0) {
      findings.push({
        urn: a.urn,
        message: `the stack creates ${unknown.join(", ")}, whose ARM type catalog/resourceTypes.ts does not know: the allowed list cannot include it`,
      });
    }
    const mode = a.props.enforcementMode;
    if (isProduction(environmentOf(a, stack)) && mode !== undefined && !same(mode, "Default")) {
      findings.push({ urn: a.urn, message: `enforcementMode is ${shown(mode)}, must be "Default" (or unset) in a ${environmentOf(a, stack)} stack` });
    }
    return findings;
  });
});
