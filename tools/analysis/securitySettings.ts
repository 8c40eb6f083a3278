import type { ZodType } from "zod";
import { stateSettingsSchema } from "../../bootstrap/settings";
import { environments } from "../../catalog/environments";
import { settingsSchema } from "../../settings";
import type { SecuritySettings } from "../reports/security";
import type { ProjectSettings } from "../engine/projectSettings";

/**
 * The settings that decide how strong a stack's guards are, for the top of the PR report: a
 * pull request that sets `protectResources: false`, `minDistanceKm: 0` or `policyEnforcement: Audit`
 * (or `environment: dev` in Pulumi.prod.yaml) is called out, whatever else it changes. Values come
 * from the validated settings (defaults applied); the plan document carries them
 * (`securitySettings`), so a base plan's values can be compared with.
 */

/** Keys compared with their default, then keys compared with the base plan only. */
const embassyKeys = {
  withDefault: [
    "environment",
    "protectResources",
    "minDistanceKm",
    "policyEnforcement",
    "wormState",
    "wormRetentionDays",
    "backupImmutability",
    "acknowledgeIrreversibleLock",
    "blobSoftDeleteDays",
    "containerSoftDeleteDays",
    "backupSoftDeleteDays",
    "keySize",
    "keyRotationDays",
    "keyExpiryDays",
    "logRetentionDays",
  ],
  baseOnly: [
    "phase",
    "approvedRegions",
    "keyManagement",
    "keyCustodians",
    "managedHsmAdmins",
    "auditors",
    "operators",
    "dataIngestPrincipals",
    "alertEmails",
    "resourceGuardId",
    // A register-shard stack's core: whose vault, network and workspace its registers use (docs/scale.md).
    "coreStack",
  ],
} as const;

const stateKeys = { withDefault: ["softDeleteDays"], baseOnly: ["region", "keyAdmins", "stateUsers"] } as const;

function defaultOf(schema: ZodType | undefined): { value: unknown; what: string } | undefined {
  const parsed = schema?.safeParse(undefined);
  return parsed?.success === true && parsed.data !== undefined ? { value: parsed.data, what: "default" } : undefined;
}

/** The security-relevant settings of a stack; empty for a project whose settings the tools do not know. */
export function securitySettings(s: ProjectSettings): SecuritySettings {
  if (s.kind === "other") return [];
  const values = s.settings as unknown as Readonly<Record<string, unknown>>;
  const shape = (s.kind === "embassy" ? settingsSchema.shape : stateSettingsSchema.shape) as Readonly<Record<string, ZodType>>;
  const keys = s.kind === "embassy" ? embassyKeys : stateKeys;
  const expected = (key: string) =>
    key === "environment"
      ? (environments as readonly string[]).includes(s.stack)
        ? { value: s.stack, what: "the stack's name" }
        : undefined
      : defaultOf(shape[key]);
  return [
    ...keys.withDefault.map((key) => ({ key, value: values[key], expected: expected(key) })),
    ...keys.baseOnly.map((key) => ({ key, value: values[key] })),
  ];
}
