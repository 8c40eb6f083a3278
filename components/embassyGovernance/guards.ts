import * as pulumi from "@pulumi/pulumi";
import * as authorization from "@pulumi/azure-native/authorization";
import * as monitor from "@pulumi/azure-native/monitor";
import type { DiagnosticKind, LockTarget } from "../shared/governed";
import { statefulOptions } from "../shared/protection";
import { diagnosticProfiles, DiagnosticProfile } from "./monitoring";

/**
 * The two guards every stateful embassy resource gets, wherever it is built: a `CanNotDelete` lock
 * and diagnostic settings into the embassy's workspace. EmbassyGovernance puts them on what the
 * embassy's components report; a register-shard stack (components/dataEmbassy/shardStack.ts) on
 * its own accounts and key store, into the core stack's workspace.
 */

/** Name of every diagnostic setting the embassy creates. */
export const diagnosticSettingName = "embassy-audit";

/** Name of every delete lock the embassy creates. */
export const lockName = "embassy-do-not-delete";

/**
 * One `CanNotDelete` lock on `target`, protected like its target so Pulumi never lifts it on its
 * own (docs/auditor-guide.md says how to lift one deliberately). Named `<prefix>-lock-<target>`.
 */
export function deleteLock(prefix: string, target: LockTarget, protect: boolean, parent: pulumi.Resource): authorization.ManagementLockByScope {
  return new authorization.ManagementLockByScope(
    `${prefix}-lock-${target.name}`,
    {
      scope: target.resourceId,
      level: "CanNotDelete",
      lockName,
      notes: "Data embassy: holds register data, keys or their audit trail. Lift only as docs/auditor-guide.md describes; the lift raises an alert.",
    },
    statefulOptions(protect, { parent }),
  );
}

/**
 * The diagnostic settings of one target into `workspaceId` (a storage account gets a second one for
 * its blob service), named `<prefix>-diag-<target>[-<qualifier>]`; each with the profile it follows.
 */
export function diagnosticSettings(
  prefix: string,
  target: { name: string; resourceId: pulumi.Input<string>; kind: DiagnosticKind },
  workspaceId: pulumi.Input<string>,
  parent: pulumi.Resource,
): { setting: monitor.DiagnosticSetting; profile: DiagnosticProfile }[] {
  return diagnosticProfiles[target.kind].map((profile) => {
    const qualifier = profile.qualifier === "" ? "" : `-${profile.qualifier}`;
    const setting = new monitor.DiagnosticSetting(
      `${prefix}-diag-${target.name}${qualifier}`,
      {
        name: diagnosticSettingName,
        resourceUri: pulumi.interpolate`${target.resourceId}${profile.subResource}`,
        workspaceId,
        logAnalyticsDestinationType: profile.dedicatedTables ? "Dedicated" : undefined,
        logs: profile.logs.map((l) => ({ ...l, enabled: true })),
        metrics: profile.metrics.map((m) => ({ ...m, enabled: true })),
      },
      { parent },
    );
    return { setting, profile };
  });
}
