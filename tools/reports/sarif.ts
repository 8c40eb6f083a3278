import * as path from "path";
import type { Capture } from "../engine/capture";
import { PolicyFinding, sortFindings } from "./findings";
import { constructorLine } from "./sourceLocation";

/**
 * `plan --format sarif`: policy findings as a SARIF 2.1.0 log for GitHub code scanning. Each result
 * points at the component source that registered the violating resource (the line of its `new …(`),
 * or at the stack file for findings about the stack as a whole. One run per stack, with its own
 * automation id, so several stacks' logs can be uploaded for the same commit.
 */

/** The subset of SARIF 2.1.0 this tool writes. */
export interface SarifLog {
  $schema: string;
  version: "2.1.0";
  runs: SarifRun[];
}

interface SarifMessage {
  text: string;
  markdown?: string;
}

interface SarifRule {
  id: string;
  name: string;
  shortDescription: SarifMessage;
  fullDescription: SarifMessage;
  help: SarifMessage;
  helpUri?: string;
  defaultConfiguration: { level: SarifLevel };
  properties: { tags: string[]; precision: string; "security-severity": string };
}

type SarifLevel = "error" | "warning" | "note";

interface SarifResult {
  ruleId: string;
  ruleIndex: number;
  level: SarifLevel;
  message: SarifMessage;
  locations: {
    physicalLocation: { artifactLocation: { uri: string; uriBaseId: string }; region: { startLine: number; startColumn: number } };
    logicalLocations?: { name: string; fullyQualifiedName: string; kind: string }[];
  }[];
  properties: { enforcementLevel: string; cis: string[]; azurePolicy: string[] };
}

interface SarifRun {
  tool: { driver: { name: string; semanticVersion?: string; rules: SarifRule[] } };
  automationDetails: { id: string };
  invocations: { executionSuccessful: boolean; toolExecutionNotifications: { level: SarifLevel; message: SarifMessage }[] }[];
  results: SarifResult[];
  properties: { project: string; stack: string };
}

/** Where the log's paths start and how to read sources for line numbers. */
export interface SarifOptions {
  /** The project's directory relative to the repository root (`""` for the root project, `bootstrap` for the state backend). */
  readonly projectPath?: string;
  /** Reads a project-relative source file; without it every result points at line 1. */
  readonly readSource?: (projectRelativePath: string) => string | undefined;
  /** Version of the tool (package.json), shown by code scanning. */
  readonly toolVersion?: string;
  /**
   * Absolute URL of docs/policies.md as readers reach it (in CI: the repository's file at the
   * commit); each control's section there is the rule's help URI when the control names no source.
   */
  readonly policyDocsUri?: string;
}

/** URI of the SARIF 2.1.0 schema, as GitHub's documentation gives it. */
export const sarifSchemaUri = "https://json.schemastore.org/sarif-2.1.0.json";

const levelOf: Record<PolicyFinding["enforcementLevel"], SarifLevel> = { mandatory: "error", advisory: "warning", remediate: "warning", disabled: "note" };
// Code scanning ranks security results by this score: mandatory controls are "high", advisory "medium".
const severityOf: Record<SarifLevel, string> = { error: "8.0", warning: "5.0", note: "2.0" };

/** The generic advice, for a finding whose control the catalog does not know. */
const genericFix = "Fix the resource's arguments in the component source, or the stack's configuration, and run `npm run plan`.";

