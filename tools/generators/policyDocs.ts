import * as fs from "fs";
import * as path from "path";
import { Area, Control, controls, packName } from "../../catalog/controls";
import { rules } from "../../policy/rules";
import { anyType, Rule } from "../../policy/rules/rule";
import { noArgumentScript } from "../scriptHelp";

/**
 * docs/policies.md, generated from the control catalog and the rules (`npm run gen:policy-docs`);
 * tests/policy-docs.test.ts fails when the file is stale.
 */

/** Where the generated reference lives. */
export const policyDocsPath = path.resolve(__dirname, "..", "..", "docs", "policies.md");

const areaTitles: Record<Area, string> = {
  storage: "Storage",
  keys: "Keys",
  network: "Network",
  backup: "Backup",
  governance: "Governance",
  embassy: "Embassy-wide rules",
  deployability: "Deployability (what ARM accepts, in order)",
};

const short = (type: string) => `\`${type.replace(/^azure-native:/, "")}\``;
const cell = (text: string) => text.replace(/\|/g, "\\|");
const list = (items: readonly string[]) => (items.length === 0 ? "–" : items.join(", "));

function checks(rule: Rule): string {
  if (rule.kind === "resource") {
    return rule.types.includes(anyType) ? "every resource with a `location`" : `each ${rule.types.map(short).join(", ")}`;
  }
  return `the whole stack, when it has ${rule.appliesTo.map(short).join(" or ")}`;
}

function section(control: Control): string[] {
  const rule = rules[control.id as keyof typeof rules];
  const lines = [
    `### \`${control.id}\``,
    "",
    `**${control.title}.** Severity ${control.severity}; checks ${checks(rule)}.`,
    "",
    `- CIS v3.0: ${list(control.cis.v3)}; CIS v6.0: ${list(control.cis.v6)}`,
  ];
  for (const ref of control.azurePolicy) {
    lines.push(`- Azure Policy ${ref.kind}: \`${ref.guid}\` ${ref.displayName}${ref.effect === undefined ? "" : ` (default effect ${ref.effect})`}`);
  }
  for (const [key, property] of Object.entries(rule.config ?? {})) {
    const description = typeof property.schema.description === "string" ? ` ${property.schema.description}` : "";
    lines.push(`- Config \`${key}\`:${description} Default \`${JSON.stringify(property.default)}\`.`);
  }
  if (control.source !== undefined) lines.push(`- Source: ${control.source}`);
  lines.push(`- Why: ${control.rationale}`, `- Fix: ${control.remediation}`, "");
  return lines;
}

/** The whole document. */
export function policyDocs(): string {
  const lines = [
    "# Policy reference",
    "",
    `<!-- Generated from catalog/controls.ts and policy/rules by \`npm run gen:policy-docs\`; do not edit. -->`,
    "",
    `The CrossGuard pack \`${packName}\` (directory \`policy/\`) checks every plan against the ${controls.length} controls below. ` +
      "`npm run plan` runs it over the offline capture through Pulumi's analyzer protocol, prints PASS/FAIL per control and " +
      "exits 3 when a mandatory control fails; with the Pulumi CLI, `pulumi preview --policy-pack policy` runs the same pack.",
    "",
    "Every control is **mandatory** by default. A policy pack config file (the CLI's `--policy-pack-config` format, also " +
      "accepted by `npm run plan -- --policy-config <file>`) can lower a control to advisory or disable it: " +
      '`{ "keys-expiry": "advisory", "all": "mandatory" }`. Stack facts — `approvedRegions`, `registers`, `auditors` — come from ' +
      "the stack's config and fill the policy properties of the same name unless the file sets them. Stack kinds come from " +
      "the `environment` tag every embassy resource carries (untagged stacks are judged as `prod`).",
    "",
    "| Control | Severity | CIS v3 / v6 | Azure Policy |",
    "|---|---|---|---|",
    ...controls.map(
      (c) =>
        `| [\`${c.id}\`](#${c.id}) ${cell(c.title)} | ${c.severity} | ${list(c.cis.v3)} / ${list(c.cis.v6)} | ${list(c.azurePolicy.map((p) => p.guid.slice(0, 8)))} |`,
    ),
    "",
  ];
  for (const area of Object.keys(areaTitles) as Area[]) {
    const inArea = controls.filter((c) => c.area === area);
    if (inArea.length === 0) continue;
    lines.push(`## ${areaTitles[area]}`, "", ...inArea.flatMap(section));
  }
  return `${lines.join("\n").trimEnd()}\n`;
}

if (require.main === module) {
  const stop = noArgumentScript(
    "gen:policy-docs",
    "Writes docs/policies.md, the reference of every control, from the catalog (catalog/controls.ts).",
    process.argv,
  );
  if (stop === undefined) {
    fs.writeFileSync(policyDocsPath, policyDocs());
    process.stdout.write(`wrote ${path.relative(process.cwd(), policyDocsPath)}\n`);
  } else {
    process.exitCode = stop;
  }
}
