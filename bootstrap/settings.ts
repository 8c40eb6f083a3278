import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { nameProblems } from "../components/shared/naming";
import { guidPattern } from "../catalog/patterns";
import { privateDnsZoneIdPattern, privateLinkZones } from "../catalog/privateLink";
import { findRegion, geoSecondary, supportsGzrs } from "../catalog/regions";
import { euRegion, settingsSchema } from "../settings/schema";
import { roleAssignmentPropagation } from "../catalog/limits";

/**
 * The state backend's configuration (`data-embassy-state:*`), validated in one pass: every problem
 * is reported at once, with the key, before any resource is registered. Shares the embassy's
 * region catalog and naming rules, so the backend obeys the same residency and naming law.
 */

/** Config namespace: the bootstrap project's name. */
export const stateNamespace = "data-embassy-state";

const principals = (description: string) =>
  z.array(z.string().regex(guidPattern, "must be an Entra object id (a GUID)")).default([]).describe(description);
const resourceId = (kind: string, provider: RegExp) =>
  z.string().regex(provider, `must be the full Azure resource id of a ${kind}`);
const zoneId = (zone: string) =>
  resourceId(`${zone} zone`, privateDnsZoneIdPattern(zone)).describe(`Private DNS zone ${zone} (usually owned by the hub).`);

const schema = z.object({
  namePrefix: z
    .string()
    .regex(/^[a-z][a-z0-9]{1,3}$/, "must be 2–4 lower-case letters or digits, starting with a letter")
    .describe("Short org code used in every name, e.g. `ee` (same as the embassy stacks')."),
  region: euRegion.describe("EU region that holds the state; it needs a geo-pair in the EU for the read-access secondary."),
  privateEndpointRegion: euRegion.optional().describe("Region of the VNet that holds privateEndpointSubnetId (default: region)."),
  privateEndpointSubnetId: resourceId("subnet", /^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/Microsoft\.Network\/virtualNetworks\/[^/]+\/subnets\/[^/]+$/i).describe(
    "Subnet (where the deploying runners reach Azure) that gets the private endpoints of the state account and vault.",
  ),
  blobPrivateDnsZoneId: zoneId(privateLinkZones.blob),
  vaultPrivateDnsZoneId: zoneId(privateLinkZones.vault),
  stateUsers: principals("Entra object ids that run Pulumi against the embassy stacks (CI identities, operators): read/write state, use the secrets key."),
  keyAdmins: principals("Entra object ids that manage the vault's keys (Key Vault Crypto Officer)."),
  softDeleteDays: z.number().int().min(7).max(365).default(90).describe("Days deleted state blobs, versions and containers stay recoverable (7–365)."),
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

/** Invalid configuration, with every problem; a RunError, so the CLI prints no stack trace. */
export class StateConfigError extends pulumi.RunError {
  constructor(readonly problems: readonly string[]) {
    super([`Invalid configuration of the state backend: ${problems.length} problem${problems.length === 1 ? "" : "s"}`, ...problems.map((p) => `  - ${p}`)].join("\n"));
    this.name = "StateConfigError";
  }
}

/** Validates raw config values; returns the settings or every problem. */
export function validateStateSettings(raw: Record<string, unknown>, location?: string): { settings?: StateSettings; problems: string[] } {
  const problems: string[] = [];
  const key = (k: PropertyKey) => `${stateNamespace}:${String(k)}`;
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const name = issue.path.map((p, i) => (typeof p === "number" ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`)).join("");
      problems.push(`${key(name)}: ${raw[String(issue.path[0])] === undefined ? "is required" : issue.message}`);
    }
  }
  for (const k of Object.keys(raw).filter((k) => !(k in schema.shape))) problems.push(`${key(k)}: is not a state-backend setting`);
  if (!parsed.success || problems.length > 0) return { problems };

  const values = parsed.data;
  const secondary = geoSecondary(values.region);
  if (secondary === undefined) {
    problems.push(`${key("region")}: ${values.region} has no geo-pair, so the state could not be geo-redundant; choose a paired EU region`);
  } else if (!secondary.eu) {
    problems.push(`${key("region")}: the geo-pair of ${values.region} (${secondary.name}) is outside the EU`);
  }
  problems.push(...nameProblems({ prefix: values.namePrefix, environment: "state" }).map((p) => `${key("namePrefix")}: ${p}`));
  if (location !== undefined && findRegion(location)?.name !== values.region) {
    problems.push(`azure-native:location: is "${location}" but ${key("region")} is "${values.region}"; set both to the same region`);
  }
  if (problems.length > 0 || secondary === undefined) return { problems };
  return {
    settings: { ...values, storageSku: supportsGzrs(values.region) ? "Standard_RAGZRS" : "Standard_RAGRS", geoSecondaryRegion: secondary.name },
    problems,
  };
}

/** Keys whose config value is a plain string (everything else arrives as JSON text), as settings/loadSettings.ts finds them. */
const stringKeys = new Set(
  Object.entries((z.toJSONSchema(schema, { io: "input" }) as { properties: Record<string, { type?: string }> }).properties)
    .filter(([, s]) => s.type === "string")
    .map(([key]) => key),
);

/**
 * The `data-embassy-state:*` keys of a config map (namespaced keys, values as the CLI passes them:
 * strings, JSON for lists and numbers) as raw values for {@link validateStateSettings}.
 */
export function rawStateConfig(config: Readonly<Record<string, string>>): Record<string, unknown> {
  const raw: Record<string, unknown> = {};
  for (const [fullKey, text] of Object.entries(config)) {
    if (!fullKey.startsWith(`${stateNamespace}:`)) continue;
    const k = fullKey.slice(stateNamespace.length + 1);
    let value: unknown = text;
    if (!stringKeys.has(k)) {
      try {
        value = JSON.parse(text);
      } catch {
        // left to the schema, which names the expected type
      }
    }
    raw[k] = value;
  }
  return raw;
}

/** Reads `data-embassy-state:*` config into settings, or throws {@link StateConfigError} listing every problem. */
export function loadStateSettings(): StateSettings {
  const raw = rawStateConfig(pulumi.runtime.allConfig());
  const { settings, problems } = validateStateSettings(raw, new pulumi.Config("azure-native").get("location"));
  if (settings === undefined) throw new StateConfigError(problems);
  return settings;
}
