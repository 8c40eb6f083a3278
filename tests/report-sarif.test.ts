import * as fs from "fs";
import * as path from "path";
import Ajv from "ajv-draft-04";
import addFormats from "ajv-formats";
import { controls, controlsById, packName } from "../catalog/controls";
import type { Capture } from "../tools/engine/capture";
import type { PolicyFinding } from "../tools/reports/findings";
import { formatSarif, SarifLog } from "../tools/reports/sarif";
import { constructorLine } from "../tools/reports/sourceLocation";
import { policyFindings } from "../tools/gate/policyFindings";
import type { PolicyReport } from "../tools/gate/policyResults";
import { plan, single, exceptFlowLogs } from "./helpers";

/**
 * The SARIF report validated against the SARIF 2.1.0 JSON schema (vendored: tests/fixtures/sarif/
 * sarif-2.1.0-rtm.5.json, byte for byte the copy npm's `@microsoft/sarif-matcher-utils` 1.0.0-beta.0
 * ships, MIT; the schema GitHub's docs point to as json.schemastore.org/sarif-2.1.0.json), plus the
 * fields GitHub code scanning requires and locations that point at the code that made a resource.
 */

const repoRoot = path.resolve(__dirname, "..");
const schema = JSON.parse(fs.readFileSync(path.join(__dirname, "fixtures", "sarif", "sarif-2.1.0-rtm.5.json"), "utf8")) as object;
// The schema's BCP-47 pattern has a stray `]` that is only legal in a non-Unicode RegExp.
const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
addFormats(ajv);
const validate = ajv.compile(schema);

function expectValid(log: SarifLog): void {
  const valid = validate(JSON.parse(JSON.stringify(log)));
  expect(validate.errors ?? []).toEqual([]);
  expect(valid).toBe(true);
}

const readSource = (file: string) => fs.readFileSync(path.join(repoRoot, file), "utf8");

