import { ChildProcess, spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { Command, CommanderError } from "commander";
import { parse } from "yaml";

/**
 * `npm run bench [-- --with-tests]`: wall time and peak RSS of the offline plan against a baseline
 * (Node + `@pulumi/pulumi` + mocks + one azure-native resource), measured in one run on one
 * machine. Every measurement is a separate child process; cases are interleaved run by run so
 * that load from other work on the machine hits all of them alike. Prints a table and the
 * targets, and writes bench/results.json.
 *
 * Each child runs in its own process group; SIGINT, SIGTERM or SIGHUP stops the group (the plan
 * and the policy pack it starts, or npm test and its jest workers) before the bench exits, and
 * leaves results.json as it was.
 */

const projectDir = path.resolve(__dirname, "..");
const resultsFile = path.join(__dirname, "results.json");
const tsNode = ["-r", "ts-node/register/transpile-only"];
/** The Node options the program runs with (Pulumi.yaml `runtime.options.nodeargs`; `npm run plan` passes the same). */
const programNodeArgs = (
  (parse(fs.readFileSync(path.join(projectDir, "Pulumi.yaml"), "utf8")) as { runtime?: { options?: { nodeargs?: string } } }).runtime?.options?.nodeargs ?? ""
)
  .split(/\s+/)
  .filter((arg) => arg !== "");
const tsc = require.resolve("typescript/bin/tsc", { paths: [projectDir] });

/** One benchmarked command: a Node script with its arguments, run `runs` times. */
interface BenchCase {
  id: string;
  label: string;
  nodeArgs: string[];
  runs: number;
  /** Id of the case this one's ratios are computed against. */
  baseline: string;
  /** Exit codes of a complete run besides 0 (the plan exits 3 when a mandatory policy fails). */
  okExitCodes?: number[];
  /** Id of the SDK-only replay of the same resources (bench/replay.ts): the floor this case is measured against. */
  replay?: string;
  /** Node arguments of an untimed run before the timed ones (a replay's capture is written by one). */
  prepare?: string[];
  /**
   * Several processes as one run: `nodeArgs` first, then `parallel` (each a process's Node
   * arguments) at most `concurrency` at a time. Peak RSS is then the highest of any one process.
   */
  parallel?: { runs: string[][]; concurrency: number };
}

/** A case that failed: no numbers, the reason printed in their place. */
interface Unavailable {
  id: string;
  label: string;
  reason: string;
}

interface Sample {
  wallMs: number;
  /** User + system CPU time of every process of the run. */
  cpuMs: number;
  /** Sum of the peak RSS of every process of the run (an upper bound of their joint peak). */
  rssKb: number;
  /** Processes the run started, itself included. */
  processes: number;
  /** Peak RSS of the largest single process (KB). */
  maxProcessRssKb: number;
  /** The run's size as every report counts it (tools/reports/counts.ts), when the child reports it. */
  size?: RunSize;
}

/** Provider resources and registrations (resources + components + the stack) of a run. */
interface RunSize {
  resources: number;
  registrations: number;
}

interface Spread {
  median: number;
  min: number;
  max: number;
}

/** One measured case as it goes to results.json. */
interface CaseResult {
  id: string;
  label: string;
  runs: number;
  baseline: string;
  wallMs: Spread;
  cpuMs: Spread;
  rssMb: Spread;
  /** Median over the baseline's median; NaN (null in JSON) when the baseline has no numbers. */
  wallRatio: number;
  cpuRatio: number;
  rssRatio: number;
  /** Several processes (BenchCase.parallel): the highest peak RSS of one of them, median over runs. */
  maxProcessRssMb?: Spread;
  /** Median over the median of its replay (bench/replay.ts), when it has one. */
  replayRatio?: { wall: number; cpu: number; rss: number };
  processes: number;
  /** Provider (custom) resources the run registered: "N resources" in every report. */
  resources?: number;
  /** Everything it registered: resources, components and the stack ("(K registrations)" on the plan's progress line). */
  registrations?: number;
}

/** A target from the issue, checked against the measured numbers. */
interface TargetResult {
  target: string;
  measured: string;
  met: boolean | "not measured";
}

/** Where the replays' captures are written (git-ignored). */
const workDir = path.join(__dirname, "work");

/** The SDK-only replay of the capture at `capture` (bench/replay.ts), run like the plan. */
function replayCase(id: string, label: string, capture: string, prepare: string[], runs: number): BenchCase {
  return { id, label, nodeArgs: [...programNodeArgs, ...tsNode, "bench/replay.ts", capture], runs, baseline: "baseline", prepare };
}

/** The dev plan through the plan CLI, without and with the policy pack, and the replay of its resources. */
function planCases(): BenchCase[] {
  const plan = [...programNodeArgs, ...tsNode, "tools/plan.ts", "--stack", "dev"];
  const capture = path.join(workDir, "plan-dev.json");
  return [
    { id: "plan-dev", label: "plan dev stack", nodeArgs: [...plan, "--no-policy"], runs: 5, baseline: "baseline", replay: "replay-dev" },
    // Exit 3 (a mandatory control fails) is a complete run: the pack analysed everything.
    { id: "plan-policies", label: "plan dev stack + policy pack", nodeArgs: plan, runs: 5, baseline: "baseline", okExitCodes: [3], replay: "replay-dev" },
    replayCase("replay-dev", "replay of the dev plan's resources (SDK only)", capture, [...plan, "--no-policy", "--json", capture], 5),
  ];
}

/**
 * `total` registers as shard stacks of `perStack` (docs/scale.md): the core stack with the first
 * `perStack`, then the register-shard stacks, planned as many at a time as the machine has cores.
 */
function shardStacks(total: number, perStack: number, runs: number): BenchCase {
  const script = [...programNodeArgs, ...tsNode, "bench/shardPlan.ts"];
  const core = path.join(workDir, "shard-core.json");
  const stacks = Array.from({ length: Math.ceil(total / perStack) - 1 }, (_, i) => [
    ...script,
    "shard",
    String(i + 1),
    String((i + 1) * perStack + 1),
    String(Math.min(perStack, total - (i + 1) * perStack)),
    core,
  ]);
  return {
    id: "plan-shards",
    label: `plan ${total} registers as shard stacks: core + ${stacks.length} of ${perStack}, ${os.cpus().length} at a time`,
    nodeArgs: [...script, "core", String(perStack), core],
    runs,
    baseline: "baseline",
    parallel: { runs: stacks, concurrency: os.cpus().length },
  };
}

/** Every case, in table order. */
function cases(): BenchCase[] {
  const scale = (count: number, runs: number): BenchCase[] => {
    const plan = [...programNodeArgs, ...tsNode, "bench/scalePlan.ts", String(count)];
    const capture = path.join(workDir, `plan-${count}-registers.json`);
    return [
      { id: `plan-${count}-registers`, label: `plan with ${count} registers`, nodeArgs: plan, runs, baseline: "baseline", replay: `replay-${count}-registers` },
      replayCase(`replay-${count}-registers`, `replay of the ${count}-register plan`, capture, [...plan, "--json", capture], runs),
    ];
  };
  return [
    { id: "baseline", label: "baseline: mocks + 1 ResourceGroup", nodeArgs: [...tsNode, "bench/baseline.ts"], runs: 5, baseline: "baseline" },
    ...planCases(),
    ...scale(10, 5),
    // The big cases take about 13 s and 100 s of CPU (Pulumi's SDK costs 10–25 ms a resource):
    // fewer runs keep the bench near 10 minutes on 2 cores.
    ...scale(100, 3),
    ...scale(1000, 1),
    shardStacks(1000, 100, 1),
    {
      id: "tsc-baseline",
      label: "tsc --noEmit: one-file program",
      nodeArgs: [tsc, "--noEmit", "-p", "bench/tsconfig.baseline.json"],
      runs: 3,
      baseline: "tsc-baseline",
    },
    { id: "tsc-project", label: "tsc --noEmit: project", nodeArgs: [tsc, "--noEmit"], runs: 3, baseline: "tsc-baseline" },
  ];
}

/** Process groups of the children running now (each child leads its own group). */
const running = new Set<ChildProcess>();

/** Stops every running child's whole group (the child and what it started). */
function stopChildren(signal: NodeJS.Signals = "SIGTERM"): void {
  for (const child of running) {
    try {
      if (child.pid !== undefined) process.kill(-child.pid, signal);
    } catch {
      // the group has already exited
    }
  }
}

/** Temp directories to remove if the bench is stopped half-way. */
const tempDirs = new Set<string>();

/** A child's outcome, as spawnSync would report it. */
interface Finished {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs `command` in its own process group, collecting its output; it is stopped with the bench. */
function run(command: string, args: string[], options: { env?: NodeJS.ProcessEnv } = {}): Promise<Finished> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: projectDir, env: options.env ?? process.env, stdio: ["ignore", "pipe", "pipe"], detached: true });
    running.add(child);
    let stdout = "";
    let stderr = "";
    child.stdout?.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr?.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    child.once("error", (err) => {
      running.delete(child);
      reject(err);
    });
    child.once("close", (status, signal) => {
      running.delete(child);
      resolve({ status, signal, stdout, stderr });
    });
  });
}

