import * as pulumi from "@pulumi/pulumi";
import * as time from "@pulumiverse/time";
import { defaultRoleAssignmentPropagationWait, propagationWaitError } from "../../catalog/limits";
import { ArgumentProblem, problem } from "./argumentProblems";

export { defaultRoleAssignmentPropagationWait };

/**
 * Waiting for role assignments to take effect, not just to exist.
 *
 * ARM answers a role assignment PUT as soon as the assignment is stored, but Microsoft documents
 * that "it can take up to 10 minutes for changes to take effect" (catalog/limits.ts,
 * `roleAssignmentPropagation`), and a new custom role "can take a few minutes … to appear
 * everywhere". A consumer that only `dependsOn` the grant (a storage account or encryption scope
 * pointing at a key, a backup vault encrypting with an identity, a backup instance the vault must
 * be allowed to read, an assignment of a new custom role) can therefore hit 403 /
 * KeyVaultAuthenticationFailure / RoleDefinitionDoesNotExist on a fresh `pulumi up` (audit F4, F23).
 * Pulumi's retries and `customTimeouts` do not cover an authorization error, and the deployer
 * cannot test a managed identity's data-plane access, so the embassy sleeps: one
 * `@pulumiverse/time` Sleep after each group of grants that are created together, and the
 * component that makes the grants hands out only values that resolve after the Sleep.
 *
 * The Sleep only delays its own creation: later `pulumi up`s do not wait again unless its triggers
 * (the ids of the grants it covers) change, i.e. a grant is added or replaced. Deleting it waits
 * for nothing. A real `pulumi up` needs the `time` resource plugin (fetched by the CLI from the
 * package's pluginDownloadURL); the offline engine mocks it.
 */

/** Why `wait` (a component argument at `property`) is not a usable propagation wait; empty when fine or unset. */
export function propagationWaitProblems(property: string, wait: string | undefined): ArgumentProblem[] {
  const error = wait === undefined ? undefined : propagationWaitError(wait);
  return error === undefined ? [] : [problem(property, error)];
}

/**
 * A Sleep of `duration` that starts once every grant in `grants` exists. Keyed by a stable name per
 * grant (not by position), so reordering grants does not replace the Sleep, while adding or
 * replacing one does — and the new grant's consumer waits again.
 */
export function propagationWait(
  name: string,
  grants: Readonly<Record<string, pulumi.CustomResource>>,
  duration: string,
  opts: { parent: pulumi.Resource },
): time.Sleep {
  return new time.Sleep(
    name,
    { createDuration: duration, triggers: Object.fromEntries(Object.entries(grants).map(([key, grant]) => [key, grant.id])) },
    { parent: opts.parent, dependsOn: Object.values(grants) },
  );
}
