import { builtInRoles, forbiddenRoles } from "../../catalog/roles";
import { ofTypes } from "./arm";
import { Finding, resourceRule, stackRule } from "./rule";
import { types } from "../../catalog/resourceTypes";
import { get, list, strings, text } from "./values";

/** Least privilege: no broad standing roles, and auditors read only. */

/** The role GUID at the end of a role definition id. */
function roleGuid(roleDefinitionId: unknown): string {
  return (text(roleDefinitionId) ?? "").toLowerCase().split("/").pop() ?? "";
}

// Actions that amount to owning the scope.
const wildcardActions = ["*", "*/write", "Microsoft.Authorization/*", "Microsoft.Authorization/*/write", "Microsoft.Authorization/roleAssignments/write"];

/** no-privileged-roles */
export const noPrivilegedRoles = resourceRule([types.roleAssignment, types.roleDefinition], (r) => {
  if (r.type === types.roleDefinition) {
    const actions = list(r.props, "permissions").flatMap((p) => [...strings(p, "actions"), ...strings(p, "dataActions")]);
    // Exact wildcards, or everything of one provider (`Microsoft.Storage/*`).
    const broad = actions.filter((a) => wildcardActions.some((w) => w.toLowerCase() === a.toLowerCase()) || /^[^/]+\/\*$/.test(a));
    return broad.length === 0 ? [] : [`custom role grants ${broad.join(", ")}: list explicit actions instead`];
  }
  const guid = roleGuid(r.props.roleDefinitionId);
  const name = Object.entries(builtInRoles).find(([, id]) => id === guid)?.[0];
  return forbiddenRoles.includes(guid) ? [`grants the forbidden built-in role ${name ?? guid}`] : [];
});

/** Built-in roles an auditor may hold: read-only, no register data, no key operations. */
export const auditorRoles: readonly string[] = [builtInRoles.reader, builtInRoles.keyVaultReader, builtInRoles.logAnalyticsReader];

/** auditor-read-only */
export const auditorReadOnly = stackRule(
  [types.roleAssignment],
  (resources, config) => {
    const auditors = new Set(strings(config.auditors).map((a) => a.toLowerCase()));
    const customRoles = ofTypes(resources, types.roleDefinition);
    return ofTypes(resources, types.roleAssignment)
      .filter((a) => auditors.has((text(a.props, "principalId") ?? "").toLowerCase()))
      .flatMap((a): Finding[] => {
        const guid = roleGuid(a.props.roleDefinitionId);
        if (auditorRoles.includes(guid)) return [];
        const custom = customRoles.find((d) => roleGuid(d.props.roleDefinitionId) === guid || a.dependencies.includes(d.urn));
        if (custom !== undefined && list(custom.props, "permissions").every((p) => strings(p, "dataActions").length === 0 && get(p, "actions") !== undefined)) {
          return [];
        }
        return [{ urn: a.urn, message: `auditor ${text(a.props, "principalId")} is granted role ${guid}, which is not a read-only auditor role (Reader, Key Vault Reader, Log Analytics Reader) or a custom role without data actions` }];
      });
  },
  { auditors: { schema: { type: "array", items: { type: "string" }, description: "Entra object ids of the auditors (the stack's `auditors` config)." }, default: [] } },
);