function rule(findings: readonly PolicyFinding[], policyDocsUri: string | undefined): SarifRule {
  const f = findings[0];
  const title = f.title ?? f.policyName;
  // A control is as severe as its strictest enforcement among the findings.
  const level = findings.some((x) => x.enforcementLevel === "mandatory") ? "error" : levelOf[f.enforcementLevel];
  const references = [
    f.cis?.length ? `CIS Microsoft Azure Foundations Benchmark: ${f.cis.join(", ")}` : undefined,
    f.azurePolicy?.length ? `Azure Policy: ${f.azurePolicy.join(", ")}` : undefined,
  ].filter((r): r is string => r !== undefined);
  const text = [`${f.controlId}: ${title} (policy ${f.policyName}).`, ...references.map((r) => `${r}.`)].join(" ");
  // The control's section of docs/policies.md (its heading is the id), or the page its constraint comes from.
  const docs = `docs/policies.md#${f.controlId}`;
  const helpUri = f.source ?? (policyDocsUri === undefined ? undefined : `${policyDocsUri}#${f.controlId}`);
  const fix = f.remediation ?? genericFix;
  return {
    id: f.controlId,
    name: f.policyName,
    shortDescription: { text: title },
    fullDescription: { text },
    help: {
      text: `${text} Remediation: ${fix} Reference: ${f.source ?? docs}.`,
      markdown: [
        `**${f.controlId}** ${title}`,
        "",
        `**Remediation:** ${fix}`,
        "",
        ...references.map((r) => `- ${r}`),
        `- Control reference: [${docs}](${policyDocsUri === undefined ? docs : `${policyDocsUri}#${f.controlId}`})`,
        ...(f.source === undefined ? [] : [`- Source of the Azure constraint: ${f.source}`]),
      ].join("\n"),
    },
    ...(helpUri === undefined ? {} : { helpUri }),
    defaultConfiguration: { level },
    properties: {
      tags: ["security", "infrastructure-as-code", ...(f.cis ?? []).map((id) => `CIS-${id}`)],
      precision: "very-high",
      "security-severity": severityOf[level],
    },
  };
}

/** The findings of one stack run as a SARIF log; `undefined` findings (policy pack not run) are noted in the log. */
export function formatSarif(capture: Capture, findings: readonly PolicyFinding[] | undefined, options: SarifOptions = {}): SarifLog {
  const projectPath = options.projectPath ?? "";
  const repoPath = (file: string) => path.posix.join(projectPath.split(path.sep).join("/"), file.split(path.sep).join("/"));
  const stackFile = `Pulumi.${capture.stack}.yaml`;
  const reported = sortFindings((findings ?? []).filter((f) => f.enforcementLevel !== "disabled"));

  const byControl = new Map<string, PolicyFinding[]>();
  for (const f of reported) byControl.set(f.controlId, [...(byControl.get(f.controlId) ?? []), f]);
  const controlIds = [...byControl.keys()].sort();
  const rules = controlIds.map((id) => rule(byControl.get(id) as PolicyFinding[], options.policyDocsUri));

  const sources = new Map<string, string | undefined>();
  const read = (file: string) => {
    if (!sources.has(file)) sources.set(file, options.readSource?.(file));
    return sources.get(file);
  };

  const results = reported.map((f): SarifResult => {
    const resource = f.urn === undefined ? undefined : capture.resources.find((r) => r.urn === f.urn);
    const file = resource?.source ?? stackFile;
    const text = resource?.source === undefined ? undefined : read(resource.source);
    const line = resource === undefined || text === undefined ? 1 : constructorLine(text, resource);
    const what = resource === undefined ? (f.urn === undefined ? "the stack" : f.urn) : `${resource.name} (${resource.type})`;
    return {
      ruleId: f.controlId,
      ruleIndex: controlIds.indexOf(f.controlId),
      level: levelOf[f.enforcementLevel],
      message: { text: `${f.message} — ${what}, stack ${capture.stack}.` },
      locations: [
        {
          physicalLocation: { artifactLocation: { uri: repoPath(file), uriBaseId: "%SRCROOT%" }, region: { startLine: line, startColumn: 1 } },
          ...(f.urn === undefined ? {} : { logicalLocations: [{ name: resource?.name ?? f.urn, fullyQualifiedName: f.urn, kind: "resource" }] }),
        },
      ],
      properties: { enforcementLevel: f.enforcementLevel, cis: [...(f.cis ?? [])], azurePolicy: [...(f.azurePolicy ?? [])] },
    };
  });

  const notifications = capture.diagnostics
    .filter((d) => d.severity !== "info")
    .map((d) => ({ level: d.severity === "error" ? ("error" as const) : ("warning" as const), message: { text: d.message } }));
  if (capture.error !== undefined) notifications.push({ level: "error", message: { text: capture.error.message } });
  if (findings === undefined) notifications.push({ level: "warning", message: { text: "The policy pack did not run: no findings to report." } });

  return {
    $schema: sarifSchemaUri,
    version: "2.1.0",
    runs: [
      {
        tool: { driver: { name: "data-embassy offline plan", ...(options.toolVersion ? { semanticVersion: options.toolVersion } : {}), rules } },
        automationDetails: { id: `offline-plan/${capture.project}/${capture.stack}/` },
        invocations: [{ executionSuccessful: capture.error === undefined, toolExecutionNotifications: notifications }],
        results,
        properties: { project: capture.project, stack: capture.stack },
      },
    ],
  };
}
