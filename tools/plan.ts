import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { Command, CommanderError, InvalidArgumentError } from "commander";
import type { Capture } from "./engine/capture";
import { comparePlans, PlanDiff } from "./analysis/compare";
import { runStack } from "./engine/engine";
import { countsText, planCounts } from "./reports/counts";
import { diffSummary } from "./reports/diff";
import { parsePlanDocument, PlanDocument, PlanDocumentError, planDocument } from "./reports/json";
import { Progress } from "./reports/progress";
import { FormatRequest, parseFormatRequest, renderReport, ReportInput } from "./reports/report";
import { securityValues } from "./reports/security";
import { formatSummary } from "./reports/summary";
import { mergePackConfigs, PackConfigFile, PolicyConfigError, pinnedRelaxations, readPackConfig } from "./gate/policyConfig";
import { policyFindings } from "./gate/policyFindings";
import { formatPolicyReport } from "./gate/policyFormat";
import type { PolicyReport } from "./gate/policyResults";
import { PolicyRunner } from "./gate/policyRunner";
import { problemsBesideTypes, ProjectSettings, ProjectSettingsError, readProjectSettings } from "./engine/projectSettings";
import { securitySettings } from "./analysis/securitySettings";
import { collectLose, regionLossExitCode, regionLossRun } from "./analysis/regionLossCli";
import { configProblemsMessage, readProjectFile, readStackConfig, StackFileError } from "./engine/stackConfig";
import { packConfigFor, packConfigText, policyConfigProjects, StackPackConfig } from "./gate/stackPackConfig";

/**
 * `npm run plan -- [--stack dev] [--json [file]] [--format <format[=file]>…] [--compare <base.json>]`:
 * runs the stack offline and prints what `pulumi up` would build, as a tree or as Markdown, SARIF
 * or JSON reports. Progress goes to stderr. The policy pack runs over the capture
 * (tools/gate/policyRunner.ts) with the stack's pack config — the file `npm run gen:policy-config`
 * writes, made from the validated settings (tools/gate/stackPackConfig.ts) — and `--policy-config` over
 * it; a prod or dr stack refuses a `--policy-config` that would relax it. `--no-policy` skips it.
 *
 * Exit codes, never with a stack trace for a user's mistake:
 * - {@link usageErrorExitCode}: the command line or its inputs are wrong (an unknown flag or format,
 *   conflicting flags, an unreadable `--compare` file, an output that cannot be written). Checked
 *   before the program runs, in one line, and nothing is written;
 * - {@link configErrorExitCode}: the stack configuration (or the policy config) is invalid;
 * - {@link mandatoryViolationExitCode}: a mandatory policy is violated;
 * - {@link regionLossExitCode}: a register would not survive the loss of a region `--lose` names
 *   (tools/analysis/regionLoss.ts; the Markdown report shows every region the plan touches either way);
 * - {@link internalErrorExitCode}: a bug, with its stack trace.
 * Reports are rendered first and then written all or none (temp file + rename in the target's
 * directory). SIGINT, SIGTERM and SIGHUP stop the policy pack's process before the plan exits.
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
  lose: string[];
  /** `--stack-reference <name>=<plan.json>`: the plan files of referenced stacks, by reference name. */
  stackReference: Record<string, string>;
}

/** Exit code of a plan that breaks a mandatory policy. */
export const mandatoryViolationExitCode = 3;
/** Exit code of a mistake in the arguments or their files, found before anything runs. */
export const usageErrorExitCode = 2;
/** Exit code of an invalid stack or policy configuration. */
export const configErrorExitCode = 1;
/** Exit code of a bug (EX_SOFTWARE): the stack trace is printed. */
export const internalErrorExitCode = 70;

const repoRoot = path.resolve(__dirname, "..");

/** A mistake in the command line or in the files it names: one line, exit {@link usageErrorExitCode}. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

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

function collectReference(value: string, previous: Record<string, string>): Record<string, string> {
  const at = value.lastIndexOf("=");
  if (at <= 0 || at === value.length - 1) throw new InvalidArgumentError(`expected <stack>=<plan.json>, got "${value}"`);
  return { ...previous, [value.slice(0, at)]: value.slice(at + 1) };
}

/** Text on one line: newlines (commander's suggestions, JSON parser messages) become spaces. */
function oneLine(text: string): string {
  return text.trim().replace(/\s*\n\s*/g, " ");
}

