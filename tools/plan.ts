import * as fs from "fs";
import * as path from "path";
import { Command, InvalidArgumentError } from "commander";
import type { Capture } from "./capture";
import { comparePlans, PlanDiff } from "./compare";
import { runStack } from "./engine";
import { diffSummary } from "./format/diff";
import { parsePlanDocument, PlanDocument, planDocument } from "./format/json";
import { Progress } from "./format/progress";
import { FormatRequest, parseFormatRequest, renderReport, ReportInput } from "./format/report";
import { formatSummary } from "./format/summary";
import { PackConfigFile, PolicyConfigError, readPackConfig } from "./policyConfig";
import { policyFindings } from "./policyFindings";
import { formatPolicyReport } from "./policyFormat";
import type { PolicyReport } from "./policyResults";
import { PolicyRunner } from "./policyRunner";
import { readStackConfig, StackFileError } from "./stackConfig";

/**
 * `npm run plan -- [--stack dev] [--json [file]] [--format <format[=file]>…] [--compare <base.json>]`:
 * runs the stack offline and prints what `pulumi up` would build, as a tree or as Markdown, SARIF
 * or JSON reports. Progress goes to stderr. A configuration error prints the problems and exits 1
 * — no stack trace. The policy pack runs over the capture (tools/policyRunner.ts; `--policy-config`,
 * `--no-policy`); a mandatory violation exits {@link mandatoryViolationExitCode}.
 */

interface PlanCliOptions {
  stack: string;
  json?: string | boolean;
  format: FormatRequest[];
  compare?: string;
  project?: string;
  config: Record<string, unknown>;
  policy: boolean;
  policyConfig?: string;
}

/** Exit code of a plan that breaks a mandatory policy. */
export const mandatoryViolationExitCode = 3;

const repoRoot = path.resolve(__dirname, "..");

function collectFormat(value: string, previous: FormatRequest[]): FormatRequest[] {
  try {
    return [...previous, parseFormatRequest(value)];
  } catch (err) {
    throw new InvalidArgumentError((err as Error).message);
  }
}

/** `key=value`; a value that parses as JSON (a list, a number, true) is taken as such, like a stack file's. */
function collectConfig(value: string, previous: Record<string, unknown>): Record<string, unknown> {
  const at = value.indexOf("=");
  if (at <= 0) throw new InvalidArgumentError(`expected key=value, got "${value}"`);
  const text = value.slice(at + 1);
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // a plain string
  }
  return { ...previous, [value.slice(0, at)]: parsed };
}

