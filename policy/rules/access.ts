import { createHash } from "crypto";
import { builtInRoles, customRoleKeys, customRoleNames, forbiddenRoles } from "../../catalog/roles";
import { ofTypes } from "./arm";
import { Finding, resourceRule, ResourceView, stackRule } from "./rule";
import { types } from "../../catalog/resourceTypes";
import { get, list, shown, strings, text } from "./values";

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

/** recovery-read-eligible-only */
export const recoveryReadEligibleOnly = resourceRule([types.roleEligibility], (r) => {
  const guid = roleGuid(r.props.roleDefinitionId);
  const problems: string[] = [];
  if (guid !== builtInRoles.storageBlobDataReader) {
    const name = Object.entries(builtInRoles).find(([, id]) => id === guid)?.[0];
    problems.push(`makes ${text(r.props, "principalId")} eligible for ${name ?? guid}: the only eligibility the embassy creates is Storage Blob Data Reader`);
  }
  // Exactly a storage account: not its group, subscription or a wider scope.
  if (!/\/providers\/Microsoft\.Storage\/storageAccounts\/[^/]+$/i.test(text(r.props, "scope") ?? "")) {
    problems.push(`scope ${shown(get(r.props, "scope"))} is not one storage account`);
  }
  return problems;
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
        return [
          {
            urn: a.urn,
            message: `auditor ${text(a.props, "principalId")} is granted role ${guid}, which is not a read-only auditor role (Reader, Key Vault Reader, Log Analytics Reader) or a custom role without data actions`,
          },
        ];
      });
  },
  {
    auditors: {
      schema: { type: "array", items: { type: "string" }, description: "Entra object ids of the auditors (the stack's `auditors` config)." },
      default: [],
    },
  },
);

/**
 * The embassy's custom roles, by the name components/embassyGovernance/access.ts gives them (the
 * resource group is appended in parentheses), and what they may contain to stay within their duty.
 */
const operatorRoleName = customRoleNames.operator;
const registerWriterRoleName = customRoleNames.registerWriter;

/** Data actions of a write-only register copy: add blobs and write new versions, nothing that reads, lists or deletes. */
export const writeOnlyDataActions: readonly string[] = [
  "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/write",
  "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/add/action",
];

/** What one duty may hold: built-in role GUIDs, and custom roles by name with a check of their permissions. */
interface DutyRoles {
  /** Config property (and stack config key) listing the duty's principals. */
  readonly property: string;
  readonly duty: string;
  readonly builtIn: readonly string[];
  readonly custom: readonly { readonly name: string; readonly key: string; readonly problem: (definition: ResourceView) => string | undefined }[];
}

const permissionsOf = (definition: ResourceView) => ({
  actions: list(definition.props, "permissions").flatMap((p) => strings(p, "actions")),
  dataActions: list(definition.props, "permissions").flatMap((p) => strings(p, "dataActions")),
});

/** Allow-list per duty (auditors: see auditor-read-only). */
export const dutyRoles: readonly DutyRoles[] = [
  {
    property: "operators",
    duty: "operator",
    builtIn: [builtInRoles.reader],
    custom: [
      {
        name: operatorRoleName,
        key: customRoleKeys.operator,
        problem: (d) => {
          const { dataActions } = permissionsOf(d);
          return dataActions.length === 0 ? undefined : `grants data actions ${dataActions.join(", ")}: operators have no data access`;
        },
      },
    ],
  },
  {
    property: "dataIngestPrincipals",
    duty: "data ingest principal",
    builtIn: [],
    custom: [
      {
        name: registerWriterRoleName,
        key: customRoleKeys.registerWriter,
        problem: (d) => {
          const { actions, dataActions } = permissionsOf(d);
          const extra = [...actions, ...dataActions.filter((a) => !writeOnlyDataActions.some((w) => w.toLowerCase() === a.toLowerCase()))];
          return extra.length === 0 ? undefined : `grants ${extra.join(", ")}: ingest is write-only (${writeOnlyDataActions.join(", ")})`;
        },
      },
    ],
  },
  { property: "keyCustodians", duty: "key custodian", builtIn: [builtInRoles.keyVaultCryptoOfficer], custom: [] },
];

