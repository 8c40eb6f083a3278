import { euRegionNames, findRegion } from "../../catalog/regions";
import { azurePolicies } from "../../catalog/azurePolicies";
import { idIsResourceGroup, idRefersTo, label, ofTypes } from "./arm";
import { environmentOf, isProduction, stackEnvironment } from "./environment";
import { ConfigSpec, Finding, resourceRule, ResourceView, stackRule } from "./rule";
import { types } from "../../catalog/resourceTypes";
import { get, list, num, oneOf, same, shown, strings, text } from "./values";

/** Governance rules: locks, Azure Policy assignments, alerts and log retention. */

/** Resource types that hold state Azure can delete. */
export const lockedTypes = [types.storageAccount, types.vault, types.managedHsm, types.backupVault];

const deleteBlocking = (lock: ResourceView) => oneOf(lock.props.level, ["CanNotDelete", "ReadOnly"]);

function isLocked(target: ResourceView, locks: readonly ResourceView[]): boolean {
  const group = text(target.props, "resourceGroupName");
  return locks.filter(deleteBlocking).some((lock) => {
    if (lock.type === types.lockAtResourceGroup) return group !== undefined && same(lock.props.resourceGroupName, group);
    return idRefersTo(lock.props.scope, target, lock) || (group !== undefined && idIsResourceGroup(lock.props.scope, group));
  });
}

/** delete-locks */
export const deleteLocks = stackRule(lockedTypes, (resources) => {
  const locks = ofTypes(resources, types.lockByScope, types.lockAtResourceGroup);
  return ofTypes(resources, ...lockedTypes)
    .filter((r) => !isLocked(r, locks))
    .map((r) => ({ urn: r.urn, message: `${label(r)} has no CanNotDelete lock on itself or its resource group` }));
});

/** Assignments of a built-in definition or initiative, by GUID. */
function assignmentsOf(resources: readonly ResourceView[], guid: string): ResourceView[] {
  return ofTypes(resources, types.policyAssignment).filter((a) => text(a.props, "policyDefinitionId")?.toLowerCase().endsWith(`/${guid}`));
}

/** Policy config that carries the stack's approved regions. */
export const approvedRegionsConfig: ConfigSpec = {
  approvedRegions: {
    schema: { type: "array", items: { type: "string" }, description: "Regions data may rest in (the stack's `approvedRegions` config)." },
    default: euRegionNames,
  },
};

/** The approved regions of a rule's config, as ARM names. */
export function approvedSet(config: Readonly<Record<string, unknown>>): Set<string> {
  return new Set(strings(config.approvedRegions).map((r) => findRegion(r)?.name ?? r.toLowerCase()));
}

/** allowed-locations-assignment */
export const allowedLocationsAssignment = stackRule(
  [types.policyAssignment],
  (resources, config) => {
    const approved = approvedSet(config);
    const anchor = ofTypes(resources, types.policyAssignment)[0];
    return [azurePolicies.allowedLocations, azurePolicies.allowedResourceGroupLocations].flatMap((definition): Finding[] => {
      const assigned = assignmentsOf(resources, definition.guid);
      if (assigned.length === 0) return [{ urn: anchor.urn, message: `"${definition.displayName}" (${definition.guid}) is not assigned` }];
      return assigned.flatMap((a) => {
        const findings: Finding[] = [];
        // DoNotEnforce turns the assignment into a report: nothing is refused.
        const mode = a.props.enforcementMode;
        if (mode !== undefined && !same(mode, "Default")) {
          findings.push({ urn: a.urn, message: `enforcementMode is ${shown(mode)}, must be "Default" (or unset) so the assignment is enforced` });
        }
        const listed = strings(get(a.props, "parameters.listOfAllowedLocations.value"));
        const outside = listed.filter((l) => !approved.has(findRegion(l)?.name ?? l.toLowerCase()));
        if (listed.length === 0) findings.push({ urn: a.urn, message: "parameters.listOfAllowedLocations.value is empty" });
        else if (outside.length > 0) findings.push({ urn: a.urn, message: `listOfAllowedLocations allows ${outside.join(", ")}, which are not approved` });
        return findings;
      });
    });
  },
  approvedRegionsConfig,
);

/** data-residency-assignment */
export const dataResidencyAssignment = stackRule([types.policyAssignment], (resources) => {
  const initiative = azurePolicies.dataResidency;
  return assignmentsOf(resources, initiative.guid).length > 0
    ? []
    : [{ urn: ofTypes(resources, types.policyAssignment)[0].urn, message: `"${initiative.displayName}" (${initiative.guid}) is not assigned` }];
});