/** "permission denied" from a Node file-system error ("EACCES: permission denied, open 'x'"). */
function reason(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  return e.code !== undefined ? e.message.split(", ")[0].replace(/^[A-Z]+: /, "") : oneLine(String(e.message ?? e));
}

/** The options, or the exit code when commander answered (`--help`) or refused the command line. */
export function parseArguments(argv: string[]): PlanCliOptions | number {
  const program = new Command()
    .name("plan")
    .description("Offline plan of a data-embassy stack: runs the real program under Pulumi mocks.")
    .option("-s, --stack <name>", "stack whose Pulumi.<name>.yaml to use", "dev")
    .option("--json [file]", "write the capture as JSON (to the file, or to stdout)")
    .option("-f, --format <format[=file]>", "report: tree, markdown, sarif or json, to stdout or =<file> (repeatable)", collectFormat, [])
    .option("--compare <base.json>", "compare with a plan written by --format json (or --json), e.g. the base branch's")
    .option("-C, --project <dir>", "Pulumi project directory (holds Pulumi.yaml), e.g. bootstrap")
    .option("-c, --config <key=value>", "override a config value (repeatable), e.g. hostRegion=swedencentral", collectConfig, {})
    .option(
      "--policy-config <file>",
      "policy pack config merged over the stack's policy/config/<project>.<stack>.json (the CLI's --policy-pack-config format), e.g. to make a control advisory; refused where it relaxes a prod or dr stack",
    )
    .option("--no-policy", "do not run the policy pack")
    .option(
      "--lose <regions>",
      `take away every resource the plan places in a region and prove each register survives (repeatable or comma list; all = every region the plan touches); exit ${regionLossExitCode} if one would not`,
      collectLose,
      [],
    )
    .option(
      "--stack-reference <stack=plan.json>",
      "resolve pulumi.StackReference(<stack>) from that stack's plan (written by --json or --format json): plan the core stack first (repeatable)",
      collectReference,
      {},
    )
    .addHelpText(
      "after",
      `\nExit codes: 0 planned; ${configErrorExitCode} invalid configuration; ${usageErrorExitCode} wrong arguments or unusable files (nothing runs);\n` +
        `${mandatoryViolationExitCode} a mandatory policy is violated; ${regionLossExitCode} a register would not survive the loss of a region --lose names; ${internalErrorExitCode} a bug (with its stack trace).`,
    )
    .exitOverride()
    .configureOutput({
      writeOut: (text) => process.stdout.write(text),
      writeErr: (text) => process.stderr.write(text),
      outputError: (text, write) => write(`plan: ${oneLine(text)} (see plan --help)\n`),
    });
  try {
    program.parse(argv);
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : usageErrorExitCode;
    throw err;
  }
  return program.opts<PlanCliOptions>();
}

/** A report file to write: the path as given and the regular file it will replace or create. */
export interface OutputTarget {
  /** As given on the command line (for messages). */
  readonly file: string;
  /** Absolute path written (symlinks resolved, so a link keeps pointing at the new report). */
  readonly target: string;
  /** Directories to create, outermost first. */
  readonly missingDirs: readonly string[];
}

function statOrUndefined(file: string, what: string): fs.Stats | undefined {
  try {
    return fs.statSync(file);
  } catch (err) {
    // Missing, or under a file (ENOTDIR): the caller walks up to the part that exists.
    if (["ENOENT", "ENOTDIR"].includes((err as NodeJS.ErrnoException).code ?? "")) return undefined;
    throw new UsageError(`cannot write ${what}: ${reason(err)}`);
  }
}

/**
 * Checks an output path without touching the disk: it must be (or become) a regular file in a
 * directory that exists or can be created under an existing directory. Devices, FIFOs, /proc
 * entries and directories are refused, as the write replaces the target by rename.
 */
