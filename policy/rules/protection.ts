import { label, ofTypes } from "./arm";
import { environmentOf, isProduction, stackEnvironment } from "./environment";
import { stackRule } from "./rule";
import { types } from "../../catalog/resourceTypes";

/** stateful-protection: what holds the registers or their keys cannot be deleted by `pulumi destroy` in production. */

/** Resource types that hold state (components/protection.ts statefulOptions). */
export const statefulTypes = [types.resourceGroup, types.storageAccount, types.vault, types.key, types.managedHsm, types.backupVault, types.workspace];

export const statefulProtection = stackRule(statefulTypes, (resources) => {
  const stack = stackEnvironment(resources);
  return ofTypes(resources, ...statefulTypes)
    .filter((r) => isProduction(environmentOf(r, stack)) && !r.protect)
    .map((r) => ({ urn: r.urn, message: `${label(r)} is not protected (protect: false) in a ${environmentOf(r, stack)} stack` }));
});