/** Operations that must raise an alert, by the resource type whose presence makes them relevant. */
const alertedOperations: readonly { when: string; operations: readonly string[] }[] = [
  { when: types.policyAssignment, operations: ["Microsoft.Authorization/policyAssignments/write", "Microsoft.Authorization/policyAssignments/delete"] },
  { when: types.networkSecurityGroup, operations: ["Microsoft.Network/networkSecurityGroups/write", "Microsoft.Network/networkSecurityGroups/delete"] },
];

function alerts(alert: ResourceView, operation: string): boolean {
  if (alert.props.enabled === false || list(alert.props, "actions.actionGroups").length === 0) return false;
  return list(alert.props, "condition.allOf").some(
    (c) => same(get(c, "field"), "operationName") && (same(get(c, "equals"), operation) || list(c, "anyOf").some((a) => same(get(a, "equals"), operation))),
  );
}

/** activity-log-alerts */
export const activityLogAlerts = stackRule([types.policyAssignment, types.networkSecurityGroup, types.activityLogAlert, types.actionGroup], (resources) => {
  const alertRules = ofTypes(resources, types.activityLogAlert);
  const groups = ofTypes(resources, types.actionGroup);
  const missing = alertedOperations.flatMap(({ when, operations }): Finding[] => {
    const subject = ofTypes(resources, when)[0];
    if (subject === undefined) return [];
    return operations
      .filter((op) => !alertRules.some((a) => alerts(a, op)))
      .map((op) => ({ urn: subject.urn, message: `no enabled activity-log alert with an action group fires on ${op}` }));
  });
  // Every alert the stack defines is on (a disabled one is a silent gap), and so is every action group.
  const disabledAlerts = alertRules
    .filter((a) => a.props.enabled === false)
    .map((a) => ({ urn: a.urn, message: `activity-log alert ${text(a.props, "activityLogAlertName") ?? a.name} is disabled (enabled: false)` }));
  const disabledGroups = groups
    .filter((g) => g.props.enabled !== true)
    .map((g) => {
      const users = alertRules.filter((a) => list(a.props, "actions.actionGroups").some((ref) => idRefersTo(get(ref, "actionGroupId"), g, a))).length;
      return { urn: g.urn, message: `${label(g)} has enabled ${shown(g.props.enabled)}, must be true: ${users} alert(s) notify nobody` };
    });
  return [...missing, ...disabledAlerts, ...disabledGroups];
});

/** Activity-log categories the subscription export must send (CIS 6.1.1.2). */
export const activityLogCategories = ["Administrative", "Security", "Policy", "Alert"];

/** activity-log-export */
export const activityLogExport = stackRule([types.workspace, types.subscriptionDiagnosticSetting], (resources) => {
  const workspaces = ofTypes(resources, types.workspace);
  const settings = ofTypes(resources, types.subscriptionDiagnosticSetting);
  const toWorkspace = settings.filter((s) => workspaces.some((w) => idRefersTo(s.props.workspaceId, w, s)));
  const exported = (s: ResourceView, category: string) =>
    list(s.props, "logs").some((l) => get(l, "enabled") === true && (same(get(l, "category"), category) || same(get(l, "categoryGroup"), "allLogs")));
  const missing = (s: ResourceView) => activityLogCategories.filter((c) => !exported(s, c));
  if (toWorkspace.some((s) => missing(s).length === 0)) return [];
  if (toWorkspace.length === 0) {
    const anchor = settings[0] ?? workspaces[0];
    const why = settings.length === 0 ? "there is no subscription diagnostic setting" : "no subscription diagnostic setting sends to the stack's workspace";
    return [{ urn: anchor.urn, message: `the subscription activity log is not exported to Log Analytics: ${why}` }];
  }
  return toWorkspace.map((s) => ({
    urn: s.urn,
    message: `subscription diagnostic setting ${text(s.props, "name") ?? s.name} does not export ${missing(s).join(", ")} (needs ${activityLogCategories.join(", ")})`,
  }));
});

/** log-analytics-local-auth-disabled */
export const logAnalyticsLocalAuthDisabled = resourceRule([types.workspace], (r) => {
  const value = get(r.props, "features.disableLocalAuth");
  return value === true ? [] : [`features.disableLocalAuth is ${shown(value)}, must be true`];
});

/** log-retention */
export const logRetention = stackRule([types.workspace], (resources) => {
  const stack = stackEnvironment(resources);
  return ofTypes(resources, types.workspace).flatMap((w): Finding[] => {
    const env = environmentOf(w, stack);
    const days = num(w.props, "retentionInDays");
    if (!isProduction(env) || (days !== undefined && days >= 365)) return [];
    return [{ urn: w.urn, message: `${label(w)} keeps logs ${shown(days)} days, need at least 365 in a ${env} stack` }];
  });
});