/**
 * The GUID the embassy gives its custom role `key` in the resource group of the assignment's scope
 * (components/embassyGovernance/access.ts stableGuid over the group's lower-cased id and the key);
 * undefined when the scope is not in a resource group.
 */
export function coreDefinedRole(assignment: ResourceView, key: string): string | undefined {
  const group = /^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+/i.exec(text(assignment.props, "scope") ?? "")?.[0];
  if (group === undefined) return undefined;
  const h = createHash("sha256").update(`${group.toLowerCase()}/${key}`).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** The custom role definition an assignment grants: by GUID, or — while the plan does not know the GUID yet — by the dependency on it. */
export function customRoleOf(assignment: ResourceView, customRoles: readonly ResourceView[]): ResourceView | undefined {
  const guid = roleGuid(assignment.props.roleDefinitionId);
  return customRoles.find((d) =>
    text(d.props, "roleDefinitionId") === undefined ? assignment.dependencies.includes(d.urn) : roleGuid(d.props.roleDefinitionId) === guid,
  );
}

/** True when `definition` is the embassy custom role `name` (its name may carry the resource group in parentheses). */
export function isCustomRole(definition: ResourceView | undefined, name: string): boolean {
  const roleName = text(definition?.props, "roleName") ?? "";
  return roleName === name || roleName.startsWith(`${name} (`);
}

const principalsConfig = (description: string) => ({ schema: { type: "array", items: { type: "string" }, description }, default: [] });

/** duty-least-privilege */
export const dutyLeastPrivilege = stackRule(
  [types.roleAssignment],
  (resources, config) => {
    const customRoles = ofTypes(resources, types.roleDefinition);
    return ofTypes(resources, types.roleAssignment).flatMap((a): Finding[] => {
      const principal = (text(a.props, "principalId") ?? "").toLowerCase();
      const duties = dutyRoles.filter((d) => strings(config[d.property]).some((p) => p.toLowerCase() === principal));
      if (duties.length === 0) return [];
      const guid = roleGuid(a.props.roleDefinitionId);
      if (duties.some((d) => d.builtIn.includes(guid))) return [];
      const definition = customRoleOf(a, customRoles);
      // A register-shard stack assigns its core's custom role, defined (and checked by this rule) in the core stack.
      if (definition === undefined && duties.some((d) => d.custom.some((c) => coreDefinedRole(a, c.key) === guid))) return [];
      const roleName = text(definition?.props, "roleName") ?? "";
      const problems: string[] = [];
      for (const duty of duties) {
        const custom = duty.custom.find((c) => isCustomRole(definition, c.name));
        if (custom === undefined || definition === undefined) continue;
        const problem = custom.problem(definition);
        if (problem === undefined) return [];
        problems.push(`custom role "${roleName}" ${problem}`);
      }
      const builtInName = Object.entries(builtInRoles).find(([, id]) => id === guid)?.[0];
      const what = problems.length > 0 ? problems.join("; ") : `role ${builtInName ?? (roleName || guid)} is not on the allow-list`;
      const allowed = duties.map(
        (d) =>
          `${d.duty}: ${[...d.builtIn.map((id) => Object.entries(builtInRoles).find(([, g]) => g === id)?.[0] ?? id), ...d.custom.map((c) => c.name)].join(", ")}`,
      );
      return [{ urn: a.urn, message: `${duties.map((d) => d.duty).join(" and ")} ${text(a.props, "principalId")}: ${what} (allowed — ${allowed.join("; ")})` }];
    });
  },
  {
    operators: principalsConfig("Entra object ids of the operators (the stack's `operators` config)."),
    dataIngestPrincipals: principalsConfig("Entra object ids that write register copies (the stack's `dataIngestPrincipals` config)."),
    keyCustodians: principalsConfig("Entra object ids of the key custodians (the stack's `keyCustodians` config)."),
  },
);
