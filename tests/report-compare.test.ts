import type { Capture, CapturedResource } from "../tools/capture";
import { changedPaths, comparePlans } from "../tools/compare";
import { formatDiffText } from "../tools/format/diff";
import type { PolicyFinding } from "../tools/format/findings";
import { formatJson, parsePlanDocument, PlanDocumentError } from "../tools/format/json";
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
    expect(diff.unchanged).toBe(base.resources.length);
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
    expect(diff.unchanged).toBe(base.resources.length - 3);
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
