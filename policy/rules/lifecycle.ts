import { customRoleNames } from "../../catalog/roles";
import { types } from "../../catalog/resourceTypes";
import { customRoleOf, isCustomRole } from "./access";
import { label, ofTypes } from "./arm";
import { environmentOf, stackEnvironment, stackPhase } from "./environment";
import { Finding, stackRule } from "./rule";
import { lockedEnvironmentsConfig } from "./storage";
import { get, list, same } from "./values";

/**
 * Deployability: what ARM accepts at creation and what a later `pulumi up` may not undo
 * (catalog/phases.ts). Each rule names the Microsoft source of the constraint in its control.
 */

const accountState = "immutableStorageWithVersioning.immutabilityPolicy.state";
const vaultState = "properties.securitySettings.immutabilitySettings.state";

/** Input paths `npm run seal` changes outside Pulumi, per type: a later update must ignore them. */
export const sealedFields: Readonly<Record<string, readonly string[]>> = {
  [types.storageAccount]: [accountState, "immutableStorageWithVersioning.immutabilityPolicy.allowProtectedAppendWrites"],
  [types.backupVault]: [vaultState],
};

/** immutability-sealed-not-created-locked */
export const sealedNotCreatedLocked = stackRule([types.storageAccount, types.backupVault], (resources) => {
  const phase = stackPhase(resources);
  const withPolicy = [
    ...ofTypes(resources, types.storageAccount).filter((a) => get(a.props, "immutableStorageWithVersioning.enabled") === true),
    ...ofTypes(resources, types.backupVault),
  ];
  return withPolicy.flatMap((r): Finding[] => {
    const problems: string[] = [];
    const statePath = r.type === types.backupVault ? vaultState : accountState;
    const state = get(r.props, statePath);
    if (phase !== "sealed" && same(state, "Locked")) {
      problems.push(`${statePath} is "Locked" in phase ${phase}: ARM creates a policy only Disabled or Unlocked; npm run seal locks it`);
    }
    const missing = sealedFields[r.type].filter((path) => !r.ignoreChanges.includes(path));
    if (missing.length > 0) problems.push(`ignoreChanges lacks ${missing.join(", ")}: a later pulumi up would fight what the seal locked`);
    return problems.map((message) => ({ urn: r.urn, message: `${label(r)}: ${message}` }));
  });
});

/** ingest-after-seal */
export const ingestAfterSeal = stackRule(
  [types.roleAssignment],
  (resources, config) => {
    const phase = stackPhase(resources);
    if (phase === "sealed") return [];
    const stack = stackEnvironment(resources);
    const locked = list(config.lockedEnvironments);
    const writers = ofTypes(resources, types.roleDefinition).filter((d) => isCustomRole(d, customRoleNames.registerWriter));
    return ofTypes(resources, types.roleAssignment)
      .filter((a) => locked.includes(environmentOf(a, stack)) && customRoleOf(a, writers) !== undefined)
      .map((a) => ({
        urn: a.urn,
        message: `${label(a)} grants ${customRoleNames.registerWriter} in phase ${phase}: blobs written before the seal keep an Unlocked WORM policy; open ingest in phase sealed`,
      }));
  },
  lockedEnvironmentsConfig,
);

/** container-worm-create-only */
export const containerWormCreateOnly = stackRule([types.blobContainerImmutabilityPolicy], (resources) =>
  ofTypes(resources, types.blobContainerImmutabilityPolicy).flatMap((p): Finding[] => {
    const missing = ["immutabilityPeriodSinceCreationInDays", "allowProtectedAppendWrites"].filter((path) => !p.ignoreChanges.includes(path));
    return missing.length === 0
      ? []
      : [{ urn: p.urn, message: `${label(p)}: ignoreChanges lacks ${missing.join(", ")}: the provider cannot update a container immutability policy (no If-Match ETag), and a locked one only extends` }];
  }),
);