async function main(argv: string[]): Promise<number> {
  const program = new Command()
    .name("plan")
    .description("Offline plan of a data-embassy stack: runs the real program under Pulumi mocks.")
    .option("-s, --stack <name>", "stack whose Pulumi.<name>.yaml to use", "dev")
    .option("--json [file]", "write the capture as JSON (to the file, or to stdout)")
    .option("-f, --format <format[=file]>", "report: tree, markdown, sarif or json, to stdout or =<file> (repeatable)", collectFormat, [])
    .option("--compare <base.json>", "compare with a plan written by --format json (or --json), e.g. the base branch's")
    .option("-C, --project <dir>", "Pulumi project directory (holds Pulumi.yaml), e.g. bootstrap")
    .option("-c, --config <key=value>", "override a config value (repeatable), e.g. hostRegion=swedencentral", collectConfig, {})
    .option("--policy-config <file>", "policy pack config (the CLI's --policy-pack-config format), e.g. to make a control advisory")
    .option("--no-policy", "do not run the policy pack")
    .showHelpAfterError();
  program.parse(argv);
  const options = program.opts<PlanCliOptions>();

  if (options.format.filter((f) => f.file === undefined).length + (options.json === true ? 1 : 0) > 1) {
    process.stderr.write("only one report can go to stdout: give the others a file, e.g. --format sarif=out/dev.sarif\n");
    return 1;
  }
  const progress = new Progress(process.stderr);
  const projectDir = path.resolve(options.project ?? repoRoot);
  const stack = options.stack;
  let stackConfig: Record<string, string>;
  let packConfig: PackConfigFile = {};
  try {
    if (options.policyConfig !== undefined) packConfig = readPackConfig(options.policyConfig);
    stackConfig = await progress.step(
      `loading config of ${stack}`,
      () => readStackConfig(projectDir, stack, options.config),
      (c) => `${Object.keys(c.values).length} keys from Pulumi.yaml and Pulumi.${stack}.yaml`,
    ).then((c) => c.values);
  } catch (err) {
    if (!(err instanceof StackFileError) && !(err instanceof PolicyConfigError)) throw err;
    process.stderr.write(`${err.message}\n`);
    return 1;
  }
  // The pack starts while the program runs, so its start-up costs (almost) no wall time.
  const starting = options.policy ? PolicyRunner.start() : undefined;
  starting?.catch(() => undefined);
  const capture: Capture = await progress.step(
    "running the program under mocks",
    () => runStack({ projectDir, stack, config: options.config }),
    (c) => `${c.resources.length} registrations`,
  );
  let policy: PolicyReport | undefined;
  if (starting !== undefined) {
    const runner = await starting;
    try {
      if (capture.error === undefined) {
        policy = await progress.step(
          "running the policy pack",
          () => runner.analyze(capture, { stackConfig, packConfig }),
          (p) => `${p.summary.failed} of ${p.controls.length} controls fail`,
        );
      }
    } catch (err) {
      if (!(err instanceof PolicyConfigError)) throw err;
      process.stderr.write(`${err.message}\n`);
      return 1;
    } finally {
      await runner.close();
    }
  }
  const findings = policy === undefined ? undefined : policyFindings(policy);
  let diff: PlanDiff | undefined;
  if (options.compare !== undefined && capture.error === undefined) {
    const baseFile = options.compare;
    diff = await progress.step(
      `comparing with ${baseFile}`,
      () => comparePlans(withFindings(parsePlanDocument(fs.readFileSync(baseFile, "utf8"), baseFile)), planDocument(capture, findings)),
      diffSummary,
    );
  }
  const report: ReportInput = { capture, diff, findings };
  const files = options.format.filter((f) => f.file !== undefined);
  if (files.length > 0) {
    // Written even when the program failed: the Markdown report then shows the failure in the PR.
    await progress.step(
      "writing reports",
      () => files.map((f) => writeReport(f.file as string, renderReport(f.format, report, sarifOptions(projectDir)))),
      (paths) => paths.join(", "),
    );
  }
  if (capture.error !== undefined) {
    process.stderr.write(`${capture.error.message}\n`);
    return 1;
  }
  const code = (policy?.summary.mandatory ?? 0) > 0 ? mandatoryViolationExitCode : 0;
  const json = `${JSON.stringify(policy === undefined ? capture : { ...capture, policy }, null, 2)}\n`;
  if (options.json === true) {
    process.stdout.write(json);
    return code;
  }
  if (typeof options.json === "string") {
    fs.writeFileSync(options.json, json);
    process.stderr.write(`capture written to ${options.json}\n`);
  }
  const stdoutFormat = options.format.find((f) => f.file === undefined)?.format ?? (files.length > 0 ? undefined : "tree");
  if (stdoutFormat !== undefined) process.stdout.write(renderReport(stdoutFormat, report, sarifOptions(projectDir)));
  if (stdoutFormat === "tree" && policy !== undefined) process.stdout.write(`\n${formatPolicyReport(policy)}`);
  progress.line(formatSummary(capture, report, progress.colours).trimEnd());
  return code;
}

/** A base plan written by `--json` carries the whole policy report: take its findings from there. */
function withFindings(doc: PlanDocument & { policy?: PolicyReport }): PlanDocument {
  return doc.findings !== undefined || doc.policy === undefined ? doc : { ...doc, findings: policyFindings(doc.policy) };
}

/** Writes a report, creating its directory; returns the path. */
function writeReport(file: string, text: string): string {
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  fs.writeFileSync(file, text);
  return file;
}

/** SARIF paths are repository-relative; sources are read for the line of each resource's constructor. */
function sarifOptions(projectDir: string) {
  const readSource = (file: string) => {
    try {
      return fs.readFileSync(path.join(projectDir, file), "utf8");
    } catch {
      return undefined;
    }
  };
  const { version } = JSON.parse(fs.readFileSync(path.join(repoRoot, "package.json"), "utf8")) as { version: string };
  return { projectPath: path.relative(repoRoot, projectDir), readSource, toolVersion: version };
}

main(process.argv).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    // Not a user mistake (those come back in capture.error): a bug, so the trace helps.
    console.error(err);
    process.exitCode = 2;
  },
);