describe("SARIF report", () => {
  let capture: Capture;
  let findings: PolicyFinding[];
  beforeAll(async () => {
    capture = await plan();
    const account = single(exceptFlowLogs(capture), "azure-native:storage:StorageAccount");
    const vault = single(capture, "azure-native:keyvault:Vault");
    findings = [
      {
        controlId: "STG-01",
        policyName: "storage-min-tls",
        title: "Storage accepts TLS 1.2 or newer",
        urn: account.urn,
        message: "minimumTlsVersion is TLS1_0",
        enforcementLevel: "mandatory",
        cis: ["v3 3.15"],
        azurePolicy: ["fe83a0eb-a853-422d-aac2-1bffd182c5d0"],
      },
      { controlId: "KV-03", policyName: "vault-diagnostics", urn: vault.urn, message: "no diagnostic setting", enforcementLevel: "advisory" },
      { controlId: "STG-01", policyName: "storage-min-tls", urn: account.urn.replace("account", "other"), message: "also TLS", enforcementLevel: "advisory" },
      { controlId: "GOV-01", policyName: "approved-regions", message: "a location is not approved", enforcementLevel: "mandatory" },
      { controlId: "OFF-01", policyName: "switched-off", message: "ignored", enforcementLevel: "disabled" },
    ];
  });

  it("validates against the SARIF 2.1.0 schema, with and without findings", () => {
    expectValid(formatSarif(capture, findings, { readSource, toolVersion: "0.1.0" }));
    expectValid(formatSarif(capture, [], {}));
    expectValid(formatSarif(capture, undefined, {}));
  });

  it("the schema check is real: it rejects what code scanning would reject", () => {
    const log = formatSarif(capture, findings, { readSource }) as unknown as { runs: { results: { level: string }[] }[] };
    log.runs[0].results[0].level = "fatal";
    expect(validate(log)).toBe(false);
  });

  it("declares one rule per control with what code scanning requires, at its strictest level", () => {
    const { runs } = formatSarif(capture, findings, { readSource });
    const rules = runs[0].tool.driver.rules;
    expect(rules.map((r) => r.id)).toEqual(["GOV-01", "KV-03", "STG-01"]);
    const tls = rules[2];
    expect(tls.shortDescription.text).toBe("Storage accepts TLS 1.2 or newer");
    expect(tls.fullDescription.text).toContain("CIS Microsoft Azure Foundations Benchmark: v3 3.15");
    expect(tls.fullDescription.text).toContain("Azure Policy: fe83a0eb-a853-422d-aac2-1bffd182c5d0");
    expect(tls.help.text.length).toBeGreaterThan(0);
    expect(tls.defaultConfiguration.level).toBe("error");
    expect(tls.properties).toMatchObject({ "security-severity": "8.0", tags: expect.arrayContaining(["security", "CIS-v3 3.15"]) });
    expect(rules[1].defaultConfiguration.level).toBe("warning");
    expect(runs[0].automationDetails.id).toBe("offline-plan/data-embassy/dev/");
  });

  it("points each result at the line of the component source that constructs the resource", () => {
    const { runs } = formatSarif(capture, findings, { readSource });
    const results = runs[0].results;
    expect(results).toHaveLength(4); // the disabled finding is not reported
    expect(results.map((r) => [r.ruleId, r.level])).toEqual([
      ["GOV-01", "error"],
      ["STG-01", "error"],
      ["KV-03", "warning"],
      ["STG-01", "warning"],
    ]);
    for (const type of ["StorageAccount", "Vault"]) {
      const resource = single(exceptFlowLogs(capture), `azure-native:${type === "Vault" ? "keyvault" : "storage"}:${type}`);
      const result = results.find((r) => r.locations[0].logicalLocations?.[0].fullyQualifiedName === resource.urn);
      const location = result?.locations[0].physicalLocation;
      expect(location?.artifactLocation.uri).toBe(resource.source?.split(path.sep).join("/"));
      const line = readSource(location?.artifactLocation.uri ?? "").split("\n")[(location?.region.startLine ?? 0) - 1];
      expect(line).toMatch(new RegExp(`new \\w+\\.${type}\\(`));
      expect(result?.message.text).toContain(`${resource.name} (${resource.type}), stack dev`);
    }
  });

  it("points stack-level findings and unknown resources at the stack file", () => {
    const results = formatSarif(capture, findings, { readSource }).runs[0].results;
    expect(results[0].locations[0].physicalLocation).toEqual({
      artifactLocation: { uri: "Pulumi.dev.yaml", uriBaseId: "%SRCROOT%" },
      region: { startLine: 1, startColumn: 1 },
    });
    expect(results[3].locations[0].physicalLocation.artifactLocation.uri).toBe("Pulumi.dev.yaml");
  });

  it("makes paths repository-relative for a project in a sub-folder", () => {
    const result = formatSarif(capture, findings, { projectPath: "bootstrap" }).runs[0].results[1];
    expect(result.locations[0].physicalLocation.artifactLocation.uri).toMatch(/^bootstrap\/components\//);
  });

  it("records that the policy pack did not run, and a failed program, as notifications", () => {
    const failed: Capture = { ...capture, error: { name: "SettingsError", message: "bad config" } };
    const invocation = formatSarif(failed, undefined).runs[0].invocations[0];
    expect(invocation.executionSuccessful).toBe(false);
    expect(invocation.toolExecutionNotifications.map((n) => n.message.text)).toEqual(
      expect.arrayContaining(["bad config", "The policy pack did not run: no findings to report."]),
    );
  });
});

describe("constructor line", () => {
  const source = [
    'import * as storage from "@pulumi/azure-native/storage";',
    "const a = new storage.BlobContainer(`${name}-logs`, {});",
    "",
    "const b = new storage.BlobContainer(",
    "  `${name}-registers`,",
    "  {},",
    ");",
    "const c = new Key(`${name}-key`);",
  ].join("\n");

  it("prefers the candidate whose arguments name the resource, then the first one, then line 1", () => {
    expect(constructorLine(source, { type: "azure-native:storage:BlobContainer", name: "embassy-storage-registers" })).toBe(4);
    expect(constructorLine(source, { type: "azure-native:storage:BlobContainer", name: "embassy-storage-logs" })).toBe(2);
    expect(constructorLine(source, { type: "azure-native:storage:BlobContainer", name: "unrelated" })).toBe(2);
    expect(constructorLine(source, { type: "azure-native:keyvault:Key", name: "x-key" })).toBe(8);
    expect(constructorLine(source, { type: "azure-native:storage:StorageAccount", name: "acct" })).toBe(1);
  });
});

describe("SARIF rules from the control catalog", () => {
  /** A pack report with one violation of each of `ids`, as the policy runner produces it. */
  function report(ids: string[], urn: string): PolicyReport {
    return {
      pack: { name: packName, version: "0.1.0" },
      controls: controls.map((c) => ({
        controlId: c.id,
        title: c.title,
        severity: c.severity,
        area: c.area,
        cis: c.cis,
        azurePolicy: c.azurePolicy.map((p) => p.guid),
        enforcementLevel: "mandatory",
        status: ids.includes(c.id) ? "fail" : "pass",
        violations: ids.includes(c.id) ? 1 : 0,
      })),
      violations: ids.map((id) => ({ controlId: id, policyName: id, urn, message: `${id} fails`, enforcementLevel: "mandatory" })),
      summary: { mandatory: ids.length, advisory: 0, passed: controls.length - ids.length, failed: ids.length, notApplicable: 0 },
    };
  }

  it("carry the catalog's remediation, and as help URI the control's source or its section of docs/policies.md", async () => {
    const capture = await plan();
    const withSource = controls.find((c) => c.source !== undefined) as (typeof controls)[number];
    const ids = ["storage-tls-minimum", withSource.id];
    const findings = policyFindings(report(ids, single(exceptFlowLogs(capture), "azure-native:storage:StorageAccount").urn));
    const docs = "https://github.example/org/repo/blob/abc123/docs/policies.md";
    const log = formatSarif(capture, findings, { policyDocsUri: docs });
    expectValid(log);
    const rules = new Map(log.runs[0].tool.driver.rules.map((r) => [r.id, r]));
    for (const id of ids) {
      const control = controlsById.get(id) as (typeof controls)[number];
      const rule = rules.get(id);
      expect(rule?.help.text).toContain(`Remediation: ${control.remediation}`);
      expect(rule?.help.markdown).toContain(`**Remediation:** ${control.remediation}`);
      expect(rule?.help.text).not.toContain("Fix the resource's arguments in the component source");
      expect(rule?.helpUri).toBe(control.source ?? `${docs}#${id}`);
    }
    // docs/policies.md has a section whose GitHub anchor is the id the link ends with.
    expect(fs.readFileSync(path.join(repoRoot, "docs", "policies.md"), "utf8")).toContain("### `storage-tls-minimum`");
    // Outside CI no absolute URL is known: a control without a source gets no helpUri, and its help names the docs section.
    const local = formatSarif(capture, findings).runs[0].tool.driver.rules.find((r) => r.id === "storage-tls-minimum");
    expect(local?.helpUri).toBeUndefined();
    expect(local?.help.markdown).toContain("[docs/policies.md#storage-tls-minimum](docs/policies.md#storage-tls-minimum)");
  });
});
