import { z } from "zod";
import type { SettingsProblem } from "./crossKeyRules";

/**
 * What the embassy's and the state backend's config loaders share: turning a project's config
 * strings into raw values, and checking each key on its own so that one call reports every problem
 * (the cross-key rules then run on the keys that passed).
 */

/** Keys of `schema` whose config value is a plain string (everything else arrives as JSON text). */
export function stringKeysOf(schema: z.ZodObject): ReadonlySet<string> {
  return new Set(
    Object.entries((z.toJSONSchema(schema, { io: "input" }) as { properties: Record<string, { type?: string }> }).properties)
      .filter(([, s]) => s.type === "string")
      .map(([key]) => key),
  );
}

/**
 * The `<namespace>:*` keys of a config map (namespaced keys, values as the CLI passes them: strings,
 * or JSON text for the rest) as raw values by bare key. A value that is not valid JSON is left as
 * text for the schema, which names the expected type.
 */
export function rawConfigValues(config: Readonly<Record<string, string>>, namespace: string, stringKeys: ReadonlySet<string>): Record<string, unknown> {
  const raw: Record<string, unknown> = {};
  const prefix = `${namespace}:`;
  for (const [fullKey, text] of Object.entries(config)) {
    if (!fullKey.startsWith(prefix)) continue;
    const key = fullKey.slice(prefix.length);
    raw[key] = stringKeys.has(key) ? text : parseJson(text);
  }
  return raw;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/**
 * Each key of `shape` checked on its own: the values that passed, and a problem per failure (a
 * missing key is "required" with its description, a wrong one each issue at its path, e.g.
 * `registers[1].name`). A key the schema does not know gets `unknownKey(hint)`, the hint being the
 * known key it differs from only in case.
 */
export function checkKeys(
  shape: Readonly<Record<string, z.ZodType>>,
  raw: Readonly<Record<string, unknown>>,
  unknownKey: (hint: string | undefined) => string,
): { values: Record<string, unknown>; problems: SettingsProblem[] } {
  const knownKeys = Object.keys(shape);
  const values: Record<string, unknown> = {};
  const problems: SettingsProblem[] = [];
  for (const key of knownKeys) {
    const result = shape[key].safeParse(raw[key]);
    if (result.success) {
      values[key] = result.data;
    } else if (raw[key] === undefined) {
      const description = shape[key].description;
      problems.push({ key, message: `is required${description ? `: ${description}` : ""}` });
    } else {
      for (const issue of result.error.issues) {
        problems.push({ key: key + issue.path.map((p) => (typeof p === "number" ? `[${p}]` : `.${String(p)}`)).join(""), message: issue.message });
      }
    }
  }
  for (const key of Object.keys(raw).filter((k) => !knownKeys.includes(k))) {
    problems.push({
      key,
      message: unknownKey(knownKeys.find((k) => k.toLowerCase() === key.toLowerCase())),
    });
  }
  return { values, problems };
}
