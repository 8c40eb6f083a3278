import type { Capture } from "../engine/capture";
import type { PlanDiff } from "../analysis/compare";
import { formatDiffText } from "./diff";
import type { PolicyFinding } from "./findings";
import { formatJson } from "./json";
import { formatMarkdown } from "./markdown";
import type { RegionLossSection } from "./regionLoss";
import { formatSarif, SarifOptions } from "./sarif";
import { SecuritySettings, securityValues } from "./security";
import { formatTree } from "./tree";

/** The report formats `plan --format` writes, one module each. */
export const reportFormats = ["tree", "markdown", "sarif", "json"] as const;

/** One of {@link reportFormats}. */
export type ReportFormat = (typeof reportFormats)[number];

/** Everything a report is made from: one run's capture, its policy findings, its comparison with a base. */
export interface ReportInput {
  readonly capture: Capture;
  /** Undefined when the policy pack did not run. */
  readonly findings?: readonly PolicyFinding[];
  readonly diff?: PlanDiff;
  /** The run's security-relevant settings and the base plan's values of them (its `securitySettings`). */
  readonly security?: { readonly settings: SecuritySettings; readonly base?: Readonly<Record<string, unknown>> };
  /** The loss of each region the plan touches (tools/analysis/regionLoss.ts); the Markdown report shows it. */
  readonly regionLoss?: RegionLossSection;
}

/** Renders `input` in `format`; `sarif` options place paths in the repository and read sources for line numbers. */
export function renderReport(format: ReportFormat, input: ReportInput, sarif: SarifOptions = {}): string {
  const { capture, findings, diff, security, regionLoss } = input;
  switch (format) {
    case "tree":
      return formatTree(capture) + (diff === undefined ? "" : `\n${formatDiffText(diff)}`);
    case "markdown":
      return formatMarkdown(capture, { findings, diff, security, regionLoss });
    case "sarif":
      return `${JSON.stringify(formatSarif(capture, findings, sarif), null, 2)}\n`;
    case "json":
      return formatJson(capture, findings, security === undefined ? undefined : securityValues(security.settings));
  }
}

/** A `--format` argument: a format, and the file to write it to (stdout when absent). */
export interface FormatRequest {
  readonly format: ReportFormat;
  readonly file?: string;
}

/**
 * Parses `markdown` or `markdown=out/dev.md`; throws with the valid formats for anything else, and
 * for `markdown=` with no file name (which would otherwise mean stdout, silently).
 */
export function parseFormatRequest(text: string): FormatRequest {
  const at = text.indexOf("=");
  const name = at < 0 ? text : text.slice(0, at);
  if (!(reportFormats as readonly string[]).includes(name)) {
    throw new Error(`unknown format "${name}"; use one of ${reportFormats.join(", ")}, optionally with =<file>`);
  }
  if (at < 0) return { format: name as ReportFormat };
  const file = text.slice(at + 1);
  if (file.trim() === "") {
    throw new Error(`"${text}" names no file: give one after "=" (e.g. ${name}=out/dev.${name === "markdown" ? "md" : name}), or drop "=" for stdout`);
  }
  return { format: name as ReportFormat, file };
}
