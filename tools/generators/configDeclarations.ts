import { z } from "zod";
import { settingsSchema } from "../../settings/schema";
import type { ConfigDeclaration } from "../engine/stackConfig";

/**
 * Derives Pulumi.yaml's `config:` declarations from the settings schema, so the project file and
 * the validation can never disagree. Pulumi's project schema types only strings, integers,
 * booleans and arrays of those: keys holding objects (the register list) cannot be declared there
 * and are listed in {@link undeclarableKeys}; the settings schema still validates them. The same
 * for another project's schema (bootstrap/settings.ts): pass it as `schema`.
 */

/** A project's settings schema: an object of its config keys. */
export type SettingsSchema = z.ZodObject;

interface JsonSchema {
  type?: string;
  items?: JsonSchema;
  description?: string;
  default?: unknown;
  anyOf?: JsonSchema[];
  enum?: unknown[];
}

const jsonProperties = (schema: SettingsSchema, io: "input" | "output") =>
  (z.toJSONSchema(schema, { io, unrepresentable: "any" }) as { properties: Record<string, JsonSchema> }).properties;

function pulumiType(schema: JsonSchema): ConfigDeclaration["type"] | undefined {
  const type = schema.type ?? (schema.anyOf?.every((s) => s.type === "integer" || s.type === "number") ? "integer" : undefined);
  if (type === "string" || type === "integer" || type === "boolean") return type;
  if (type === "number" && schema.anyOf === undefined) return "integer";
  if (type === "array" && schema.items !== undefined && pulumiType(schema.items) !== undefined && schema.items.type !== "array") return "array";
  return undefined;
}

/** Keys of `schema` whose values Pulumi's project schema cannot type (objects). */
export function undeclarableKeysOf(schema: SettingsSchema): string[] {
  return Object.entries(jsonProperties(schema, "input"))
    .filter(([, property]) => pulumiType(property) === undefined)
    .map(([key]) => key);
}

/** The embassy's keys whose values Pulumi's project schema cannot type (objects). */
export const undeclarableKeys: readonly string[] = undeclarableKeysOf(settingsSchema);

/** The `config:` block Pulumi.yaml must carry, key by key (default: the embassy's schema). */
export function configDeclarations(settings: SettingsSchema = settingsSchema): Record<string, ConfigDeclaration> {
  const properties = jsonProperties(settings, "input");
  // zod leaves a default off the input schema when the value is transformed (region names).
  const outputProperties = jsonProperties(settings, "output");
  const declarations: Record<string, ConfigDeclaration> = {};
  for (const [key, schema] of Object.entries(properties)) {
    const type = pulumiType(schema);
    if (type === undefined) continue;
    const declaration: ConfigDeclaration = { type, description: schema.description };
    if (type === "array") declaration.items = { type: pulumiType(schema.items as JsonSchema) as string };
    const defaultValue = schema.default ?? outputProperties[key]?.default;
    if (defaultValue !== undefined) declaration.default = defaultValue;
    declarations[key] = declaration;
  }
  return declarations;
}
