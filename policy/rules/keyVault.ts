import { managedHsmMinAdmins } from "../../catalog/limits";
import { idRefersTo, label, ofTypes } from "./arm";
import { privateEndpointGroups } from "./network";
import { Finding, resourceRule, stackRule } from "./rule";
import { types } from "../../catalog/resourceTypes";
import { get, list, num, oneOf, same, shown, text } from "./values";

/** Rules for the state's key stores: Key Vault (Premium) and Managed HSM. */

const keyStores = [types.vault, types.managedHsm];

/** kv-purge-protection */
export const purgeProtection = resourceRule(keyStores, (r) => {
  const value = get(r.props, "properties.enablePurgeProtection");
  return value === true ? [] : [`properties.enablePurgeProtection is ${shown(value)}, must be true`];
});

/** kv-soft-delete */
export const softDelete = resourceRule(keyStores, (r) => {
  const problems: string[] = [];
  if (get(r.props, "properties.enableSoftDelete") === false) problems.push("properties.enableSoftDelete is false");
  const days = num(r.props, "properties.softDeleteRetentionInDays");
  if (days !== undefined && days < 90) problems.push(`properties.softDeleteRetentionInDays is ${days}, must be 90`);
  return problems;
});

/** kv-rbac */
export const rbac = resourceRule([types.vault], (r) => {
  const problems: string[] = [];
  const value = get(r.props, "properties.enableRbacAuthorization");
  if (value !== true) problems.push(`properties.enableRbacAuthorization is ${shown(value)}, must be true`);
  if (list(r.props, "properties.accessPolicies").length > 0) problems.push("properties.accessPolicies are set: grant access with RBAC only");
  return problems;
});

/** kv-public-network-disabled */
export const publicNetworkDisabled = resourceRule(keyStores, (r) => {
  const value = get(r.props, "properties.publicNetworkAccess");
  return same(value, "Disabled") ? [] : [`properties.publicNetworkAccess is ${shown(value)}, must be "Disabled"`];
});

/** kv-firewall-default-deny */
export const firewallDefaultDeny = resourceRule(keyStores, (r) => {
  const acls = get(r.props, "properties.networkAcls");
  const problems: string[] = [];
  if (!same(get(acls, "defaultAction"), "Deny")) problems.push(`properties.networkAcls.defaultAction is ${shown(get(acls, "defaultAction"))}, must be "Deny"`);
  if (!same(get(acls, "bypass"), "AzureServices")) problems.push(`properties.networkAcls.bypass is ${shown(get(acls, "bypass"))}, must be "AzureServices"`);
  return problems;
});

/** kv-private-endpoint */
export const privateEndpoint = stackRule(keyStores, (resources) =>
  ofTypes(resources, ...keyStores).flatMap((store): Finding[] => {
    const group = store.type === types.vault ? "vault" : "managedhsm";
    return privateEndpointGroups(store, resources).has(group) ? [] : [{ urn: store.urn, message: `${label(store)} has no private endpoint for ${group}` }];
  }),
);

/** kv-audit-logs */
export const auditLogs = stackRule(keyStores, (resources) => {
  const settings = ofTypes(resources, types.diagnosticSetting);
  return ofTypes(resources, ...keyStores).flatMap((store): Finding[] => {
    const audited = settings.some(
      (s) =>
        idRefersTo(s.props.resourceUri, store, s) &&
        text(s.props, "workspaceId") !== undefined &&
        list(s.props, "logs").some(
          (l) => get(l, "enabled") === true && (oneOf(get(l, "categoryGroup"), ["audit", "allLogs"]) || same(get(l, "category"), "AuditEvent")),
        ),
    );
    return audited ? [] : [{ urn: store.urn, message: `${label(store)} sends no audit log (category group audit/allLogs or AuditEvent) to a workspace` }];
  });
});

/** managed-hsm-quorum */
export const managedHsmQuorum = resourceRule([types.managedHsm], (r) => {
  const admins = list(r.props, "properties.initialAdminObjectIds").length;
  return admins >= managedHsmMinAdmins
    ? []
    : [`properties.initialAdminObjectIds lists ${admins} administrator(s), need at least ${managedHsmMinAdmins} for an M-of-N security-domain quorum`];
});
