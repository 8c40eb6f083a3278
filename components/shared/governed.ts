import type * as pulumi from "@pulumi/pulumi";
import type { PrivateLinkGroup } from "../../catalog/privateLink";

/**
 * What a component needs done to the resources it creates by the parts that come after it: the
 * stateful ones locked, their logs sent to the embassy's workspace, and the data services reached
 * through private endpoints. Each component reports its own; the embassy concatenates the reports
 * and hands them to the network and governance components, so no one else has to know.
 */
export interface Governed {
  readonly locks: readonly LockTarget[];
  readonly diagnostics: readonly DiagnosticTarget[];
  readonly privateLinks: readonly PrivateLinkRequest[];
}

/** A resource that gets a `CanNotDelete` lock. */
export interface LockTarget {
  /** Short label, unique among the targets (names the Pulumi resource), e.g. `storage`. */
  readonly name: string;
  /** ARM id of the resource. */
  readonly resourceId: pulumi.Input<string>;
}

/** What a resource is, for its diagnostic setting: decides the log categories (embassyGovernance/monitoring.ts). */
export type DiagnosticKind = "keyVault" | "managedHsm" | "storageAccount" | "backupVault" | "networkSecurityGroup" | "logAnalyticsWorkspace";

/** A resource whose logs go to the embassy's workspace. */
export interface DiagnosticTarget {
  /** Short label, unique among the targets (names the Pulumi resources), e.g. `vault`. */
  readonly name: string;
  /** ARM id of the resource (for a storage account: the account; its blob service is added). */
  readonly resourceId: pulumi.Input<string>;
  readonly kind: Exclude<DiagnosticKind, "logAnalyticsWorkspace">;
}

/** A data service the embassy's VNet reaches through a private endpoint. */
export interface PrivateLinkRequest {
  /** Label of the service, e.g. `registers`; with the group id it names the endpoint. */
  readonly service: string;
  /** ARM id of the resource. */
  readonly resourceId: pulumi.Input<string>;
  /** Sub-resource to expose in the VNet. */
  readonly groupId: PrivateLinkGroup;
}

/** Nothing to govern. */
export const nothingGoverned: Governed = { locks: [], diagnostics: [], privateLinks: [] };

/** The reports of several components as one, in order. */
export function allGoverned(...parts: readonly Governed[]): Governed {
  return {
    locks: parts.flatMap((p) => p.locks),
    diagnostics: parts.flatMap((p) => p.diagnostics),
    privateLinks: parts.flatMap((p) => p.privateLinks),
  };
}
