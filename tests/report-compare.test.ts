import type { Capture, CapturedResource } from "../tools/engine/capture";
import { changeCounts, changedPaths, comparePlans, valueAt } from "../tools/analysis/compare";
import { attentionItems } from "../tools/reports/attention";
import { planCounts } from "../tools/reports/counts";
import { diffMarkdown, diffSummary, formatDiffText } from "../tools/reports/diff";
import type { PolicyFinding } from "../tools/reports/findings";
import { formatJson, parsePlanDocument, PlanDocumentError } from "../tools/reports/json";
import { plan, single, exceptFlowLogs } from "./helpers";

/** `plan --compare`: a change injected into a copy of the dev plan is found, named and counted. */

const clone = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

describe("plan comparison", () => {
  let base: Capture;
  beforeAll(async () => {
    base = await plan();
  });

  it("finds nothing between a plan and itself (and the JSON round trip keeps it so)", () => {
    const roundTrip = parsePlanDocument(formatJson(base), "base.json");
    const diff = comparePlans(roundTrip, base);
    expect(diff.resources).toEqual([]);
    // Resources as every report counts them: components and the stack are containers, not compared.
    expect(diff.unchanged).toBe(planCounts(base).resources);
    expect(diff.findings).toBeUndefined();
  });

  it("finds an injected change: an input, an option, a removed and an added resource", () => {
    const head = clone(base);
    const account = head.resources.find((r) => r.type === "azure-native:storage:StorageAccount") as CapturedResource;
    account.inputs.minimumTlsVersion = "TLS1_0";
    const vault = head.resources.find((r) => r.type === "azure-native:keyvault:Vault") as CapturedResource;
    vault.options.protect = !vault.options.protect;
    const removed = head.resources.findIndex((r) => r.type === "azure-native:keyvault:Key");
    const [key] = head.resources.splice(removed, 1);
    head.resources.push({ ...clone(key), urn: `${key.urn}-extra`, name: `${key.name}-extra` });

    const diff = comparePlans(base, head);
    expect(diff.resources.map((c) => [c.kind, c.name, c.paths])).toEqual([
      ["added", `${key.name}-extra`, []],
      ["removed", key.name, []],
      ["changed", vault.name, ["options.protect"]],
      ["changed", account.name, ["inputs.minimumTlsVersion"]],
    ]);
    expect(diff.unchanged + diff.resources.filter((c) => c.kind !== "removed").length).toBe(planCounts(head).resources);
    expect(diff.unchanged).toBe(planCounts(base).resources - 3);
    const text = formatDiffText(diff);
    expect(text).toContain("1 added, 1 removed, 2 changed");
    expect(text).toContain(`~ storage:StorageAccount  ${account.name}: inputs.minimumTlsVersion`);
  });

  it("counts a new dependency as a change but not a moved source file", () => {
    const head = clone(base);
    const account = head.resources.find((r) => r.type === "azure-native:storage:StorageAccount") as CapturedResource;
    account.source = "components/elsewhere.ts";
    expect(comparePlans(base, head).resources).toEqual([]);
    account.dependencies = [...account.dependencies, head.resources[0].urn];
    expect(comparePlans(base, head).resources.map((c) => [c.name, c.paths])).toEqual([[account.name, ["dependencies"]]]);
  });

  it("reports findings that appear and go away when both plans carry policy results", () => {
    const account = single(exceptFlowLogs(base), "azure-native:storage:StorageAccount");
    const tls: PolicyFinding = { controlId: "STG-01", policyName: "tls", urn: account.urn, message: "TLS1_0", enforcementLevel: "mandatory" };
    const logs: PolicyFinding = { controlId: "MON-01", policyName: "logs", message: "no workspace", enforcementLevel: "advisory" };
    const diff = comparePlans({ ...base, findings: [logs] }, { ...base, findings: [tls] });
    expect(diff.findings).toEqual([
      { kind: "new", finding: tls },
      { kind: "resolved", finding: logs },
    ]);
    expect(formatDiffText(diff)).toContain("findings: 1 new, 1 resolved");
    expect(comparePlans({ ...base, findings: [tls] }, { ...base, findings: [{ ...tls, message: "reworded" }] }).findings).toEqual([]);
  });

  it("lines up two stacks: URNs and references differ only by the stack name", () => {
    const rename = (text: string) => text.split("urn:pulumi:dev::").join("urn:pulumi:prod::");
    const prod = JSON.parse(rename(JSON.stringify(base))) as Capture;
    prod.stack = "prod";
    expect(comparePlans(base, prod).resources).toEqual([]);
  });
});

describe("changed paths", () => {
  it("descends objects and equal-length arrays, and names a resized array as a whole", () => {
    expect(changedPaths({ a: { b: 1, c: [1, 2] } }, { a: { b: 2, c: [1, 3] } })).toEqual(["a.b", "a.c[1]"]);
    expect(changedPaths({ a: [1] }, { a: [1, 2] })).toEqual(["a"]);
    expect(changedPaths({ a: 1 }, { b: 1 })).toEqual(["a", "b"]);
    expect(changedPaths(1, 2)).toEqual(["(value)"]);
    expect(changedPaths({ a: null }, { a: null })).toEqual([]);
  });
});

describe("plan documents", () => {
  it("refuses a file that is not a plan, naming what is missing", () => {
    expect(() => parsePlanDocument("{", "base.json")).toThrow(PlanDocumentError);
    expect(() => parsePlanDocument('{"project":"p","resources":{}}', "base.json")).toThrow(/base\.json is not a plan .*bad or missing stack, resources/);
  });

  it("writes findings only when the policy pack ran", () => {
    const capture: Capture = { project: "p", stack: "s", resources: [], outputs: {}, diagnostics: [] };
    expect(JSON.parse(formatJson(capture))).toEqual(capture);
    expect(JSON.parse(formatJson(capture, [])).findings).toEqual([]);
  });
});

