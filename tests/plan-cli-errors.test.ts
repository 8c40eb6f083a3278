import { spawn, spawnSync, SpawnSyncReturns } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { checkOutput, writeReports } from "../tools/plan"; // the CLI runs only as a script

/**
 * The plan CLI (and the bench) on ordinary mistakes: each is refused before the program runs, in
 * one line on stderr, with exit 2, no stack trace and nothing written; a config mistake lists every
 * problem; Ctrl-C leaves no process behind; `--help` answers at once.
 */

const repoRoot = path.resolve(__dirname, "..");
const tsNode = require.resolve("ts-node/register/transpile-only", { paths: [repoRoot] });
const planScript = path.join(repoRoot, "tools", "plan.ts");

function env(): NodeJS.ProcessEnv {
  const e = { ...process.env };
  delete e.FORCE_COLOR;
  delete e.NO_COLOR;
  return e;
}

function runPlan(args: string[], cwd = repoRoot): SpawnSyncReturns<string> {
  // A timeout turns a hang (the /proc case used to spin forever) into a failed test, not a stuck run.
  const options = { cwd, env: { ...env(), TS_NODE_PROJECT: path.join(repoRoot, "tsconfig.json") }, encoding: "utf8" as const, timeout: 60000 };
  return spawnSync(process.execPath, ["-r", tsNode, planScript, ...args], options);
}

/** Everything below `dir`, relative, sorted. */
function filesUnder(dir: string): string[] {
  return (fs.readdirSync(dir, { recursive: true }) as string[]).sort();
}

/** A usage mistake: exit 2, one line on stderr, no trace, nothing run and nothing on stdout. */
function expectUsageError(run: SpawnSyncReturns<string>, message: string | RegExp): void {
  expect(run.error).toBeUndefined(); // not killed by the timeout
  expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 2, stderr: expect.stringMatching(/^plan: error: [^\n]+\n$/) });
  expect(run.stderr).toMatch(message);
  expect(run.stderr).not.toContain("    at ");
  expect(run.stderr).not.toContain("running the program");
  expect(run.stdout).toBe("");
}

describe("plan CLI: mistakes in arguments and files", () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "plan-cli-errors-"));
    fs.writeFileSync(path.join(dir, "not-json.json"), "this is not JSON\n");
    fs.writeFileSync(path.join(dir, "not-a-plan.json"), '{"hello": "world"}\n');
    fs.writeFileSync(path.join(dir, "a-file"), "");
    fs.mkdirSync(path.join(dir, "a-directory"));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  // Each mistake below writes nothing: the directory holds only what beforeAll put there.
  afterEach(() => expect(filesUnder(dir)).toEqual(["a-directory", "a-file", "not-a-plan.json", "not-json.json"]));

  it("--compare with a missing file", () => {
    expectUsageError(
      runPlan(["--compare", path.join(dir, "missing.json"), "--format", `markdown=${path.join(dir, "dev.md")}`]),
      /cannot read --compare .*missing\.json: no such file or directory/,
    );
  });

  it("--compare with a file that is not JSON, or not a plan, or a directory", () => {
    expectUsageError(runPlan(["--compare", path.join(dir, "not-json.json")]), /not-json\.json is not JSON/);
    expectUsageError(runPlan(["--compare", path.join(dir, "not-a-plan.json")]), /not-a-plan\.json is not a plan .*bad or missing project, stack, resources/);
    expectUsageError(runPlan(["--compare", path.join(dir, "a-directory")]), /a-directory is a directory/);
  });

  it("--stack-reference without a plan file, with a missing file, or with a file that is not a plan", () => {
    expectUsageError(runPlan(["--stack-reference", "acme/data-embassy/prod"]), /expected <stack>=<plan\.json>, got "acme\/data-embassy\/prod"/);
    expectUsageError(
      runPlan(["--stack-reference", `acme/data-embassy/prod=${path.join(dir, "missing.json")}`]),
      /cannot read --stack-reference acme\/data-embassy\/prod=.*missing\.json: no such file or directory/,
    );
    expectUsageError(runPlan(["--stack-reference", `acme/data-embassy/prod=${path.join(dir, "not-a-plan.json")}`]), /not-a-plan\.json is not a plan/);
  });

  it("an output path under /proc fails at once instead of hanging (Node's recursive mkdir loops there)", () => {
    if (!fs.existsSync("/proc/self")) return; // Linux only
    expectUsageError(runPlan(["--json", "/proc/data-embassy-test/dev.json"]), "cannot create directory /proc/data-embassy-test");
    expectUsageError(runPlan(["--format", "sarif=/proc/dev.sarif"]), "/proc is not writable");
  });

  it("an output path that is a directory, under a file, or not a regular file", () => {
    expectUsageError(runPlan(["--format", `json=${path.join(dir, "a-directory")}`]), "is a directory; give a file name");
    expectUsageError(runPlan(["--json", `${path.join(dir, "a-directory")}/`]), "names a directory");
    expectUsageError(runPlan(["--json", path.join(dir, "a-file", "dev.json")]), `${path.join(dir, "a-file")} is not a directory`);
    expectUsageError(runPlan(["--format", "markdown=/dev/null"]), "is not a regular file");
  });

  it("a later unwritable output leaves no directory made for an earlier one", () => {
    expectUsageError(
      runPlan(["--format", `markdown=${path.join(dir, "new", "sub", "dev.md")}`, "--json", path.join(dir, "a-file", "x.json")]),
      "is not a directory",
    );
  });

  it("--format sarif= without a file name (it used to write to stdout)", () => {
    expectUsageError(runPlan(["--format", "sarif="]), '"sarif=" names no file');
  });

  it("--no-policy with --policy-config, which it used to ignore", () => {
    expectUsageError(runPlan(["--no-policy", "--policy-config", "bootstrap/policy-config.json"]), "--policy-config and --no-policy conflict");
  });

  it("--policy-config with a missing file", () => {
    expectUsageError(runPlan(["--policy-config", path.join(dir, "missing.json")]), "cannot read --policy-config");
  });

  it("unknown formats, unknown options and stray arguments", () => {
    expectUsageError(runPlan(["--format", "html"]), 'unknown format "html"; use one of tree, markdown, sarif, json');
    expectUsageError(runPlan(["--jsn"]), "unknown option '--jsn' (Did you mean --json?)");
    expectUsageError(runPlan(["dev"]), "too many arguments");
    expectUsageError(runPlan(["--compare"]), "argument missing");
  });

  it("two reports to stdout, or two reports to one file", () => {
    expectUsageError(runPlan(["--json", "--format", "markdown"]), "only one report can go to stdout");
    const file = path.join(dir, "dev.json");
    expectUsageError(runPlan(["--format", `json=${file}`, "--json", file]), "both write");
  });

  it("--help answers at once, with the exit codes", () => {
    const help = runPlan(["--help"]);
    expect(help.status).toBe(0);
    expect(help.stdout).toContain("Usage: plan [options]");
    expect(help.stdout).toMatch(/Exit codes: 0 planned; 1 invalid configuration; 2 wrong arguments/);
    expect(help.stderr).toBe("");
  });
});