/**
 * Runs one child to completion. Peak RSS and CPU time come from the reportUsage preload, which
 * every Node process of the run loads through NODE_OPTIONS (the plan starts the policy pack as a
 * second process).
 */
async function measure(bench: BenchCase): Promise<Sample> {
  const usageDir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-usage-"));
  tempDirs.add(usageDir);
  const preload = `--require ${JSON.stringify(path.join(__dirname, "reportUsage.js"))}`;
  const start = process.hrtime.bigint();
  const env = { ...process.env, BENCH_USAGE_DIR: usageDir, NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ""} ${preload}`.trim() };
  let child = await run(process.execPath, bench.nodeArgs, { env });
  let size = sizeReported(child.stdout, child.stderr);
  if (bench.parallel !== undefined && child.status === 0) {
    // The rest in a pool of `concurrency` processes, as a CI matrix runs them after the core.
    const queue = [...bench.parallel.runs];
    const worker = async (): Promise<void> => {
      for (let args = queue.shift(); args !== undefined && child.status === 0; args = queue.shift()) {
        const done = await run(process.execPath, args, { env });
        if (done.status !== 0) child = done;
        const more = sizeReported(done.stdout, done.stderr);
        if (size !== undefined && more !== undefined)
          size = { resources: size.resources + more.resources, registrations: size.registrations + more.registrations };
      }
    };
    await Promise.all(Array.from({ length: bench.parallel.concurrency }, worker));
  }
  const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
  const usages = fs.readdirSync(usageDir).map((f) => JSON.parse(fs.readFileSync(path.join(usageDir, f), "utf8")) as { maxRSS: number; cpu: number });
  fs.rmSync(usageDir, { recursive: true });
  tempDirs.delete(usageDir);
  if (child.status !== 0 && !(bench.okExitCodes ?? []).includes(child.status ?? -1)) {
    throw new Error(`${bench.label} failed (exit ${child.status ?? child.signal}):\n${child.stderr || child.stdout}`);
  }
  if (usages.length === 0) {
    throw new Error(`${bench.label} failed:\nno process reported its usage (was NODE_OPTIONS overridden?)`);
  }
  return {
    wallMs,
    cpuMs: usages.reduce((sum, u) => sum + u.cpu / 1000, 0),
    rssKb: usages.reduce((sum, u) => sum + u.maxRSS, 0),
    maxProcessRssKb: Math.max(...usages.map((u) => u.maxRSS)),
    processes: usages.length,
    size,
  };
}

/**
 * The size a run reports: bench/scalePlan.ts, shardPlan.ts and replay.ts print
 * `{"resources":n,"registrations":m}`; the plan CLI's progress line says "N resources in M components
 * (K registrations)".
 */
function sizeReported(stdout: string, stderr: string): RunSize | undefined {
  const match = /^\{"resources":(\d+),"registrations":(\d+)\}$/m.exec(stdout) ?? /(\d+) resources? in \d+ components? \((\d+) registrations\)/.exec(stderr);
  return match ? { resources: Number(match[1]), registrations: Number(match[2]) } : undefined;
}

/**
 * Runs every case `runs` times, round by round, after one untimed run of the first case (so the
 * first timed sample does not pay for a cold file cache). A case that fails stops being run and
 * is reported as failed; the others go on.
 */
async function runAll(runnable: BenchCase[]): Promise<{ samples: Map<string, Sample[]>; failed: Unavailable[] }> {
  try {
    await measure(runnable[0]);
  } catch {
    // Its timed runs below fail the same way and report it.
  }
  const samples = new Map<string, Sample[]>(runnable.map((c) => [c.id, []]));
  const failed: Unavailable[] = [];
  fs.mkdirSync(workDir, { recursive: true });
  for (const bench of runnable.filter((c) => c.prepare !== undefined)) {
    process.stderr.write(`  preparing ${bench.label}\n`);
    const prepared = await run(process.execPath, bench.prepare ?? []);
    if (prepared.status !== 0) {
      failed.push({ id: bench.id, label: bench.label, reason: `FAILED to prepare: ${(prepared.stderr || prepared.stdout).split("\n")[0]}` });
    }
  }
  const rounds = Math.max(...runnable.map((c) => c.runs));
  for (let round = 0; round < rounds; round++) {
    for (const bench of runnable.filter((c) => c.runs > round && !failed.some((f) => f.id === c.id))) {
      process.stderr.write(`  ${bench.label} (run ${round + 1}/${bench.runs})\n`);
      try {
        samples.get(bench.id)?.push(await measure(bench));
      } catch (err) {
        const message = (err as Error).message;
        process.stderr.write(`${message}\n`);
        failed.push({ id: bench.id, label: bench.label, reason: `FAILED: ${message.split("\n")[1] ?? message}` });
      }
    }
  }
  return { samples, failed };
}

/** `npm test` once, wall time only: jest runs tests in worker processes, so one RSS means little. */
async function measureTests(): Promise<number | Error> {
  const start = process.hrtime.bigint();
  const child = await run("npm", ["test", "--silent"]);
  const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
  if (child.status !== 0) {
    process.stderr.write(child.stderr.slice(-4000));
    return new Error(`npm test failed (exit ${child.status ?? child.signal}) after ${seconds(wallMs)} s`);
  }
  return wallMs;
}

function spread(values: number[]): Spread {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  return { median, min: sorted[0], max: sorted[sorted.length - 1] };
}

function summarize(runnable: BenchCase[], samples: Map<string, Sample[]>, failed: Unavailable[]): CaseResult[] {
  const measured = runnable.filter((c) => !failed.some((f) => f.id === c.id));
  const stats = (id: string) => {
    const own = samples.get(id) ?? [];
    const last = own[own.length - 1];
    return {
      wallMs: spread(own.map((s) => s.wallMs)),
      cpuMs: spread(own.map((s) => s.cpuMs)),
      rssMb: spread(own.map((s) => s.rssKb / 1024)),
      maxProcessRssMb: spread(own.map((s) => s.maxProcessRssKb / 1024)),
      processes: last?.processes ?? 0,
      resources: last?.size?.resources,
      registrations: last?.size?.registrations,
    };
  };
  return measured.map((c) => {
    const own = stats(c.id);
    const base = measured.some((b) => b.id === c.baseline) ? stats(c.baseline) : undefined;
    const over = (pick: (s: typeof own) => Spread) => (base === undefined ? NaN : pick(own).median / pick(base).median);
    const floor = c.replay !== undefined && measured.some((b) => b.id === c.replay) ? stats(c.replay) : undefined;
    const overFloor = (pick: (s: typeof own) => Spread) => (floor === undefined ? NaN : pick(own).median / pick(floor).median);
    return {
      id: c.id,
      label: c.label,
      runs: c.runs,
      baseline: c.baseline,
      ...own,
      maxProcessRssMb: c.parallel === undefined ? undefined : own.maxProcessRssMb,
      wallRatio: over((s) => s.wallMs),
      cpuRatio: over((s) => s.cpuMs),
      rssRatio: over((s) => s.rssMb),
      ...(floor === undefined ? {} : { replayRatio: { wall: overFloor((s) => s.wallMs), cpu: overFloor((s) => s.cpuMs), rss: overFloor((s) => s.rssMb) } }),
    };
  });
}

const seconds = (ms: number): string => (ms / 1000).toFixed(2);
const megabytes = (mb: number): string => mb.toFixed(0);
const ratio = (r: number): string => (Number.isNaN(r) ? "n/a" : r.toFixed(2));
const range = (s: Spread, fmt: (n: number) => string): string => `${fmt(s.median)} (${fmt(s.min)}–${fmt(s.max)})`;

/** The results as a Markdown table (it goes into the README as printed). */
function table(results: CaseResult[], unavailable: Unavailable[], order: string[]): string {
  const rows = [
    [
      "case",
      "runs",
      "wall s: median (min–max)",
      "× base",
      "CPU s",
      "× base",
      "peak RSS MB: median (min–max)",
      "× base",
      "× replay: wall / CPU",
      "resources",
      "registrations",
    ],
  ];
  for (const id of order) {
    const r = results.find((x) => x.id === id);
    const u = unavailable.find((x) => x.id === id);
    if (r !== undefined) {
      const rss =
        r.maxProcessRssMb === undefined
          ? `${range(r.rssMb, megabytes)}${r.processes > 1 ? ` in ${r.processes} processes` : ""}`
          : `${megabytes(r.maxProcessRssMb.median)} per process at most (${r.processes} processes, ${megabytes(r.rssMb.median)} in all)`;
      rows.push([
        r.label,
        String(r.runs),
        range(r.wallMs, seconds),
        ratio(r.wallRatio),
        seconds(r.cpuMs.median),
        ratio(r.cpuRatio),
        rss,
        ratio(r.rssRatio),
        r.replayRatio === undefined ? "" : `${ratio(r.replayRatio.wall)} / ${ratio(r.replayRatio.cpu)}`,
        r.resources === undefined ? "" : String(r.resources),
        r.registrations === undefined ? "" : String(r.registrations),
      ]);
    } else if (u !== undefined) {
      rows.push([u.label, "–", u.reason.slice(0, 100), "", "", "", "", "", "", "", ""]);
    }
  }
  const widths = rows[0].map((_, col) => Math.max(...rows.map((row) => row[col].length)));
  const line = (row: string[]) => `| ${row.map((cell, col) => cell.padEnd(widths[col])).join(" | ")} |`;
  return [line(rows[0]), `|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`, ...rows.slice(1).map(line)].join("\n");
}

function targets(results: CaseResult[], tests: number | Error | undefined): TargetResult[] {
  const get = (id: string) => results.find((r) => r.id === id);
  const checks: TargetResult[] = [];
  const wallRatio = (id: string, limit: number, what: string) => {
    const r = get(id);
    const target = `${what} ≤ ${limit}× baseline`;
    checks.push(
      r === undefined || Number.isNaN(r.wallRatio)
        ? { target, measured: "no numbers", met: "not measured" }
        : { target, measured: `${r.wallRatio.toFixed(2)}× (CPU time ${r.cpuRatio.toFixed(2)}×)`, met: r.wallRatio <= limit },
    );
  };
  wallRatio("plan-dev", 2, "plan dev stack wall time");
  wallRatio("plan-policies", 3, "plan + policy pack wall time");
  // Against the floor: the SDK registering the same resources (bench/replay.ts).
  const overReplay = (id: string, limit: number, what: string) => {
    const r = get(id);
    const target = `${what} ≤ ${limit}× its SDK-only replay (wall time)`;
    checks.push(
      r?.replayRatio === undefined || Number.isNaN(r.replayRatio.wall)
        ? { target, measured: "no numbers", met: "not measured" }
        : { target, measured: `${r.replayRatio.wall.toFixed(2)}× (CPU time ${r.replayRatio.cpu.toFixed(2)}×)`, met: r.replayRatio.wall <= limit },
    );
  };
  overReplay("plan-dev", 1.25, "plan dev stack");
  overReplay("plan-policies", 1.5, "plan dev stack + policy pack");
  for (const count of [10, 100, 1000]) overReplay(`plan-${count}-registers`, 1.25, `plan with ${count} registers`);
  for (const r of results.filter((x) => x.id.startsWith("plan-") && !x.id.startsWith("plan-shards"))) {
    checks.push({ target: `${r.label}: peak RSS ≤ 300 MB`, measured: `${megabytes(r.rssMb.max)} MB (highest run)`, met: r.rssMb.max <= 300 });
  }
  const [small, mid, large] = [get("plan-10-registers"), get("plan-100-registers"), get("plan-1000-registers")];
  if (small !== undefined && mid !== undefined && large !== undefined) {
    const growth = large.wallMs.median / small.wallMs.median;
    const cpuGrowth = large.cpuMs.median / small.cpuMs.median;
    checks.push({
      target: "1000 registers ≤ 10× the 10-register plan",
      measured: `${growth.toFixed(2)}× (CPU time ${cpuGrowth.toFixed(2)}×)`,
      met: growth <= 10,
    });
    // Linear growth keeps the cost per added register flat from 100 to 1000 registers; a
    // quadratic step would make the second slope about 10× the first. CPU time, not wall time:
    // it is what the program costs, and other work on the machine hardly moves it.
    const slope1 = (mid.cpuMs.median - small.cpuMs.median) / 90;
    const slope2 = (large.cpuMs.median - mid.cpuMs.median) / 900;
    checks.push({
      target: "no quadratic step: CPU ms per added register, 100→1000 ≤ 2× 10→100 (a quadratic term gives ~10×)",
      measured: `${slope1.toFixed(1)} → ${slope2.toFixed(1)} ms`,
      met: slope2 <= 2 * slope1,
    });
  } else {
    checks.push({ target: "1000 registers ≤ 10× the 10-register plan", measured: "no numbers", met: "not measured" });
  }
  const shards = get("plan-shards");
  checks.push(
    shards?.maxProcessRssMb === undefined
      ? { target: "1000 registers as shard stacks: peak RSS per process ≤ 1 GB", measured: "no numbers", met: "not measured" }
      : {
          target: "1000 registers as shard stacks: peak RSS per process ≤ 1 GB",
          measured: `${megabytes(shards.maxProcessRssMb.max)} MB (largest process of the highest run)`,
          met: shards.maxProcessRssMb.max <= 1024,
        },
  );
  const testsTarget = `npm test < 90 s (${os.cpus().length} cores)`;
  if (tests === undefined) {
    checks.push({ target: testsTarget, measured: "not run (npm run bench -- --with-tests)", met: "not measured" });
  } else if (tests instanceof Error) {
    checks.push({ target: testsTarget, measured: tests.message, met: "not measured" });
  } else {
    checks.push({ target: testsTarget, measured: `${seconds(tests)} s`, met: tests < 90_000 });
  }
  return checks;
}

/** The options, or the exit code when commander answered (`--help`) or refused the command line. */
function parseArguments(argv: string[]): { withTests: boolean; only?: string[] } | number {
  const program = new Command()
    .name("bench")
    .description(
      "Wall time, CPU time and peak RSS of the offline plan against a baseline, each measurement in its own process " +
        "(about 5 minutes on 2 cores). Prints a table and the targets; writes bench/results.json.",
    )
    .option("--with-tests", "also time `npm test` once", false)
    .option("--only <ids>", "run only these cases (comma-separated ids, e.g. baseline,plan-shards) and write no results.json", (v: string) => v.split(","))
    .exitOverride()
    .configureOutput({
      writeOut: (text) => process.stdout.write(text),
      writeErr: (text) => process.stderr.write(text),
      outputError: (text, write) => write(`bench: ${text.trim().replace(/\s*\n\s*/g, " ")} (see bench --help)\n`),
    });
  try {
    program.parse(argv);
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : 2;
    throw err;
  }
  return program.opts<{ withTests: boolean; only?: string[] }>();
}

/** On SIGINT, SIGTERM or SIGHUP: stop the running children's groups and exit with 128 + the signal's number. */
function exitOnSignals(): void {
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    process.on(signal, () => {
      process.stderr.write(`\nbench: stopped (${signal}); results.json not written\n`);
      stopChildren("SIGTERM");
      for (const dir of tempDirs) fs.rmSync(dir, { recursive: true, force: true });
      process.exit(128 + (os.constants.signals[signal] ?? 0));
    });
  }
  // However the bench ends, no child outlives it.
  process.on("exit", () => stopChildren("SIGKILL"));
}

async function main(): Promise<number> {
  const parsed = parseArguments(process.argv);
  if (typeof parsed === "number") return parsed;
  const { withTests, only } = parsed;
  exitOnSignals();
  const all = cases().filter((c) => only === undefined || only.includes(c.id));
  const loadBefore = os.loadavg()[0];
  process.stderr.write(`bench: ${all.length} cases on ${os.cpus().length} cores\n`);

  const { samples, failed } = await runAll(all);
  let tests: number | Error | undefined;
  if (withTests) {
    process.stderr.write("  npm test\n");
    tests = await measureTests();
  }
  const results = summarize(all, samples, failed);
  const checks = targets(results, tests);
  const machine = {
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? "unknown",
    memoryGb: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    platform: `${os.platform()} ${os.arch()}`,
    loadAverage: { before: loadBefore, after: os.loadavg()[0] },
  };

  const out = process.stdout;
  out.write(`\nOffline plan benchmark: ${machine.cpus} × ${machine.cpuModel}, Node ${machine.node}\n`);
  out.write(
    `Load average ${loadBefore.toFixed(2)} before, ${machine.loadAverage.after.toFixed(2)} after ` +
      "(other work on the machine makes times noisy; cases are interleaved, so ratios suffer less).\n",
  );
  out.write(
    "Ratios: plan cases against the baseline program, tsc cases against tsc of the one-file program; × replay: against the SDK registering the same resources (bench/replay.ts).\n\n",
  );
  out.write(
    `${table(
      results,
      failed,
      all.map((c) => c.id),
    )}\n\nTargets:\n`,
  );
  for (const t of checks) {
    const verdict = t.met === "not measured" ? "not measured" : t.met ? "met" : "MISSED";
    out.write(`  ${verdict.padEnd(12)} ${t.target}: ${t.measured}\n`);
  }
  const npmTest = tests === undefined ? null : tests instanceof Error ? tests.message : { wallMs: tests };
  const json = { date: new Date().toISOString(), machine, cases: results, failed, npmTest, targets: checks };
  if (only === undefined) {
    fs.writeFileSync(resultsFile, `${JSON.stringify(json, null, 2)}\n`);
    out.write(`\nwritten: ${path.relative(projectDir, resultsFile)}\n`);
  }
  return failed.length > 0 || tests instanceof Error ? 1 : 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    console.error(err);
    process.exitCode = 70;
  },
);