describe("old → new values and replacement", () => {
  let base: Capture;
  beforeAll(async () => {
    base = await plan();
  });

  const changeOf = (diff: ReturnType<typeof comparePlans>, name: string) => diff.resources.find((c) => c.name === name);

  it("gives each changed property its base and new value, and tells an in-place update from a replacement", () => {
    const head = clone(base);
    const account = head.resources.find((r) => r.type === "azure-native:storage:StorageAccount") as CapturedResource;
    const vault = head.resources.find((r) => r.type === "azure-native:keyvault:Vault") as CapturedResource;
    const key = head.resources.find((r) => r.type === "azure-native:keyvault:Key") as CapturedResource;
    const scope = head.resources.find((r) => r.type === "azure-native:storage:EncryptionScope") as CapturedResource;
    account.inputs.minimumTlsVersion = "TLS1_0";
    vault.inputs.location = "swedencentral";
    key.inputs.vaultName = "kv-elsewhere";
    scope.inputs.source = "Microsoft.Storage";
    scope.options.replaceOnChanges = ["source"];

    const diff = comparePlans(base, head);
    const tls = changeOf(diff, account.name);
    expect(tls?.changes).toEqual([{ path: "inputs.minimumTlsVersion", before: "TLS1_2", after: "TLS1_0" }]);
    expect(tls?.replacement).toBeUndefined();
    // Azure cannot move a resource; whether azure-native replaces depends on the API spec: "may replace".
    expect(changeOf(diff, vault.name)?.replacement).toEqual({ certainty: "may replace", input: "location", because: expect.stringContaining("region") });
    // The vault's name is in the key's ARM URL: azure-native replaces the key.
    expect(changeOf(diff, key.name)?.replacement).toMatchObject({ certainty: "replaces", input: "vaultName" });
    expect(changeOf(diff, scope.name)?.replacement).toMatchObject({
      certainty: "replaces",
      input: "source",
      because: "the program sets replaceOnChanges: source",
    });
    expect(changeCounts(diff)).toMatchObject({ changed: 4, replaced: 2, mayReplace: 1 });
    const text = formatDiffText(diff);
    expect(text).toContain('inputs.minimumTlsVersion: "TLS1_2" → "TLS1_0"');
    expect(text).toContain("[replaces: vaultName is part of the resource's ARM id: azure-native replaces it]");
    expect(diffSummary(diff)).toMatch(/4 changed \(2 replaced, 1 may be replaced\)/);
  });

  it("marks a protected resource's replacement and deletion as stopping pulumi up, and puts them first under Needs attention", () => {
    const head = clone(base);
    const account = head.resources.find((r) => r.name === "embassy-storage-account") as CapturedResource;
    account.inputs.accountName = "stnewname";
    const protectedBase = clone(base);
    protectedBase.resources.filter((r) => r.name === "embassy-storage-account").forEach((r) => (r.options.protect = true));
    const diff = comparePlans(protectedBase, head);
    const items = attentionItems({ capture: head, diff });
    expect(items[0]).toMatch(
      /^🔁 \*\*embassy-storage-account\*\* \(`storage:StorageAccount`\) is \*\*replaced\*\* .*`accountName` changes.* it is protected, so `pulumi up` stops/,
    );
    expect(items[1]).toMatch(/^🔓 \*\*embassy-storage-account\*\* .* loses `protect`/);
    const markdown = diffMarkdown(diff);
    expect(markdown).toContain("| ✏️ changed | embassy-storage-account | `storage:StorageAccount` | `inputs.accountName` |");
    expect(markdown).toContain(
      "🔁 **replaces**: accountName is part of the resource's ARM id: azure-native replaces it; protected: `pulumi up` stops until `protect` is lifted",
    );
  });

  it("sums up many replacements in one bullet instead of one per resource", () => {
    const head = clone(base);
    for (const r of head.resources.filter((x) => x.type === "azure-native:storage:BlobContainer")) r.inputs.accountName = "stother";
    const diff = comparePlans(base, head);
    const replaced = diff.resources.filter((c) => c.replacement?.certainty === "replaces").length;
    expect(replaced).toBeGreaterThan(3);
    const items = attentionItems({ capture: head, diff }).filter((i) => i.startsWith("🔁"));
    expect(items).toEqual([
      expect.stringMatching(new RegExp(`^🔁 ${replaced} resources are \\*\\*replaced\\*\\*: .* and ${replaced - 3} more \\(see the changes\\)$`)),
    ]);
  });

  it("folds long values: cut short in the table, whole in a <details> block below it", () => {
    const head = clone(base);
    const alert = head.resources.find((r) => r.type === "azure-native:monitor:ActivityLogAlert") as CapturedResource;
    alert.inputs.description = "x".repeat(500);
    const markdown = diffMarkdown(comparePlans(base, head));
    const row = markdown.split("\n").find((l) => l.includes("`inputs.description`")) as string;
    expect(row.length).toBeLessThan(400);
    expect(row).toContain("… (502 characters; whole in below)");
    expect(markdown).toMatch(/<details><summary>Whole values of 1 long property<\/summary>[\s\S]*"x{500}"[\s\S]*<\/details>/);
  });

  it("reads values back at the paths it reports", () => {
    expect(valueAt({ a: { b: [1, { c: 2 }] } }, "a.b[1].c")).toBe(2);
    expect(valueAt({ a: 1 }, "a.b")).toBeUndefined();
    expect(valueAt(3, "(value)")).toBe(3);
  });
});