describe("every npm script that runs a tool", () => {
  // The scripts started as `node … <tool>.ts` (plan, bench, seal, gen:*, build:policy), from package.json.
  const scripts = Object.entries((JSON.parse(fs.readFileSync(path.join(repoRoot, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts)
    .map(([name, command]) => ({ name, file: /^node .* ([\w/.-]+\.ts)$/.exec(command)?.[1] }))
    .filter((s): s is { name: string; file: string } => s.file !== undefined);

  it("are all covered: plan, bench, seal, build:policy and every gen:*", () => {
    expect(scripts.map((s) => s.name).sort()).toEqual(
      expect.arrayContaining(["bench", "build:policy", "gen:config", "gen:dr-regions", "gen:policy-config", "gen:policy-docs", "plan", "seal"]),
    );
  });

  it("answer --help at once with exit 0 and their usage, and write nothing", () => {
    const generated = ["Pulumi.yaml", "docs/config.md", "docs/policies.md", "docs/dr-regions.md", "bench/results.json"].map((f) => path.join(repoRoot, f));
    const mtimes = () => generated.map((f) => fs.statSync(f).mtimeMs);
    const before = mtimes();
    for (const { name, file } of scripts) {
      const started = Date.now();
      const run = spawnSync(process.execPath, ["-r", tsNode, path.join(repoRoot, file), "--help"], {
        cwd: repoRoot,
        env: env(),
        encoding: "utf8",
        timeout: 30000,
      });
      expect({ name, status: run.status, usage: run.stdout.startsWith(`Usage: ${name} [options]`), stderr: run.stderr }).toEqual({
        name,
        status: 0,
        usage: true,
        stderr: "",
      });
      // A generator used to ignore --help and do its work (gen:dr-regions plans 13 regions, the bench runs 5 minutes).
      expect(Date.now() - started).toBeLessThan(15000);
    }
    expect(mtimes()).toEqual(before);
  });

  it("refuse an unknown argument in one line with exit 2 instead of running", () => {
    for (const name of ["gen:config", "gen:policy-docs", "build:policy"]) {
      const file = scripts.find((s) => s.name === name)?.file as string;
      const run = spawnSync(process.execPath, ["-r", tsNode, path.join(repoRoot, file), "--chek"], {
        cwd: repoRoot,
        env: env(),
        encoding: "utf8",
        timeout: 30000,
      });
      expect({ status: run.status, stderr: run.stderr, stdout: run.stdout }).toEqual({
        status: 2,
        stderr: `${name}: error: unknown option '--chek' (see --help)\n`,
        stdout: "",
      });
    }
  });
});

describe("plan CLI: configuration as the Pulumi CLI takes it", () => {
  it("reports wrongly typed keys and a wrong value together: three wrong keys, three problems (exit 1)", () => {
    const run = runPlan(["--no-policy", "--config", "blobSoftDeleteDays=fourteen", "--config", "hostRegion=westeuropa", "--config", "protectResources=no"]);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain("Stack 'dev' has 3 configuration problems:");
    expect(run.stderr).toContain("  - Stack 'dev' with configuration key 'data-embassy:blobSoftDeleteDays' must be of type 'integer'");
    expect(run.stderr).toContain("  - Stack 'dev' with configuration key 'data-embassy:protectResources' must be of type 'boolean'");
    expect(run.stderr).toMatch(/^ {2}- data-embassy:hostRegion: unknown Azure region "westeuropa"/m);
    expect(run.stderr).not.toContain("running the program");
    expect(run.stderr).not.toContain("    at ");
  });

  it("reports three wrongly typed keys at once (exit 1), before running the program", () => {
    const run = runPlan(["--no-policy", "--config", "blobSoftDeleteDays=fourteen", "--config", "protectResources=no", "--config", "keySize=4096.5"]);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain("Stack 'dev' has 3 configuration problems:");
    for (const [key, type] of [
      ["blobSoftDeleteDays", "integer"],
      ["protectResources", "boolean"],
      ["keySize", "integer"],
    ]) {
      expect(run.stderr).toContain(`  - Stack 'dev' with configuration key 'data-embassy:${key}' must be of type '${type}'`);
    }
    expect(run.stderr).not.toContain("running the program");
    expect(run.stderr).not.toContain("    at ");
  });

  it("takes quoted integers and booleans (what `pulumi config set` writes), warns about a misspelt namespace, and creates the --json file's directories in a fresh checkout", () => {
    const cwd = fs.mkdtempSync(path.join(os.tmpdir(), "plan-cli-fresh-"));
    try {
      // --config parses JSON, so '"14"' is the quoted string a stack file would hold.
      const config = ["--config", 'blobSoftDeleteDays="14"', "--config", 'protectResources="false"', "--config", "data-embasy:hostRegion=westeurope"];
      const run = runPlan(["--no-policy", ...config, "--json", "out/plans/dev.json"], cwd);
      expect(run.stderr).not.toContain("must be of type");
      expect(run.stderr).not.toContain("    at ");
      expect(run.status).toBe(0);
      expect(run.stderr).toMatch(/^warning: data-embasy:hostRegion is ignored: .*did you mean data-embassy:hostRegion\?$/m);
      // The tree goes to stdout too, as README says, with the warning among the others.
      expect(run.stdout).toContain("Offline plan of data-embassy/dev");
      expect(run.stdout).toMatch(/^warning: data-embasy:hostRegion is ignored/m);
      // out/ did not exist; no temp file is left next to the report.
      expect(filesUnder(cwd)).toEqual(["out", path.join("out", "plans"), path.join("out", "plans", "dev.json")]);
      const capture = JSON.parse(fs.readFileSync(path.join(cwd, "out", "plans", "dev.json"), "utf8")) as {
        stack: string;
        resources: { type: string; inputs: Record<string, unknown> }[];
      };
      expect(capture.stack).toBe("dev");
      // ... and "14" reached the program as the number 14.
      const blobService = capture.resources.find((r) => r.type === "azure-native:storage:BlobServiceProperties");
      expect(blobService?.inputs.deleteRetentionPolicy).toMatchObject({ enabled: true, days: 14 });
    } finally {
      fs.rmSync(cwd, { recursive: true, force: true });
    }
  });
});

/** Linux: the ids of `pid`'s descendants, from /proc. */
function descendants(pid: number): number[] {
  const parents = new Map<number, number>();
  for (const entry of fs.readdirSync("/proc").filter((e) => /^\d+$/.test(e))) {
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, "utf8");
      parents.set(Number(entry), Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]));
    } catch {
      // gone meanwhile
    }
  }
  const found: number[] = [];
  for (let queue = [pid]; queue.length > 0;) {
    const parent = queue.shift();
    const children = [...parents].filter(([, p]) => p === parent).map(([c]) => c);
    found.push(...children);
    queue.push(...children);
  }
  return found;
}

