import { vaultedBlobLimits } from "../../catalog/limits";
import { customRoleNames } from "../../catalog/roles";
import { types } from "../../catalog/resourceTypes";
import { customRoleOf, isCustomRole } from "./access";
import { label, ofTypes } from "./arm";
import { environmentOf, isProduction, stackEnvironment, stackPhase } from "./environment";
import { Finding, ResourceView, stackRule } from "./rule";
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
      : [
          {
            urn: p.urn,
            message: `${label(p)}: ignoreChanges lacks ${missing.join(", ")}: the provider cannot update a container immutability policy (no If-Match ETag), and a locked one only extends`,
          },
        ];
  }),
);

/** grants-awaited */
export const grantsAwaited = stackRule([types.storageAccount, types.encryptionScope, types.backupInstance, types.roleAssignment], (resources) => {
  const sleeps = new Set(ofTypes(resources, types.sleep).map((s) => s.urn));
  const awaited = (r: ResourceView) => r.dependencies.some((d) => sleeps.has(d));
  // A Managed HSM's grants are local RBAC, made in the key ceremony a pulumi up before its keys are used.
  const hsm = ofTypes(resources, types.managedHsm).length > 0;
  const customRoles = ofTypes(resources, types.roleDefinition);
  const consumers = [
    ...(hsm ? [] : ofTypes(resources, types.storageAccount).filter((a) => same(get(a.props, "encryption.keySource"), "Microsoft.Keyvault"))),
    ...(hsm ? [] : ofTypes(resources, types.encryptionScope).filter((s) => same(s.props.source, "Microsoft.KeyVault"))),
    ...ofTypes(resources, types.backupInstance),
    ...ofTypes(resources, types.roleAssignment).filter((a) => customRoleOf(a, customRoles) !== undefined),
  ];
  return consumers
    .filter((r) => !awaited(r))
    .map((r) => ({ urn: r.urn, message: `${label(r)} uses a role grant without waiting for it to take effect (no time:Sleep among its dependencies)` }));
});

/** ISO 8601 duration (P<n>D/W/M/Y) → [number, unit], or undefined. */
function isoDuration(value: unknown): [number, string] | undefined {
  const match = /^P(\d+)([DWMY])$/.exec(String(value));
  return match === null ? undefined : [Number(match[1]), match[2]];
}

/** vaulted-retention-within-bounds */
export const vaultedRetentionWithinBounds = stackRule([types.backupPolicy], (resources) => {
  const bounds: Record<string, { readonly min: number; readonly max: number }> = {
    D: vaultedBlobLimits.dailyRetentionDays,
    W: vaultedBlobLimits.weeklyRetentionWeeks,
    M: vaultedBlobLimits.monthlyRetentionMonths,
    Y: vaultedBlobLimits.yearlyRetentionYears,
  };
  return ofTypes(resources, types.backupPolicy).flatMap((p): Finding[] =>
    list(p.props, "properties.policyRules")
      .flatMap((rule) => list(rule, "lifecycles").map((l) => ({ rule: String(get(rule, "name")), duration: get(l, "deleteAfter.duration") })))
      .flatMap(({ rule, duration }) => {
        const parsed = isoDuration(duration);
        const bound = parsed === undefined ? undefined : bounds[parsed[1]];
        if (parsed !== undefined && bound !== undefined && parsed[0] >= bound.min && parsed[0] <= bound.max) return [];
        const range = bound === undefined ? "a whole number of days, weeks, months or years" : `${bound.min}–${bound.max}`;
        return [
          { urn: p.urn, message: `${label(p)}: retention rule ${rule} keeps points ${String(duration)}, outside Microsoft's vaulted blob bounds (${range})` },
        ];
      }),
  );
});

/**
 * backup-instance-container-limit: the containers of each blob datasource parameter list, when
 * known (a preview may see them unknown, and an unknown list is not a violation).
 */
export const backupInstanceContainerLimit = stackRule([types.backupInstance], (resources) =>
  ofTypes(resources, types.backupInstance).flatMap((i): Finding[] =>
    list(i.props, "properties.policyInfo.policyParameters.backupDatasourceParametersList")
      .filter((p) => same(get(p, "objectType"), "BlobBackupDatasourceParameters") && Array.isArray(get(p, "containersList")))
      .map((p) => list(p, "containersList").length)
      .filter((count) => count < 1 || count > vaultedBlobLimits.containers)
      .map((count) => ({
        urn: i.urn,
        message: `${label(i)}: lists ${count} containers; Azure's vaulted blob backup protects 1 to ${vaultedBlobLimits.containers} containers per storage account (put further registers in another shard)`,
      })),
  ),
);

/** no-archive-tier */
export const noArchiveTier = stackRule([types.managementPolicy], (resources) =>
  ofTypes(resources, types.managementPolicy).flatMap((m): Finding[] =>
    list(m.props, "policy.rules")
      .filter(
        (rule) => get(rule, "definition.actions.baseBlob.tierToArchive") !== undefined || get(rule, "definition.actions.version.tierToArchive") !== undefined,
      )
      .map((rule) => ({
        urn: m.urn,
        message: `${label(m)}: lifecycle rule ${String(get(rule, "name"))} moves blobs to Archive, which register blobs under an encryption scope, vaulted backup and object replication cannot use`,
      })),
  ),
);

/** private-endpoints-protected */
export const privateEndpointsProtected = stackRule([types.privateEndpoint], (resources) => {
  const stack = stackEnvironment(resources);
  return ofTypes(resources, types.privateEndpoint)
    .filter((pe) => isProduction(environmentOf(pe, stack)) && !pe.protect)
    .map((pe) => ({
      urn: pe.urn,
      message: `${label(pe)} is not protected: the lock on its target blocks deleting it (ScopeLocked), so a replacement would fail half-way; lift the lock deliberately instead`,
    }));
});
