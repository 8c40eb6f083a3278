import * as fs from "fs";
import * as path from "path";
import { parseDocument, stringify } from "yaml";
import { stateNamespace, stateSettingsSchema } from "../../bootstrap/settings";
import { registerSchema } from "../../settings/registers";
import { ConfigDeclaration } from "../engine/stackConfig";
import { configDeclarations, undeclarableKeys } from "./configDeclarations";
import { noArgumentScript } from "../scriptHelp";

/**
 * Generates the two views of each settings schema that live in the repo — the project's
 * Pulumi.yaml `config:` block and its configuration reference — so neither can drift from the
 * validation (`npm run gen:config`; tests/config-docs.test.ts fails when they are stale): the
 * embassy's (settings/schema.ts: Pulumi.yaml, docs/config.md) and the state backend's
 * (bootstrap/settings.ts: bootstrap/Pulumi.yaml, docs/config-state-backend.md).
 */

const root = path.resolve(__dirname, "..", "..");
/** Files this generator owns for the embassy (project-relative). */
export const generatedFiles = { pulumiYaml: "Pulumi.yaml", configDoc: path.join("docs", "config.md") } as const;
/** Files this generator owns for the state backend (repository-relative). */
export const stateGeneratedFiles = { pulumiYaml: path.join("bootstrap", "Pulumi.yaml"), configDoc: path.join("docs", "config-state-backend.md") } as const;

const generatedNote = [
  "# Generated from settings/schema.ts by `npm run gen:config`.",
  `# Object-valued keys (${undeclarableKeys.join(", ")}) cannot be typed here; set them in the stack file (docs/config.md).`,
];
const stateGeneratedNote = ["# Generated from bootstrap/settings.ts by `npm run gen:config`."];

/** A Pulumi.yaml with its `config:` block replaced by `declarations`, `note` right above it. */
function withConfigBlock(current: string, declarations: Record<string, ConfigDeclaration>, note: readonly string[]): string {
  const doc = parseDocument(current);
  doc.set("config", declarations);
  const text = doc
    .toString({ lineWidth: 0 })
    .split("\n")
    .filter((line) => !note.includes(line));
  const at = text.indexOf("config:");
  text.splice(at, 0, ...note);
  return text.join("\n");
}

/** Pulumi.yaml with its `config:` block replaced by the schema's declarations. */
export function pulumiYamlText(current: string): string {
  return withConfigBlock(current, configDeclarations(), generatedNote);
}

/** bootstrap/Pulumi.yaml with its `config:` block replaced by the state backend's declarations. */
export function statePulumiYamlText(current: string): string {
  return withConfigBlock(current, configDeclarations(stateSettingsSchema), stateGeneratedNote);
}

const cell = (text: string) => text.replace(/\|/g, "\\|").replace(/\n/g, " ");
const show = (value: unknown) => (value === undefined ? "—" : `\`${JSON.stringify(value)}\``);

/** The key table of a configuration reference: type, default and description of each key. */
function keyTable(declarations: Record<string, ConfigDeclaration>): string[] {
  const lines = ["| key | type | default | description |", "| --- | --- | --- | --- |"];
  for (const [key, decl] of Object.entries(declarations)) {
    const type = decl.type === "array" ? `array of ${decl.items?.type}` : String(decl.type);
    lines.push(`| \`${key}\` | ${type} | ${show(decl.default)} | ${cell(decl.description ?? "")} |`);
  }
  return lines;
}

