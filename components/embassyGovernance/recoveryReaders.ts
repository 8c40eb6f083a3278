import * as pulumi from "@pulumi/pulumi";
import * as authorization from "@pulumi/azure-native/authorization";
import { builtInRoles } from "../../catalog/roles";
import { roleDefinitionId } from "../shared/roles";

/** What {@link recoveryReaderEligibility} makes eligible. */
export interface RecoveryReadEligibility {
  /** Subscription of the role definition. */
  readonly subscriptionId: pulumi.Input<string>;
  /** Entra object ids of the recovery readers (settings `recoveryReaders`). */
  readonly readers: readonly string[];
  /** ARM ids of the accounts holding register copies, by a stable key (adding one replaces none). */
  readonly scopes: Readonly<Record<string, pulumi.Input<string>>>;
  /** Days the eligibility lasts; 0: permanent (settings `recoveryReaderEligibilityDays`). */
  readonly eligibilityDays: number;
}

/**
 * Recovery readers: Storage Blob Data Reader on each account holding register copies, *eligible*
 * through Entra PIM, never active: whoever reads the registers after the host region is lost (the
 * read-access geo-secondary, an object replica) activates it for the recovery or drill, under the
 * tenant's PIM role settings (approval, MFA, justification, duration). The eligibility is created
 * as an admin request (`roleEligibilityScheduleRequests`, requestType AdminAssign, which the
 * provider sends: "Create role eligibility schedule requests", Azure REST, Authorization) and
 * needs Microsoft Entra ID P2 or Governance. Permanent unless `eligibilityDays` is set, for tenants
 * whose PIM role settings require eligible assignments to expire. Returns what was made eligible,
 * for the access review.
 */
export function recoveryReaderEligibility(
  prefix: string,
  e: RecoveryReadEligibility,
  parent: pulumi.Resource,
): { readonly principalId: string; readonly scope: pulumi.Output<string> }[] {
  const expiration = e.eligibilityDays === 0 ? { type: "NoExpiration" } : { type: "AfterDuration", duration: `P${e.eligibilityDays}D` };
  return e.readers.flatMap((principalId) =>
    Object.entries(e.scopes).map(([key, scope]) => {
      new authorization.PimRoleEligibilitySchedule(
        `${prefix}-recovery-reader-${principalId}-${key}`,
        {
          principalId,
          roleDefinitionId: roleDefinitionId(e.subscriptionId, builtInRoles.storageBlobDataReader),
          scope,
          justification: "Data embassy recovery reader: read the register copies after losing the host region, or in a drill (docs/dr-runbook.md)",
          scheduleInfo: { expiration },
        },
        { parent },
      );
      return { principalId, scope: pulumi.output(scope) };
    }),
  );
}
