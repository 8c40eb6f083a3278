import * as fs from "fs";
import * as path from "path";
import { parseDocument, stringify } from "yaml";
import { registerSchema } from "../settings/registers";
import { configDeclarations, undeclarableKeys } from "./configDeclarations";

/**
 * Generates the two views of the settings schema that live in the repo — Pulumi.yaml's `config:`
 * block and docs/config.md — so neither can drift from the validation (`npm run gen:config`;
 * tests/config-docs.test.ts fails when they are stale).
 */

const root = path.resolve(__dirname, "..");
/** Files this generator owns (project-relative). */
export const generatedFiles = { pulumiYaml: "Pulumi.yaml", configDoc: path.join("docs", "config.md") } as const;

const generatedNote = [
  "# Generated from settings/schema.ts by `npm run gen:config`.",
  `# Object-valued keys (${undeclarableKeys.join(", ")}) cannot be typed here; set them in the stack file (docs/config.md).`,
];

/** Pulumi.yaml with its `config:` block replaced by the schema's declarations. */
export function pulumiYamlText(current: string): string {
  const doc = parseDocument(current);
  doc.set("config", configDeclarations());
  const text = doc
    .toString({ lineWidth: 0 })
    .split("\n")
    .filter((line) => !generatedNote.includes(line));
  const at = text.indexOf("config:");
  text.splice(at, 0, ...generatedNote);
  return text.join("\n");
}

const cell = (text: string) => text.replace(/\|/g, "\\|").replace(/\n/g, " ");
const show = (value: unknown) => (value === undefined ? "—" : `\`${JSON.stringify(value)}\``);

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
    "| key | type | default | description |",
    "| --- | --- | --- | --- |",
  ];
  const declarations = configDeclarations();
  for (const [key, decl] of Object.entries(declarations)) {
    const type = decl.type === "array" ? `array of ${decl.items?.type}` : String(decl.type);
    lines.push(`| \`${key}\` | ${type} | ${show(decl.default)} | ${cell(decl.description ?? "")} |`);
  }
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

function exampleRegister(): string {
  const dev = parseDocument(fs.readFileSync(path.join(root, "Pulumi.dev.yaml"), "utf8")).toJS() as {
    config: Record<string, unknown[]>;
  };
  const first = dev.config["data-embassy:registers"][0];
  return stringify({ "data-embassy:registers": [first] }, { lineWidth: 0 }).trim();
}

if (require.main === module) {
  const pulumiYaml = path.join(root, generatedFiles.pulumiYaml);
  fs.writeFileSync(pulumiYaml, pulumiYamlText(fs.readFileSync(pulumiYaml, "utf8")));
  fs.mkdirSync(path.join(root, "docs"), { recursive: true });
  fs.writeFileSync(path.join(root, generatedFiles.configDoc), configDocText());
  console.log(`wrote ${generatedFiles.pulumiYaml} (${Object.keys(configDeclarations()).length} keys) and ${generatedFiles.configDoc}`);
}