/** docs/config.md: every key with type, default and description. */
export function configDocText(): string {
  const lines = [
    "# Configuration reference",
    "",
    "<!-- Generated from settings/schema.ts by `npm run gen:config`; do not edit by hand. -->",
    "",
    "Every key lives in the `data-embassy` namespace (`pulumi config set data-embassy:<key> <value>`, or",
    "`data-embassy:<key>:` in `Pulumi.<stack>.yaml`). Keys without a default are required. Validation",
    "reports every problem at once before anything is registered; cross-key rules (approved regions and",
    "geo-secondaries, distance from home, production guards, lock acknowledgement, address plan) are in",
    "`settings/crossKeyRules.ts`.",
    "",
    ...keyTable(configDeclarations()),
  ];
  lines.push("", "## `registers`", "", "A list of objects, one per register. Its name becomes a blob container, an encryption scope and a Key Vault key.", "");
  lines.push("| field | required | default | allowed |", "| --- | --- | --- | --- |");
  for (const [field, schema] of Object.entries(registerSchema.shape)) {
    const parsed = schema.safeParse(undefined);
    const required = !parsed.success;
    lines.push(`| \`${field}\` | ${required ? "yes" : "no"} | ${parsed.success ? show(parsed.data) : "—"} | ${cell(schema.description ?? "")} |`);
  }
  lines.push("", "Example (from `Pulumi.dev.yaml`):", "", "```yaml", exampleRegister(), "```", "");
  return lines.join("\n");
}

/** docs/config-state-backend.md: every key of the state backend (bootstrap/) with type, default and description. */
export function stateConfigDocText(): string {
  return [
    "# Configuration reference: the state backend",
    "",
    "<!-- Generated from bootstrap/settings.ts by `npm run gen:config`; do not edit by hand. -->",
    "",
    `Every key of \`bootstrap/\` lives in the \`${stateNamespace}\` namespace (\`pulumi config set ${stateNamespace}:<key> <value>\``,
    `in \`bootstrap/\`, or \`${stateNamespace}:<key>:\` in \`bootstrap/Pulumi.<stack>.yaml\`); \`azure-native:location\` must`,
    "equal `region`. Keys without a default are required. Validation reports every problem at once, each",
    "with its key, before anything is registered; the region must have a geo-pair in the EU and the",
    "prefix must make valid names (`bootstrap/settings.ts`). What the backend builds and why:",
    "[state-backend.md](state-backend.md).",
    "",
    ...keyTable(configDeclarations(stateSettingsSchema)),
    "",
  ].join("\n");
}

function exampleRegister(): string {
  const dev = parseDocument(fs.readFileSync(path.join(root, "Pulumi.dev.yaml"), "utf8")).toJS() as {
    config: Record<string, unknown[]>;
  };
  const first = dev.config["data-embassy:registers"][0];
  return stringify({ "data-embassy:registers": [first] }, { lineWidth: 0 }).trim();
}

/** `npm run gen:config`. */
function main(): void {
  const stop = noArgumentScript(
    "gen:config",
    "Writes the config: block of Pulumi.yaml and bootstrap/Pulumi.yaml, docs/config.md and docs/config-state-backend.md\nfrom the settings schemas (settings/schema.ts, bootstrap/settings.ts).",
    process.argv,
  );
  if (stop !== undefined) {
    process.exitCode = stop;
    return;
  }
  const rewrite = (file: string, text: (current: string) => string) =>
    fs.writeFileSync(path.join(root, file), text(fs.readFileSync(path.join(root, file), "utf8")));
  rewrite(generatedFiles.pulumiYaml, pulumiYamlText);
  rewrite(stateGeneratedFiles.pulumiYaml, statePulumiYamlText);
  fs.mkdirSync(path.join(root, "docs"), { recursive: true });
  fs.writeFileSync(path.join(root, generatedFiles.configDoc), configDocText());
  fs.writeFileSync(path.join(root, stateGeneratedFiles.configDoc), stateConfigDocText());
  console.log(
    `wrote ${generatedFiles.pulumiYaml} (${Object.keys(configDeclarations()).length} keys), ${generatedFiles.configDoc}, ` +
      `${stateGeneratedFiles.pulumiYaml} (${Object.keys(configDeclarations(stateSettingsSchema)).length} keys) and ${stateGeneratedFiles.configDoc}`,
  );
}

if (require.main === module) main();