export function checkOutput(file: string, option: string): OutputTarget {
  if (file.trim() === "") throw new UsageError(`${option} needs a file name`);
  if (/[\\/]$/.test(file)) throw new UsageError(`${option} ${file} names a directory; give a file name, e.g. ${path.join(file, "dev.json")}`);
  const absolute = path.resolve(file);
  const stats = statOrUndefined(absolute, file);
  let target = absolute;
  if (stats !== undefined) {
    if (stats.isDirectory()) throw new UsageError(`cannot write ${file}: it is a directory; give a file name, e.g. ${path.join(file, "dev.json")}`);
    if (!stats.isFile()) throw new UsageError(`cannot write ${file}: it is not a regular file (a device, a pipe or a /proc entry); give a file path`);
    target = fs.realpathSync(absolute);
  }
  const missingDirs: string[] = [];
  let dir = path.dirname(target);
  for (;;) {
    const dirStats = statOrUndefined(dir, file);
    if (dirStats !== undefined) {
      if (!dirStats.isDirectory()) throw new UsageError(`cannot write ${file}: ${dir} is not a directory`);
      break;
    }
    missingDirs.unshift(dir);
    dir = path.dirname(dir);
  }
  return { file, target, missingDirs };
}

/** Unique temp file next to `target`, so the final rename stays on one file system (atomic). */
function tempPath(target: string): string {
  return path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.${Math.random().toString(36).slice(2, 10)}.tmp`);
}

/**
 * Creates the missing directories (one level at a time: Node's recursive mkdir loops forever when
 * a level answers ENOENT, as /proc does) and proves each directory writable by creating and
 * removing a temp file. Directories created are appended to `created`, for {@link removeCreatedDirs}.
 */
export function prepareOutputs(outputs: readonly OutputTarget[], created: string[]): void {
  for (const output of outputs) {
    for (const dir of output.missingDirs) {
      if (fs.existsSync(dir)) continue; // made for an earlier output
      try {
        fs.mkdirSync(dir);
      } catch (err) {
        throw new UsageError(`cannot write ${output.file}: cannot create directory ${dir} (${reason(err)})`);
      }
      created.push(dir);
    }
    const probe = tempPath(output.target);
    try {
      fs.closeSync(fs.openSync(probe, "wx"));
      fs.unlinkSync(probe);
    } catch (err) {
      fs.rmSync(probe, { force: true });
      throw new UsageError(`cannot write ${output.file}: ${path.dirname(output.target)} is not writable (${reason(err)})`);
    }
  }
}

/** Removes the directories {@link prepareOutputs} created that are still empty, innermost first. */
export function removeCreatedDirs(created: string[]): void {
  for (const dir of created.splice(0).reverse()) {
    try {
      fs.rmdirSync(dir);
    } catch {
      // not empty (a report went there) or already gone
    }
  }
}

/** A report that could not be written after all (the disk filled up, a directory vanished). */
export class ReportWriteError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ReportWriteError";
  }
}

/**
 * Writes every report or none: each to a temp file in its target's directory, then, once all are
 * written, renames each over its target. A failed write removes the temp files already written.
 */
export function writeReports(reports: readonly { output: OutputTarget; text: string }[]): string[] {
  const temps: { temp: string; report: (typeof reports)[number] }[] = [];
  const discard = () => temps.forEach(({ temp }) => fs.rmSync(temp, { force: true }));
  for (const report of reports) {
    const temp = tempPath(report.output.target);
    try {
      temps.push({ temp, report });
      fs.writeFileSync(temp, report.text, { flag: "wx" });
    } catch (err) {
      discard();
      throw new ReportWriteError(`cannot write ${report.output.file}: ${reason(err)}; no report was written`);
    }
  }
  for (const [i, { temp, report }] of temps.entries()) {
    try {
      fs.renameSync(temp, report.output.target);
    } catch (err) {
      temps.slice(i).forEach((t) => fs.rmSync(t.temp, { force: true }));
      throw new ReportWriteError(`cannot write ${report.output.file}: ${reason(err)}`);
    }
  }
  return reports.map((r) => r.output.file);
}

/** Reads the `--compare` base; every problem is a usage error. */
function readBase(file: string): PlanDocument {
  let text: string;
  try {
    if (fs.statSync(file).isDirectory()) throw new UsageError(`--compare ${file} is a directory; give a plan written by --format json or --json`);
    text = fs.readFileSync(file, "utf8");
  } catch (err) {
    if (err instanceof UsageError) throw err;
    throw new UsageError(`cannot read --compare ${file}: ${reason(err)}`);
  }
  try {
    return withFindings(parsePlanDocument(text, `--compare ${file}`));
  } catch (err) {
    if (err instanceof PlanDocumentError) throw new UsageError(oneLine(err.message));
    throw err;
  }
}

/** The outputs of a referenced stack's plan file; every problem is a usage error. */
function readReference(name: string, file: string): Record<string, unknown> {
  const option = `--stack-reference ${name}=${file}`;
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (err) {
    throw new UsageError(`cannot read ${option}: ${reason(err)}`);
  }
  try {
    const plan = parsePlanDocument(text, option) as { outputs?: unknown; error?: unknown };
    if (plan.error !== undefined) throw new UsageError(`${option}: that plan failed, so it has no outputs to read; fix and plan it first`);
    if (typeof plan.outputs !== "object" || plan.outputs === null) throw new UsageError(`${option}: the plan has no outputs`);
    return plan.outputs as Record<string, unknown>;
  } catch (err) {
    if (err instanceof PlanDocumentError) throw new UsageError(oneLine(err.message));
    throw err;
  }
}

/** What the command line asks for, checked: outputs, the base plan, the policy config. */
interface CheckedRun {
  /** Outputs of the referenced stacks' plans, by reference name. */
  stackReferences: Record<string, Record<string, unknown>>;
  outputs: Map<string, OutputTarget>;
  jsonOutput?: OutputTarget;
  base?: PlanDocument;
  policyConfigFile?: string;
}

/** Every check that needs no program run; throws {@link UsageError}. */
export function checkArguments(options: PlanCliOptions): CheckedRun {
  if (options.format.filter((f) => f.file === undefined).length + (options.json === true ? 1 : 0) > 1) {
    throw new UsageError("only one report can go to stdout: give the others a file, e.g. --format sarif=out/dev.sarif");
  }
  if (!options.policy && options.policyConfig !== undefined) {
    throw new UsageError("--policy-config and --no-policy conflict: the pack config is only read when the pack runs; drop one of them");
  }
  const outputs = new Map<string, OutputTarget>();
  const seen = new Map<string, string>();
  const claim = (output: OutputTarget, option: string) => {
    const other = seen.get(output.target);
    if (other !== undefined) throw new UsageError(`${option} and ${other} both write ${output.file}; give each report its own file`);
    seen.set(output.target, option);
  };
  for (const f of options.format) {
    if (f.file === undefined) continue;
    const option = `--format ${f.format}=${f.file}`;
    const output = checkOutput(f.file, option);
    claim(output, option);
    outputs.set(f.file, output);
  }
  let jsonOutput: OutputTarget | undefined;
  if (typeof options.json === "string") {
    jsonOutput = checkOutput(options.json, "--json");
    claim(jsonOutput, `--json ${options.json}`);
  }
  const base = options.compare === undefined ? undefined : readBase(options.compare);
  let policyConfigFile: string | undefined;
  if (options.policyConfig !== undefined) {
    policyConfigFile = options.policyConfig;
    try {
      fs.accessSync(policyConfigFile, fs.constants.R_OK);
      if (!fs.statSync(policyConfigFile).isFile()) throw new UsageError(`--policy-config ${policyConfigFile} is not a file`);
    } catch (err) {
      if (err instanceof UsageError) throw err;
      throw new UsageError(`cannot read --policy-config ${policyConfigFile}: ${reason(err)}`);
    }
  }
  const stackReferences = Object.fromEntries(Object.entries(options.stackReference ?? {}).map(([name, file]) => [name, readReference(name, file)]));
  return { stackReferences, outputs, jsonOutput, base, policyConfigFile };
}

/** The process ids of `pid`'s descendants, children first; undefined without Linux's /proc. */
function descendants(pid: number): number[] | undefined {
  let entries: string[];
  try {
    entries = fs.readdirSync("/proc").filter((e) => /^\d+$/.test(e));
  } catch {
    return undefined;
  }
  const children = new Map<number, number[]>();
  for (const entry of entries) {
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch {
      // gone meanwhile
    }
  }
  const found: number[] = [];
  for (let queue = [pid]; queue.length > 0;) {
    const next = children.get(queue.shift() as number) ?? [];
    found.push(...next);
    queue.push(...next);
  }
  return found;
}

/** Set by a signal: the run's remaining steps write nothing and report nothing. */
let interrupted = false;

/**
 * On SIGINT, SIGTERM or SIGHUP: `stop` ends the children (the policy pack), then the plan exits
 * with 128 + the signal's number, as a shell reports a process killed by it. A second signal exits
 * at once.
 */
function exitOnSignals(stop: () => Promise<void> | void): void {
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    process.on(signal, () => {
      const code = 128 + (os.constants.signals[signal] ?? 0);
      if (interrupted) process.exit(code);
      interrupted = true;
      process.stderr.write(`\nplan: stopped (${signal})\n`);
      const stopped = stop();
      if (stopped === undefined) process.exit(code);
      const deadline = new Promise((resolve) => setTimeout(resolve, 5000).unref());
      void Promise.race([stopped.catch(() => undefined), deadline]).finally(() => process.exit(code));
    });
  }
}

async function main(argv: string[]): Promise<number> {
  const parsed = parseArguments(argv);
  if (typeof parsed === "number") return parsed;
  const options = parsed;
  let checked: CheckedRun;
  let packConfig: PackConfigFile = {};
  const createdDirs: string[] = [];
  try {
    checked = checkArguments(options);
    if (checked.policyConfigFile !== undefined) packConfig = readPackConfig(checked.policyConfigFile);
    prepareOutputs([...checked.outputs.values(), ...(checked.jsonOutput ? [checked.jsonOutput] : [])], createdDirs);
  } catch (err) {
    removeCreatedDirs(createdDirs);
    if (err instanceof UsageError) {
      process.stderr.write(`plan: error: ${err.message}\n`);
      return usageErrorExitCode;
    }
    if (err instanceof PolicyConfigError) {
      process.stderr.write(`plan: error: ${oneLine(err.message)}\n`);
      return configErrorExitCode;
    }
    throw err;
  }

  const pack = new PackProcess();
  exitOnSignals(() => {
    removeCreatedDirs(createdDirs);
    // Every descendant at once where /proc lists them (the pack, even before it has printed its port)...
    const pids = descendants(process.pid);
    if (pids !== undefined) {
      for (const pid of pids) {
        try {
          process.kill(pid, "SIGTERM");
        } catch {
          // already gone
        }
      }
      return;
    }
    // ... elsewhere through the runner, once it has started.
    return pack.close();
  });
  try {
    return await planStack(options, checked, packConfig, pack);
  } finally {
    await pack.close();
    removeCreatedDirs(createdDirs);
  }
}

/** The policy pack's process, closed once whichever way the plan ends (done, failed, interrupted). */
class PackProcess {
  starting?: Promise<PolicyRunner>;
  private closing?: Promise<void>;

  start(...options: Parameters<typeof PolicyRunner.start>): Promise<PolicyRunner> {
    this.starting = PolicyRunner.start(...options);
    this.starting.catch(() => undefined);
    return this.starting;
  }

  close(): Promise<void> {
    this.closing ??=
      this.starting?.then(
        (runner) => runner.close(),
        () => undefined,
      ) ?? Promise.resolve();
    return this.closing;
  }
}

async function planStack(options: PlanCliOptions, checked: CheckedRun, packConfig: PackConfigFile, pack: PackProcess): Promise<number> {
  const progress = new Progress(process.stderr);
  const projectDir = path.resolve(options.project ?? repoRoot);
  const stack = options.stack;
  let stackConfig: Record<string, string>;
  try {
    const loaded = await progress.step(
      `loading config of ${stack}`,
      () => readStackConfig(projectDir, stack, options.config),
      (c) => `${Object.keys(c.values).length} keys from Pulumi.yaml and Pulumi.${stack}.yaml`,
    );
    for (const d of loaded.diagnostics.filter((x) => x.severity === "warning")) progress.line(`${progress.colours.yellow("warning")}: ${d.message}`);
    stackConfig = loaded.values;
  } catch (err) {
    if (!(err instanceof StackFileError)) throw err;
    // Wrongly typed values stop the Pulumi CLI before the program runs; the other keys' problems are listed with them.
    const problems = err.mistyped === undefined ? [] : [...err.mistyped.problems, ...problemsBesideTypes(readProjectFile(projectDir).name, err.mistyped)];
    process.stderr.write(`${problems.length > 0 ? configProblemsMessage(stack, problems) : err.message}\n`);
    return configErrorExitCode;
  }
  let stackPack: StackPackConfig | undefined;
  if (options.policy) {
    try {
      stackPack = packConfigFor(projectDir, stack, options.config);
    } catch (err) {
      // Invalid settings: the program refuses them below, with every problem.
      if (!(err instanceof ProjectSettingsError)) {
        if (!(err instanceof PolicyConfigError)) throw err;
        process.stderr.write(`plan: error: ${oneLine(err.message)}\n`);
        return configErrorExitCode;
      }
    }
    const relaxed = stackPack?.pinned ? pinnedRelaxations(stackPack.config, packConfig) : [];
    if (stackPack !== undefined && relaxed.length > 0) {
      process.stderr.write(
        `plan: error: --policy-config ${checked.policyConfigFile} may not relax stack ${stack} (environment ${stackPack.environment ?? "unknown"}), which runs every policy mandatory with ${path.relative(repoRoot, stackPack.file)}: ${relaxed.join(", ")}\n`,
      );
      return configErrorExitCode;
    }
    if (stackPack !== undefined) warnIfDiffers(stackPack, projectDir, options, progress);
  }
  let settings: ProjectSettings | undefined = stackPack?.settings;
  if (settings === undefined) {
    try {
      settings = readProjectSettings(projectDir, stack, options.config);
    } catch (err) {
      if (!(err instanceof ProjectSettingsError)) throw err; // the program reports them
    }
  }
  const security =
    settings === undefined || settings.kind === "other" ? undefined : { settings: securitySettings(settings), base: checked.base?.securitySettings };
  // The pack starts while the program runs, so its start-up costs (almost) no wall time.
  const starting = options.policy ? pack.start() : undefined;
  const capture: Capture = await progress.step(
    "running the program under mocks",
    () => runStack({ projectDir, stack, config: options.config, stackReferences: checked.stackReferences }),
    // "N registrations" is what the bench reads; resources and components as every report counts them.
    (c) => `${countsText(planCounts(c))} (${c.resources.length} registrations)`,
  );
  let policy: PolicyReport | undefined;
  if (starting !== undefined) {
    const runner = await starting;
    try {
      if (capture.error === undefined) {
        policy = await progress.step(
          "running the policy pack",
          () => runner.analyze(capture, { stackConfig, packConfig: stackPack === undefined ? packConfig : mergePackConfigs(stackPack.config, packConfig) }),
          (p) =>
            `${p.summary.failed} of ${p.controls.length} controls fail${stackPack === undefined ? "" : ` (config ${path.relative(process.cwd(), stackPack.file)}${checked.policyConfigFile === undefined ? "" : ` + ${checked.policyConfigFile}`})`}`,
        );
      }
    } catch (err) {
      if (!(err instanceof PolicyConfigError)) throw err;
      process.stderr.write(`${err.message}\n`);
      return configErrorExitCode;
    } finally {
      await pack.close();
    }
  }
  const findings = policy === undefined ? undefined : policyFindings(policy);
  let diff: PlanDiff | undefined;
  const base = checked.base;
  if (base !== undefined && capture.error === undefined) {
    diff = await progress.step(`comparing with ${options.compare}`, () => comparePlans(base, planDocument(capture, findings)), diffSummary);
  }
  const loss = capture.error === undefined ? regionLossRun(capture, settings?.kind === "embassy" ? settings.settings : undefined, options.lose) : undefined;
  const report: ReportInput = { capture, diff, findings, security, regionLoss: loss?.section };
  const code = (policy?.summary.mandatory ?? 0) > 0 ? mandatoryViolationExitCode : (loss?.failing.length ?? 0) > 0 ? regionLossExitCode : 0;

  // Everything is rendered before anything is written.
  const files: { output: OutputTarget; text: string }[] = [];
  for (const f of options.format) {
    // Written even when the program failed: the Markdown report then shows the failure in the PR.
    if (f.file !== undefined)
      files.push({ output: checked.outputs.get(f.file) as OutputTarget, text: renderReport(f.format, report, sarifOptions(projectDir)) });
  }
  const withSettings = security === undefined ? capture : { ...capture, securitySettings: securityValues(security.settings) };
  const json = capture.error !== undefined ? undefined : `${JSON.stringify(policy === undefined ? withSettings : { ...withSettings, policy }, null, 2)}\n`;
  if (checked.jsonOutput !== undefined && json !== undefined) files.push({ output: checked.jsonOutput, text: json });
  const stdoutFormat = options.format.find((f) => f.file === undefined)?.format ?? (options.format.length > 0 ? undefined : "tree");
  let stdout = "";
  if (json !== undefined && options.json === true) {
    stdout = json;
  } else if (json !== undefined && stdoutFormat !== undefined) {
    stdout = renderReport(stdoutFormat, report, sarifOptions(projectDir));
    if (stdoutFormat === "tree" && policy !== undefined) stdout += `\n${formatPolicyReport(policy)}`;
  }

  if (interrupted) return usageErrorExitCode; // the signal handler exits; nothing is written meanwhile
  if (files.length > 0) {
    try {
      await progress.step(
        "writing reports",
        () => writeReports(files),
        (paths) => paths.join(", "),
      );
    } catch (err) {
      if (!(err instanceof ReportWriteError)) throw err;
      process.stderr.write(`plan: error: ${err.message}\n`);
      return usageErrorExitCode;
    }
  }
  if (capture.error !== undefined) {
    process.stderr.write(`${capture.error.message}\n`);
    return configErrorExitCode;
  }
  process.stdout.write(stdout);
  if (options.json !== true) progress.line(formatSummary(capture, report, progress.colours).trimEnd());
  for (const line of loss?.lines ?? []) progress.line(line);
  if ((loss?.failing.length ?? 0) > 0)
    process.stderr.write(`plan: a register would not survive the loss of ${loss?.failing.join(", ")} (docs/dr-runbook.md, "Lose a region, offline")\n`);
  return code;
}

/**
 * The live `pulumi preview`/`up` reads the committed policy/config/<project>.<stack>.json: a warning
 * when this run's pack config is not what that file holds (stale, missing, or changed by `--config`).
 */
function warnIfDiffers(stackPack: StackPackConfig, projectDir: string, options: PlanCliOptions, progress: Progress): void {
  if (!policyConfigProjects.some((p) => path.resolve(repoRoot, p) === projectDir)) return;
  const file = path.relative(repoRoot, stackPack.file);
  let committed: string | undefined;
  try {
    committed = fs.readFileSync(stackPack.file, "utf8");
  } catch {
    committed = undefined;
  }
  if (committed === packConfigText(stackPack.config)) return;
  const why =
    committed === undefined
      ? `${file} is missing`
      : Object.keys(options.config).length > 0
        ? `--config changes the stack's pack config, so it differs from ${file}`
        : `${file} is stale`;
  progress.line(`${progress.colours.yellow("warning")}: ${why}; the live pulumi preview/up reads that file (run npm run gen:policy-config)`);
}

/** A base plan written by `--json` carries the whole policy report: take its findings from there. */
function withFindings(doc: PlanDocument & { policy?: PolicyReport }): PlanDocument {
  return doc.findings !== undefined || doc.policy === undefined ? doc : { ...doc, findings: policyFindings(doc.policy) };
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
  // In GitHub Actions the rules' help links point at docs/policies.md of the commit scanned.
  const { GITHUB_SERVER_URL: server, GITHUB_REPOSITORY: repository, GITHUB_SHA: sha } = process.env;
  const policyDocsUri = server && repository && sha ? `${server}/${repository}/blob/${sha}/docs/policies.md` : undefined;
  return { projectPath: path.relative(repoRoot, projectDir), readSource, toolVersion: version, ...(policyDocsUri === undefined ? {} : { policyDocsUri }) };
}

if (require.main === module) {
  main(process.argv).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      if (interrupted) return; // a step failed because its process was stopped: the signal handler exits
      // Not a user mistake (those are caught above, or come back in capture.error): a bug, so the trace helps.
      console.error(err);
      process.exitCode = internalErrorExitCode;
    },
  );
}
