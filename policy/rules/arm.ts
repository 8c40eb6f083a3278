import type { ResourceView } from "./rule";
import { types } from "../../catalog/resourceTypes";
import { text } from "./values";

/**
 * Linking resources the way Azure does: by ARM id. A private endpoint, lock, diagnostic setting or
 * backup instance names its target by id (a string input); the target's own inputs give its
 * resource group and name, so the rules can tell which resource an id points at without the
 * provider's outputs.
 */

/** ARM provider path and name input of the resource types other resources point at. */
const armPaths: Readonly<Record<string, { path: string; nameInput: string }>> = {
  [types.storageAccount]: { path: "microsoft.storage/storageaccounts", nameInput: "accountName" },
  [types.vault]: { path: "microsoft.keyvault/vaults", nameInput: "vaultName" },
  [types.managedHsm]: { path: "microsoft.keyvault/managedhsms", nameInput: "name" },
  [types.backupVault]: { path: "microsoft.dataprotection/backupvaults", nameInput: "vaultName" },
  [types.networkSecurityGroup]: { path: "microsoft.network/networksecuritygroups", nameInput: "networkSecurityGroupName" },
  [types.workspace]: { path: "microsoft.operationalinsights/workspaces", nameInput: "workspaceName" },
  [types.actionGroup]: { path: "microsoft.insights/actiongroups", nameInput: "actionGroupName" },
  [types.virtualNetwork]: { path: "microsoft.network/virtualnetworks", nameInput: "virtualNetworkName" },
  [types.privateLinkScope]: { path: "microsoft.insights/privatelinkscopes", nameInput: "scopeName" },
};

/** The explicit Azure name of a resource (its name input), if set. */
export function azureName(resource: ResourceView): string | undefined {
  const arm = armPaths[resource.type];
  return arm === undefined ? undefined : text(resource.props, arm.nameInput);
}

/** `/resourcegroups/<rg>/providers/<path>/<name>` in lower case, or undefined if the inputs do not say. */
function idTail(resource: ResourceView): string | undefined {
  const arm = armPaths[resource.type];
  const group = text(resource.props, "resourceGroupName");
  const name = azureName(resource);
  if (arm === undefined || group === undefined || name === undefined) return undefined;
  return `/resourcegroups/${group}/providers/${arm.path}/${name}`.toLowerCase();
}

/** Lower-cased id with any sub-resource path after the resource itself kept (e.g. `/blobservices/default`). */
function normalise(id: unknown): string | undefined {
  const value = text(id);
  return value?.toLowerCase().replace(/\/+$/, "");
}

/**
 * True if `id` is the ARM id of `target`, optionally followed by `subPath` (e.g. `/blobServices/default`).
 * When the target has no explicit name the id cannot be compared, so a dependency of `referrer`
 * on the target stands in for it (the id input was then an output of the target).
 */
export function idRefersTo(id: unknown, target: ResourceView, referrer: ResourceView, subPath = ""): boolean {
  const tail = idTail(target);
  const value = normalise(id);
  if (value === undefined) return false;
  if (tail === undefined) return referrer.dependencies.includes(target.urn);
  return value.endsWith(`${tail}${subPath}`.toLowerCase());
}

/** True if `id` is the id of the resource group named `group`. */
export function idIsResourceGroup(id: unknown, group: string): boolean {
  const value = normalise(id);
  return value !== undefined && /^\/subscriptions\/[^/]+\/resourcegroups\/[^/]+$/.test(value) && value.endsWith(`/resourcegroups/${group.toLowerCase()}`);
}

/** True if `child` (a sub-resource addressed by `accountName` + `resourceGroupName`) belongs to `account`. */
export function inAccount(child: ResourceView, account: ResourceView): boolean {
  const name = text(child.props, "accountName");
  const group = text(child.props, "resourceGroupName");
  const accountName = azureName(account);
  if (name === undefined || accountName === undefined) return child.dependencies.includes(account.urn);
  return name.toLowerCase() === accountName.toLowerCase() && group?.toLowerCase() === text(account.props, "resourceGroupName")?.toLowerCase();
}

/** Resources of the given types. */
export function ofTypes(resources: readonly ResourceView[], ...wanted: string[]): ResourceView[] {
  return resources.filter((r) => wanted.includes(r.type));
}

/** How a resource is named in messages. */
export function label(resource: ResourceView): string {
  return `${resource.type.split(":").pop()} ${azureName(resource) ?? resource.name}`;
}
