import type { Capture, CapturedResource } from "../tools/engine/capture";
import { comparePlans } from "../tools/analysis/compare";
import { criticalPath } from "../tools/analysis/criticalPath";
import { shortType } from "../tools/reports/components";
import type { PolicyFinding } from "../tools/reports/findings";
import { planCounts } from "../tools/reports/counts";
import { formatMarkdown, reportMarker, stackSummary } from "../tools/reports/markdown";
import { componentDiagram, mermaidText } from "../tools/reports/mermaid";
import { regionsTouched } from "../tools/reports/regions";
import type { SecuritySettings } from "../tools/reports/security";
import { formatSummary } from "../tools/reports/summary";
import { formatTree } from "../tools/reports/tree";
import { plan, single, exceptFlowLogs } from "./helpers";

/**
 * The Markdown report (the PR comment) on the dev plan, and its Mermaid diagram checked against
 * the flowchart grammar the generator targets: declared ids, known edges, balanced subgraphs and
 * labels that can hold no syntax.
 */

const reserved = new Set(["end", "subgraph", "graph", "flowchart", "style", "class", "classDef", "click", "call", "href", "default", "linkStyle"]);
const idPattern = /^[A-Za-z][A-Za-z0-9_]*$/;
// Inside a label: plain characters, decimal entity codes and the <br/> line break, nothing else.
const labelPattern = /^(?:[A-Za-z0-9 .,:/()_+-]|#\d+;|<br\/>)*$/;

interface ParsedDiagram {
  nodes: Map<string, string>;
  subgraphs: Map<string, string>;
  edges: [string, string][];
  classes: Map<string, string[]>;
}

/** Parses the flowchart subset the generator emits; throws naming the first line that breaks it. */
function parseMermaid(source: string): ParsedDiagram {
  const lines = source.trimEnd().split("\n");
  if (!/^flowchart (LR|RL|TD|TB|BT)$/.test(lines[0])) throw new Error(`bad header: ${lines[0]}`);
  const diagram: ParsedDiagram = { nodes: new Map(), subgraphs: new Map(), edges: [], classes: new Map() };
  const classDefs = new Set<string>();
  let depth = 0;
  const checkId = (id: string, line: string) => {
    if (!idPattern.test(id) || reserved.has(id)) throw new Error(`bad id "${id}" in: ${line}`);
  };
  const checkLabel = (label: string, line: string) => {
    if (!labelPattern.test(label)) throw new Error(`unescaped label in: ${line}`);
  };
  for (const raw of lines.slice(1)) {
    const line = raw.trim();
    let m: RegExpMatchArray | null;
    if ((m = line.match(/^subgraph (\S+)\["(.*)"\]$/))) {
      checkId(m[1], line);
      checkLabel(m[2], line);
      if (diagram.subgraphs.has(m[1]) || diagram.nodes.has(m[1])) throw new Error(`duplicate id ${m[1]}`);
      diagram.subgraphs.set(m[1], m[2]);
      depth += 1;
    } else if (line === "end") {
      depth -= 1;
      if (depth < 0) throw new Error("end without subgraph");
    } else if ((m = line.match(/^(\S+)\["(.*)"\]$/))) {
      checkId(m[1], line);
      checkLabel(m[2], line);
      if (diagram.nodes.has(m[1]) || diagram.subgraphs.has(m[1])) throw new Error(`duplicate id ${m[1]}`);
      diagram.nodes.set(m[1], m[2]);
    } else if ((m = line.match(/^(\S+) --> (\S+)$/))) {
      for (const id of [m[1], m[2]]) if (!diagram.nodes.has(id)) throw new Error(`edge to undeclared node ${id}`);
      diagram.edges.push([m[1], m[2]]);
    } else if ((m = line.match(/^classDef (\S+) [a-z-]+:[^\s;]+(,[a-z-]+:[^\s;]+)*$/))) {
      classDefs.add(m[1]);
    } else if ((m = line.match(/^class (\S+) (\S+)$/))) {
      if (!classDefs.has(m[2])) throw new Error(`class ${m[2]} used before classDef`);
      const ids = m[1].split(",");
      for (const id of ids) if (!diagram.nodes.has(id)) throw new Error(`class on undeclared node ${id}`);
      diagram.classes.set(m[2], ids);
    } else {
      throw new Error(`unexpected line: ${raw}`);
    }
  }
  if (depth !== 0) throw new Error("unbalanced subgraph/end");
  return diagram;
}

/** What Mermaid shows for a label: entity codes decoded, `<br/>` as a newline. */
const decode = (label: string) => label.replace(/<br\/>/g, "\n").replace(/#(\d+);/g, (_, code: string) => String.fromCodePoint(Number(code)));

function mermaidBlocks(markdown: string): string[] {
  return [...markdown.matchAll(/```mermaid\n([\s\S]*?)```/g)].map((m) => m[1]);
}

describe("Markdown report", () => {
  let capture: Capture;
  beforeAll(async () => {
    capture = await plan();
  });

  it("opens with a hidden marker CI uses to update its own comment, and a summary", () => {
    const report = formatMarkdown(capture);
    const lines = report.split("\n");
    expect(lines[0]).toBe(reportMarker(capture));
    expect(lines[0]).toBe("<!-- data-embassy-plan:data-embassy/dev -->");
    const azure = capture.resources.filter((r) => r.custom).length;
    expect(report).toContain(`**${azure} resources**`);
    expect(report).toContain("policy: not run");
    expect(report).toContain("The policy pack did not run in this plan.");
  });

  it("lists resources by component and type with counts that add up", () => {
    const report = formatMarkdown(capture);
    const start = report.indexOf("Resources by component and type");
    const section = report.slice(start, report.indexOf("</details>", start));
    const rows = section.split("\n").filter((l) => /^\| .* \| `.*` \| \d+ \|$/.test(l));
    const total = rows.reduce((sum, row) => sum + Number(row.split("|")[3]), 0);
    expect(total).toBe(capture.resources.filter((r) => r.custom).length);
    expect(section).toContain("| embassy (DataEmbassy) | `resources:ResourceGroup` | 1 |");
  });

  it("shows the regions touched, with the storage geo-secondary the location inputs do not name", () => {
    const report = formatMarkdown(capture);
    expect(report).toMatch(/\| `westeurope` \| NL \| yes \| \d+ \|/);
    const account = single(exceptFlowLogs(capture), "azure-native:storage:StorageAccount");
    expect(report).toMatch(new RegExp(`\\| \`northeurope\` \\| IE \\| yes \\| \\d+ \\| [^\n]*\\b${account.name}\\b`));
  });

  it("includes the critical path with its RTO estimate", () => {
    const path = criticalPath(capture);
    const report = formatMarkdown(capture);
    expect(report).toContain("#### Critical path");
    expect(report).toContain(`≈ **${path.minutes} min**`);
    expect(report).toContain(path.chain.map((r) => `${r.name} (\`${shortType(r.type)}\`)`).join(" → "));
  });

  it("renders the policy table with CIS and Azure Policy ids, mandatory first, escaping what it quotes", () => {
    const account = single(exceptFlowLogs(capture), "azure-native:storage:StorageAccount");
    const findings: PolicyFinding[] = [
      { controlId: "NET-02", policyName: "vnet-flow-logs", urn: undefined, message: "no flow logs", enforcementLevel: "advisory" },
      {
        controlId: "STG-01",
        policyName: "storage-min-tls",
        title: "Storage accepts TLS 1.2 or newer",
        urn: account.urn,
        message: "minimumTlsVersion is <TLS1_0> | fix it",
        enforcementLevel: "mandatory",
        cis: ["v3 3.15"],
        azurePolicy: ["fe83a0eb-a853-422d-aac2-1bffd182c5d0"],
      },
    ];
    const report = formatMarkdown(capture, { findings });
    const table = report.slice(report.indexOf("#### Policy"), report.indexOf("#### Regions"));
    const rows = table.split("\n").filter((l) => l.startsWith("| ❌") || l.startsWith("| ⚠️"));
    expect(rows).toEqual([
      `| ❌ mandatory | **STG-01** Storage accepts TLS 1.2 or newer | ${account.name} | minimumTlsVersion is &lt;TLS1_0&gt; \\| fix it | \`v3 3.15\` | \`fe83a0eb-a853-422d-aac2-1bffd182c5d0\` |`,
      "| ⚠️ advisory | **NET-02** vnet-flow-logs | (stack) | no flow logs | — | — |",
    ]);
    expect(report).toContain("policy: ❌ 1 mandatory, 1 advisory");
    // The component holding the violating account is outlined in the diagram.
    const diagram = parseMermaid(mermaidBlocks(report)[0]);
    const flagged = diagram.classes.get("violation") ?? [];
    expect(flagged).toHaveLength(1);
    expect(decode(diagram.nodes.get(flagged[0]) ?? "")).toContain("SovereignStorage");
  });

  it("says so when every control passes, and caps a long findings table", () => {
    expect(formatMarkdown(capture, { findings: [] })).toContain("✅ Every control passes.");
    const many = Array.from({ length: 7 }, (_, i): PolicyFinding => ({ controlId: `X-${i}`, policyName: "p", message: "m", enforcementLevel: "advisory" }));
    const report = formatMarkdown(capture, { findings: many, maxFindings: 5 });
    expect(report.split("\n").filter((l) => l.startsWith("| ⚠️"))).toHaveLength(5);
    expect(report).toContain("… and 2 more");
  });

  it("embeds a Mermaid diagram of the components and their dependencies that parses", () => {
    const blocks = mermaidBlocks(formatMarkdown(capture));
    expect(blocks).toHaveLength(1);
    const diagram = parseMermaid(blocks[0]);
    const labels = [...diagram.nodes.values(), ...diagram.subgraphs.values()].map(decode);
    for (const component of capture.resources.filter((r) => !r.custom && r.type.startsWith("dataembassy:"))) {
      expect(labels.some((l) => l.startsWith(`${component.name} · `))).toBe(true);
    }
    // The keys are a prerequisite of the storage account (its CMK): an edge keys --> storage.
    const idOf = (text: string) => [...diagram.nodes].find(([, l]) => decode(l).includes(text))?.[0];
    expect(diagram.edges).toContainEqual([idOf("KeyCustody"), idOf("SovereignStorage")]);
  });

  it("shows the comparison with a base plan", () => {
    const base: Capture = { ...capture, resources: capture.resources.filter((r) => r.type !== "azure-native:keyvault:Vault") };
    const report = formatMarkdown(capture, { diff: comparePlans(base, capture) });
    expect(report).toContain("#### Changes against data-embassy/dev (base)");
    expect(report).toContain("| ➕ added | embassy-keys-vault | `keyvault:Vault` | | |  |");
  });

  it("opens with the security-relevant settings that differ from their expected value or from the base plan, and with none when nothing does", () => {
    const settings: SecuritySettings = [
      { key: "environment", value: "dev", expected: { value: "prod", what: "the stack's name" } },
      { key: "protectResources", value: false, expected: { value: true, what: "default" } },
      { key: "minDistanceKm", value: 1000, expected: { value: 1000, what: "default" } },
      { key: "auditors", value: ["a|b"] },
    ];
    const lines = formatMarkdown(capture, { security: { settings } }).split("\n");
    // Called out under "Needs attention" too, right after the summary line.
    expect(lines.slice(4, 9)).toEqual([
      expect.stringMatching(/^\*\*\d+ resources\*\* in \d+ components/),
      "",
      "#### Needs attention",
      "",
      '- 🛡️ security setting `environment` is `"dev"`: differs from `"prod"` (the stack\'s name)',
    ]);
    const at = lines.indexOf("#### Security-relevant settings");
    expect(lines.slice(at, at + 7)).toEqual([
      "#### Security-relevant settings",
      "",
      "Settings that decide how strong the guards are, where they differ from the default: check each is meant.",
      "",
      "| Setting | Value | Expected |",
      "| --- | --- | --- |",
      '| `environment` | `"dev"` | `"prod"` (the stack\'s name) |',
    ]);
    expect(lines[at + 7]).toBe("| `protectResources` | `false` | `true` (default) |");
    expect(lines[at + 8]).toBe("");
    // Against a base: lists (no default to compare with) show when they change; unchanged defaults stay out.
    const vsBase = formatMarkdown(capture, { security: { settings, base: { environment: "dev", protectResources: true, minDistanceKm: 1000, auditors: [] } } });
    expect(vsBase).toContain("| Setting | Value | Expected | Base plan |");
    expect(vsBase).toContain('| `environment` | `"dev"` | `"prod"` (the stack\'s name) | same |');
    expect(vsBase).toContain("| `protectResources` | `false` | `true` (default) | **changed** from `true` |");
    expect(vsBase).toContain('| `auditors` | `["a\\|b"]` | — | **changed** from `[]` |');
    expect(vsBase).not.toContain("`minDistanceKm`");
    const quiet = formatMarkdown(capture, { security: { settings: [settings[2], settings[3]], base: { minDistanceKm: 1000, auditors: ["a|b"] } } });
    expect(quiet).not.toContain("Security-relevant settings");
  });

  it("reports a failed program instead of an empty plan", () => {
    const failed: Capture = {
      ...capture,
      resources: [],
      error: { name: "SettingsError", message: 'Invalid configuration for stack "dev": 1 problem\n```x```' },
    };
    const report = formatMarkdown(failed);
    expect(report).toContain("❌ **The program failed** (SettingsError):");
    expect(report).toContain("```text\nInvalid configuration for stack \"dev\": 1 problem\n'''x'''\n```");
    expect(mermaidBlocks(report)).toEqual([]);
  });
});

describe("regions touched", () => {
  const at = (name: string, type: string, inputs: Record<string, unknown>): CapturedResource => ({
    urn: `urn:${name}`,
    type,
    name,
    custom: true,
    dependencies: [],
    inputs,
    options: { protect: false, retainOnDelete: false, ignoreChanges: [], replaceOnChanges: [] },
  });

  it("adds the geo-secondaries of GRS/GZRS accounts and geo-redundant backup vaults, and knows `global` is no region", () => {
    const capture: Capture = {
      project: "p",
      stack: "s",
      outputs: {},
      diagnostics: [],
      resources: [
        at("account", "azure-native:storage:StorageAccount", { location: "swedencentral", sku: { name: "Standard_RAGZRS" } }),
        at("local", "azure-native:storage:StorageAccount", { location: "swedencentral", sku: { name: "Standard_ZRS" } }),
        at("vault", "azure-native:dataprotection:BackupVault", {
          location: "France Central",
          properties: { storageSettings: [{ datastoreType: "VaultStore", type: "GeoRedundant" }] },
        }),
        at("alert", "azure-native:monitor:ActivityLogAlert", { location: "Global" }),
        at("zone", "azure-native:privatedns:PrivateZone", { location: "global" }),
        at("elsewhere", "azure-native:resources:ResourceGroup", { location: "mars" }),
        at("computed", "azure-native:resources:ResourceGroup", { location: "[unknown]" }),
      ],
    };
    expect(regionsTouched(capture)).toEqual([
      { region: "global", country: undefined, eu: undefined, resources: 2, replicaOf: [], global: true },
      { region: "swedencentral", country: "SE", eu: true, resources: 2, replicaOf: [], global: false },
      { region: "francecentral", country: "FR", eu: true, resources: 1, replicaOf: [], global: false },
      { region: "mars", country: undefined, eu: undefined, resources: 1, replicaOf: [], global: false },
      { region: "francesouth", country: "FR", eu: true, resources: 0, replicaOf: ["vault"], global: false },
      { region: "swedensouth", country: "SE", eu: true, resources: 0, replicaOf: ["account"], global: false },
    ]);
  });
});

describe("Mermaid diagram", () => {
  const resource = (urn: string, type: string, name: string, parent: string | undefined, custom: boolean, dependencies: string[] = []): CapturedResource => ({
    urn,
    type,
    name,
    custom,
    parent,
    dependencies,
    inputs: {},
    options: { protect: false, retainOnDelete: false, ignoreChanges: [], replaceOnChanges: [] },
  });
  const hostile = ['say "hi"] --> x', "end", "<script>alert(1)</script>", "a|b\nc", "#quot; 🔑 ünïcode"];
  const capture: Capture = {
    project: "p",
    stack: "s",
    outputs: {},
    diagnostics: [],
    resources: [
      resource("stack", "pulumi:pulumi:Stack", "p-s", undefined, false),
      resource("outer", "dataembassy:index:Outer", hostile[0], "stack", false),
      resource("inner", "dataembassy:index:Inner", hostile[1], "outer", false),
      resource("leaf", "dataembassy:index:Leaf", hostile[2], "stack", false),
      resource("r1", "azure-native:storage:StorageAccount", hostile[3], "inner", true),
      resource("r2", "azure-native:keyvault:Vault", hostile[4], "leaf", true),
      resource("r3", "azure-native:resources:ResourceGroup", "rg", "outer", true),
      resource("r4", "azure-native:keyvault:Key", "k", "leaf", true, ["r2", "r3"]),
      resource("r5", "azure-native:storage:BlobContainer", "c", "inner", true, ["r1", "r4", "outer"]),
    ],
  };

  it("escapes any name into a label Mermaid shows verbatim", () => {
    for (const text of hostile) {
      const escaped = mermaidText(text);
      expect(escaped).toMatch(labelPattern);
      expect(decode(escaped)).toBe(text);
    }
  });

  it("nests components as subgraphs, generates its own ids and draws only dependencies between groups", () => {
    const diagram = parseMermaid(componentDiagram(capture));
    expect([...diagram.subgraphs.values()].map(decode)).toEqual([`${hostile[0]} · Outer`]);
    const labels = new Map([...diagram.nodes].map(([id, l]) => [decode(l).split("\n")[0], id]));
    const outerOwn = [...diagram.nodes].find(([, l]) => decode(l) === "1 × resources:ResourceGroup")?.[0];
    const inner = labels.get(`${hostile[1]} · Inner`);
    const leaf = labels.get(`${hostile[2]} · Leaf`);
    expect([outerOwn, inner, leaf].every((id) => id !== undefined)).toBe(true);
    // r4 (leaf) needs r3 (outer's own) ; r5 (inner) needs r4 (leaf); inner's wait for its enclosing `outer` is no edge.
    expect(diagram.edges.sort()).toEqual(
      [
        [outerOwn, leaf],
        [leaf, inner],
      ].sort(),
    );
    expect(decode(diagram.nodes.get(leaf as string) ?? "")).toContain("· Leaf\n1 × keyvault:Key\n1 × keyvault:Vault");
  });
});

describe("one resource count everywhere", () => {
  it("tree, summary line, Markdown summary, its tables and the regions note all count the same resources", async () => {
    const capture = await plan();
    const { resources, components, registrations } = planCounts(capture);
    expect(resources).toBe(capture.resources.filter((r) => r.custom).length);
    expect(registrations).toBe(resources + components + 1); // + the stack
    const said = `${resources} resources in ${components} components`;
    const tree = formatTree(capture);
    expect(tree.split("\n")[0]).toBe(`Offline plan of data-embassy/dev: ${said}`);
    const typeRows = tree
      .slice(tree.indexOf("Resources by type:"), tree.indexOf("\n\n", tree.indexOf("Resources by type:")))
      .split("\n")
      .slice(1);
    expect(typeRows.reduce((sum, row) => sum + Number(row.trim().split(/\s+/).pop()), 0)).toBe(resources);
    expect(formatSummary(capture)).toContain(`data-embassy/dev: ${said}`);
    const markdown = formatMarkdown(capture);
    expect(markdown).toContain(`**${resources} resources** in ${components} components`);
    expect(markdown).toContain(`<details><summary>Resources by component and type (${said})</summary>`);
    const placed = regionsTouched(capture).reduce((sum, r) => sum + r.resources, 0);
    expect(markdown).toContain(`The other ${resources - placed} of the ${resources} resources take no location of their own`);
    expect(stackSummary(capture)).toMatchObject({ resources, components });
  });

  it("the tree folds a long stack output instead of printing it on one line of thousands of characters", async () => {
    const capture = await plan();
    const evidence = JSON.stringify(capture.outputs.auditEvidence);
    expect(evidence.length).toBeGreaterThan(1000);
    const line = formatTree(capture)
      .split("\n")
      .find((l) => l.startsWith("  auditEvidence: ")) as string;
    expect(line.length).toBeLessThan(260);
    expect(line).toContain(`… (${evidence.length.toLocaleString("en-US")} characters; whole in --json)`);
  });
});
