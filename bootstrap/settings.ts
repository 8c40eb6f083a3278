import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { nameProblems } from "../components/shared/naming";
import { guidPattern } from "../catalog/patterns";
import { privateDnsZoneIdPattern, privateLinkZones } from "../catalog/privateLink";
import { findRegion, geoSecondary, supportsGzrs } from "../catalog/regions";
import { checkKeys, rawConfigValues, stringKeysOf } from "../settings/configKeys";
import type { SettingsProblem } from "../settings/crossKeyRules";
import { euRegion, settingsSchema } from "../settings/schema";
import { roleAssignmentPropagation } from "../catalog/limits";

/**
 * The state backend's configuration (`data-embassy-state:*`), validated in one pass: every problem
 * is reported at once, with the key, before any resource is registered. Shares the embassy's
 * region catalog and naming rules, so the backend obeys the same residency and naming law.
 */

/** Config namespace: the bootstrap project's name. */
export const stateNamespace = "data-embassy-state";

const principals = (description: string) => z.array(z.string().regex(guidPattern, "must be an Entra object id (a GUID)")).default([]).describe(description);
const resourceId = (kind: string, provider: RegExp) => z.string().regex(provider, `must be the full Azure resource id of a ${kind}`);
const zoneId = (zone: string) => resourceId(`${zone} zone`, privateDnsZoneIdPattern(zone)).describe(`Private DNS zone ${zone} (usually owned by the hub).`);

const schema = z.object({
  namePrefix: z
    .string()
    .regex(/^[a-z][a-z0-9]{1,3}$/, "must be 2–4 lower-case letters or digits, starting with a letter")
    .describe("Short org code used in every name, e.g. `ee` (same as the embassy stacks')."),
  region: euRegion.describe("EU region that holds the state; it needs a geo-pair in the EU for the read-access secondary."),
  privateEndpointRegion: euRegion.optional().describe("Region of the VNet that holds privateEndpointSubnetId (default: region)."),
  privateEndpointSubnetId: resourceId(
    "subnet",
    /^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/Microsoft\.Network\/virtualNetworks\/[^/]+\/subnets\/[^/]+$/i,
  ).describe("Subnet (where the deploying runners reach Azure) that gets the private endpoints of the state account and vault."),
  blobPrivateDnsZoneId: zoneId(privateLinkZones.blob),
  vaultPrivateDnsZoneId: zoneId(privateLinkZones.vault),
  stateUsers: principals("Entra object ids that run Pulumi against the embassy stacks (CI identities, operators): read/write state, use the secrets key."),
  keyAdmins: principals("Entra object ids that manage the vault's keys (Key Vault Crypto Officer)."),
  softDeleteDays: z
    .number({ error: "must be a whole number (days)" })
    .int("must be a whole number (days)")
    .min(7, "must be at least 7 (days)")
    .max(365, "must be at most 365 (days; Azure's limit)")
    .default(90)
    .describe("Days deleted state blobs, versions and containers stay recoverable (7–365)."),
  auditWorkspaceId: resourceId("Log Analytics workspace", /\/providers\/Microsoft\.OperationalInsights\/workspaces\/[^/]+$/i)
    .optional()
    .describe("Log Analytics workspace for the account's and vault's access logs."),
  // The embassy's key: the same duration check and default.
  roleAssignmentPropagationWait: settingsSchema.shape.roleAssignmentPropagationWait.describe(
    `Wait between the storage identity's grant on cmk-state and the state storage account that encrypts with it, as a duration ("10m", "90s", 0–${roleAssignmentPropagation.maxMinutes} minutes); Microsoft: up to ${roleAssignmentPropagation.minutes} minutes to take effect.`,
  ),
});

/** The state backend's keys with their types and defaults (for the tools that report settings). */
export const stateSettingsSchema = schema;

