import * as pulumi from "@pulumi/pulumi";
import * as authorization from "@pulumi/azure-native/authorization";
import { azurePolicies } from "../../catalog/azurePolicies";
import { resourceGroupArmTypes } from "../../catalog/resourceTypes";
import type { EmbassyContext } from "../shared/context";
import type { Enforcement } from "./policyBaseline";

/**
 * "Allowed resource types" (a08ec900-254a-4555-9bf5-e42af04b5c5c), as Microsoft's Sovereignty
 * Baseline (Confidential) initiative assigns it: in the embassy's resource group nothing can be
 * created but the ARM types the embassy itself creates there.
 *
 * What the definition evaluates (Azure/azure-policy built-in-policies/policyDefinitions/General/
 * AllowedResourceTypes_Deny.json): `"mode": "Indexed"`, `if not field type in
 * listOfResourceTypesAllowed then deny`. Indexed mode "only evaluate[s] resource types that support
 * tags and location", and resource groups are not evaluated in it
 * (https://learn.microsoft.com/azure/governance/policy/concepts/definition-structure-basics#mode).
 * Which child types support tags and location is the resource provider's business, so the list is
 * every ARM type the program creates in a resource group, child types and the private endpoints'
 * network interfaces included: a listed type the policy never evaluates costs nothing, a missing
 * one that it does evaluate would block the embassy. The effect is fixed at `deny` (no effect
 * parameter): with `policyEnforcement: Audit` the assignment runs in `DoNotEnforce` mode, which
 * evaluates and reports without denying
 * (https://learn.microsoft.com/azure/governance/policy/concepts/assignment-structure#enforcement-mode).
 */

/** Name of the assignment (one per resource group). */
export const allowedResourceTypesAssignmentName = "embassy-allowed-resource-types";

/**
 * Records the type token of every resource registered under a component, so that the allowed list
 * is what the program actually creates, not a second list kept by hand. `watch` adds a
 * transformation to the component's options (transformations run synchronously in each child's
 * constructor, before it registers); `finish`, called at the end of the component's constructor,
 * resolves {@link armTypes}.
 */
export class ResourceTypeRecorder {
  private readonly tokens = new Set<string>();
  private resolve: (tokens: string[]) => void = () => undefined;
  private readonly done = new Promise<string[]>((resolve) => (this.resolve = resolve));
  private finished = false;

  /** The ARM types created inside resource groups, sorted; resolves once `finish` is called. */
  readonly armTypes: pulumi.Output<string[]> = pulumi.output(this.done.then((tokens) => resourceGroupArmTypes(tokens).armTypes));

  /** `opts` with the recording transformation added. */
  watch<T extends pulumi.ResourceOptions>(opts: T | undefined): T {
    const transformation: pulumi.ResourceTransformation = (args) => {
      if (this.finished) throw new Error(`${args.type} ${args.name} registered after the allowed resource types were fixed`);
      this.tokens.add(args.type);
      return undefined;
    };
    return { ...(opts ?? ({} as T)), transformations: [...(opts?.transformations ?? []), transformation] };
  }

  /** Fixes the list: every resource of the component is registered. */
  finish(): void {
    this.finished = true;
    this.resolve([...this.tokens]);
  }
}

/**
 * Assigns "Allowed resource types" on `context`'s resource group with `armTypes`. Deny where
 * `enforcement` is Deny; report-only (`DoNotEnforce`) where it is Audit.
 */
export function assignAllowedResourceTypes(
  logicalName: string,
  context: EmbassyContext,
  armTypes: pulumi.Input<string[]>,
  enforcement: Enforcement,
  opts: pulumi.CustomResourceOptions,
): authorization.PolicyAssignment {
  const definition = azurePolicies.allowedResourceTypes;
  return new authorization.PolicyAssignment(
    logicalName,
    {
      policyAssignmentName: allowedResourceTypesAssignmentName,
      displayName: `Data embassy: ${definition.displayName}`,
      scope: context.resourceGroupId,
      policyDefinitionId: `/providers/Microsoft.Authorization/policyDefinitions/${definition.guid}`,
      enforcementMode: enforcement === "Deny" ? "Default" : "DoNotEnforce",
      parameters: { listOfResourceTypesAllowed: { value: armTypes } },
      nonComplianceMessages: [
        { message: "Data embassy baseline, control allowed-resource-types-assignment: only the types the embassy's program creates (docs/auditor-guide.md)." },
      ],
    },
    opts,
  );
}