/** Running (a zombie waiting to be reaped counts as gone). */
function alive(pid: number): boolean {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2)[0] !== "Z";
  } catch {
    return false;
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Starts `args` (a Node script), waits until `ready` is on its stderr and it has `children`
 * descendants, sends `signal`, and returns how it exited and which of those processes still run.
 */
async function interrupt(args: string[], ready: string, children: number, signal: NodeJS.Signals) {
  const child = spawn(process.execPath, ["-r", tsNode, ...args], { cwd: repoRoot, env: env(), stdio: ["ignore", "pipe", "pipe"] });
  let stderr = "";
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once("exit", (code, sig) => resolve({ code, signal: sig })),
  );
  let seen: number[] = [];
  for (const started = Date.now(); Date.now() - started < 30000; await sleep(50)) {
    seen = descendants(child.pid as number);
    if (stderr.includes(ready) && seen.length >= children) break;
  }
  child.kill(signal);
  const exit = await exited;
  let left = seen;
  for (const stopped = Date.now(); Date.now() - stopped < 5000 && left.length > 0; await sleep(100)) left = left.filter(alive);
  return { exit, seen, left, stderr };
}

const linux = fs.existsSync("/proc/self/stat") ? describe : describe.skip;

linux("stopping the plan and the bench leaves no process behind", () => {
  it("SIGTERM to the plan stops the policy pack it started", async () => {
    const { exit, seen, left, stderr } = await interrupt([planScript], "running the program under mocks", 1, "SIGTERM");
    expect(seen.length).toBeGreaterThan(0); // the pack was running
    expect(left).toEqual([]);
    expect(exit).toEqual({ code: 143, signal: null });
    expect(stderr).toContain("plan: stopped (SIGTERM)");
    expect(stderr).not.toContain("    at ");
  });

  it("SIGINT to the bench stops the measured run and its children, and writes no results", async () => {
    const results = path.join(repoRoot, "bench", "results.json");
    const before = fs.existsSync(results) ? fs.readFileSync(results, "utf8") : undefined;
    const { exit, seen, left, stderr } = await interrupt([path.join(repoRoot, "bench", "run.ts")], "bench:", 1, "SIGINT");
    expect(seen.length).toBeGreaterThan(0);
    expect(left).toEqual([]);
    expect(exit).toEqual({ code: 130, signal: null });
    expect(stderr).toContain("bench: stopped (SIGINT); results.json not written");
    expect(fs.existsSync(results) ? fs.readFileSync(results, "utf8") : undefined).toEqual(before);
  });
});

