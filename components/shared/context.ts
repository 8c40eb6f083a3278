import * as pulumi from "@pulumi/pulumi";
import type { Namer } from "./naming";

/**
 * Where and how every embassy component places and names its resources. `DataEmbassy` builds one
 * from the settings; a program that reuses a single component builds its own.
 */
export interface EmbassyContext {
  /** Resource group that holds the component's resources. */
  readonly resourceGroupName: pulumi.Input<string>;
  /** Full ARM id of that resource group (scope for locks, policy and role assignments). */
  readonly resourceGroupId: pulumi.Input<string>;
  /** Azure region (ARM name). */
  readonly location: string;
  /** Names resources by the embassy's convention. */
  readonly namer: Namer;
  /** Tags every resource carries. */
  readonly tags: Readonly<Record<string, string>>;
  /** Pulumi protect + retainOnDelete on stateful resources (see statefulOptions). */
  readonly protect: boolean;
  /** Subscription being deployed to (for built-in role definition ids). */
  readonly subscriptionId: pulumi.Input<string>;
  /** Entra tenant of the deployment. */
  readonly tenantId: pulumi.Input<string>;
}