/** Validated settings of the state backend. */
export type StateSettings = z.infer<typeof schema> & {
  /** `Standard_RAGZRS` where the region supports GZRS, else `Standard_RAGRS`. */
  readonly storageSku: "Standard_RAGZRS" | "Standard_RAGRS";
  /** Where Azure keeps the geo-redundant copy. */
  readonly geoSecondaryRegion: string;
};

/** The key (bare: in the state namespace) and what is wrong with it. */
const qualify = (key: string) => (key.includes(":") ? key : `${stateNamespace}:${key}`);

/**
 * Invalid configuration of the state backend, with every problem and its key, in the style of the
 * embassy's SettingsError (settings/loadSettings.ts); a RunError, so the CLI prints no stack trace.
 */
export class StateConfigError extends pulumi.RunError {
  constructor(
    readonly problems: readonly SettingsProblem[],
    stack?: string,
  ) {
    super(
      [
        `Invalid configuration of the state backend: ${problems.length} problem${problems.length === 1 ? "" : "s"}`,
        ...problems.map((p) => `  - ${qualify(p.key)}: ${p.message}`),
        `Fix these keys in bootstrap/Pulumi.${stack ?? "<stack>"}.yaml (or with \`pulumi config set\` in bootstrap/); see docs/config-state-backend.md for every key.`,
      ].join("\n"),
    );
    this.name = "StateConfigError";
  }
}

/**
 * Validates raw config values (bare keys) into settings, as the embassy's loader does: each key on
 * its own, then the rules across keys on the keys that passed, so one call reports every problem.
 * `location` is `azure-native:location`, which must be the state's region.
 */
export function validateStateSettings(raw: Readonly<Record<string, unknown>>, location?: string): { settings?: StateSettings; problems: SettingsProblem[] } {
  const { values, problems } = checkKeys(
    schema.shape,
    raw,
    (hint) => `is not a state-backend setting${hint ? `; did you mean ${hint}?` : " (see docs/config-state-backend.md)"}`,
  );

  const { region, namePrefix } = values as Partial<z.infer<typeof schema>>;
  const secondary = region === undefined ? undefined : geoSecondary(region);
  if (region !== undefined) {
    if (secondary === undefined) {
      problems.push({ key: "region", message: `${region} has no geo-pair, so the state could not be geo-redundant; choose a paired EU region` });
    } else if (!secondary.eu) {
      problems.push({ key: "region", message: `the geo-pair of ${region} (${secondary.name}) is outside the EU` });
    }
    if (location !== undefined && findRegion(location)?.name !== region) {
      problems.push({ key: "azure-native:location", message: `is "${location}" but ${qualify("region")} is "${region}"; set both to the same region` });
    }
  }
  if (namePrefix !== undefined) problems.push(...nameProblems({ prefix: namePrefix, environment: "state" }).map((message) => ({ key: "namePrefix", message })));
  if (problems.length > 0 || region === undefined || secondary === undefined) return { problems };
  return {
    settings: {
      ...(values as z.infer<typeof schema>),
      storageSku: supportsGzrs(region) ? "Standard_RAGZRS" : "Standard_RAGRS",
      geoSecondaryRegion: secondary.name,
    },
    problems,
  };
}

const stringKeys = stringKeysOf(schema);

/**
 * The `data-embassy-state:*` keys of a config map (namespaced keys, values as the CLI passes them:
 * strings, JSON for lists and numbers) as raw values for {@link validateStateSettings}.
 */
export function rawStateConfig(config: Readonly<Record<string, string>>): Record<string, unknown> {
  return rawConfigValues(config, stateNamespace, stringKeys);
}

/** Reads `data-embassy-state:*` config into settings, or throws {@link StateConfigError} listing every problem. */
export function loadStateSettings(): StateSettings {
  const raw = rawStateConfig(pulumi.runtime.allConfig());
  const { settings, problems } = validateStateSettings(raw, new pulumi.Config("azure-native").get("location"));
  if (settings === undefined) throw new StateConfigError(problems, pulumi.getStack());
  return settings;
}