describe("bench CLI", () => {
  it("--help answers at once instead of starting the bench", () => {
    const help = spawnSync(process.execPath, ["-r", tsNode, path.join(repoRoot, "bench", "run.ts"), "--help"], {
      cwd: repoRoot,
      encoding: "utf8",
      timeout: 20000,
    });
    expect(help.status).toBe(0);
    expect(help.stdout).toContain("Usage: bench [options]");
    expect(help.stdout).toContain("--with-tests");
    expect(help.stderr).not.toContain("bench: 8 cases");
  });

  it("refuses an unknown option in one line, exit 2", () => {
    const run = spawnSync(process.execPath, ["-r", tsNode, path.join(repoRoot, "bench", "run.ts"), "--with-test"], {
      cwd: repoRoot,
      encoding: "utf8",
      timeout: 20000,
    });
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/^bench: error: unknown option '--with-test' \(Did you mean --with-tests\?\) \(see bench --help\)\n$/);
  });
});

describe("plan CLI: reports are written all or none", () => {
  it("leaves neither reports nor temp files when one write fails after the checks passed", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "plan-cli-atomic-"));
    try {
      fs.writeFileSync(path.join(dir, "dev.md"), "old report\n");
      fs.mkdirSync(path.join(dir, "gone"));
      const reports = [
        { output: checkOutput(path.join(dir, "dev.md"), "--format markdown"), text: "new report\n" },
        { output: checkOutput(path.join(dir, "gone", "dev.sarif"), "--format sarif"), text: "{}\n" },
      ];
      fs.rmdirSync(path.join(dir, "gone")); // vanishes between the checks and the writes
      expect(() => writeReports(reports)).toThrow(/cannot write .*dev\.sarif: no such file or directory; no report was written/);
      expect(filesUnder(dir)).toEqual(["dev.md"]);
      expect(fs.readFileSync(path.join(dir, "dev.md"), "utf8")).toBe("old report\n");

      fs.mkdirSync(path.join(dir, "gone"));
      expect(writeReports(reports)).toEqual([path.join(dir, "dev.md"), path.join(dir, "gone", "dev.sarif")]);
      expect(filesUnder(dir)).toEqual(["dev.md", "gone", path.join("gone", "dev.sarif")]);
      expect(fs.readFileSync(path.join(dir, "dev.md"), "utf8")).toBe("new report\n");
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
