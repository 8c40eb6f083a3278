import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parse } from "yaml";
import { regions } from "../catalog/regions";
import { configNamespace, rawSettings, validateSettings } from "../settings";
import { commentMarker } from "../tools/reports/prComment";
import { formatSarif } from "../tools/reports/sarif";
import { stacksOf } from "../tools/generators/generatePolicyConfig";
import { readStackConfig } from "../tools/engine/stackConfig";
import { packConfigPath } from "../tools/gate/stackPackConfig";

/**
 * The GitHub workflows: valid YAML of the shape Actions expects, actions pinned to full commit SHAs
 * with their version, every script and flag they call present in this repository, OIDC instead of
 * stored secrets, no expression pasted into a shell, and the stack discovery they share working.
 */

const repoRoot = path.resolve(__dirname, "..");
const workflowDir = path.join(repoRoot, ".github", "workflows");
const files = fs.readdirSync(workflowDir).filter((f) => f.endsWith(".yml"));

interface Step {
  id?: string;
  name?: string;
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
  if?: string;
  "continue-on-error"?: boolean;
}
interface Job {
  "runs-on": string;
  needs?: string | string[];
  if?: string;
  environment?: string;
  permissions?: Record<string, string>;
  strategy?: { "max-parallel"?: number; "fail-fast"?: boolean; matrix: unknown };
  outputs?: Record<string, string>;
  env?: Record<string, string>;
  steps: Step[];
}
interface Workflow {
  name: string;
  on: Record<string, unknown>;
  permissions: Record<string, string>;
  jobs: Record<string, Job>;
}

const text = (file: string) => fs.readFileSync(path.join(workflowDir, file), "utf8");
const load = (file: string) => parse(text(file), { uniqueKeys: true, strict: true }) as Workflow;
const steps = (wf: Workflow) => Object.values(wf.jobs).flatMap((j) => j.steps);
const runs = (wf: Workflow) => steps(wf).flatMap((s) => (s.run === undefined ? [] : [s.run]));
const step = (job: Job, action: string) => job.steps.find((s) => s.uses?.startsWith(`${action}@`));

const packageJson = JSON.parse(fs.readFileSync(path.join(repoRoot, "package.json"), "utf8")) as { scripts: Record<string, string> };

describe("GitHub workflows", () => {
  it("are the four the delivery needs", () => {
    expect(files.sort()).toEqual(["deploy.yml", "dr.yml", "drift.yml", "pull-request.yml"]);
  });

  it.each(files)("%s is a workflow Actions can load: triggers, least-privilege permissions, jobs with steps", (file) => {
    const wf = load(file);
    expect(typeof wf.name).toBe("string");
    expect(Object.keys(wf.on).length).toBeGreaterThan(0);
    expect(wf.permissions).toEqual({ contents: "read" });
    for (const [id, job] of Object.entries(wf.jobs)) {
      expect([id, typeof job["runs-on"]]).toEqual([id, "string"]);
      expect(job.steps.length).toBeGreaterThan(0);
      for (const s of job.steps) expect([id, [s.uses, s.run].filter((x) => x !== undefined).length]).toEqual([id, 1]);
      for (const need of [job.needs ?? []].flat()) expect(Object.keys(wf.jobs)).toContain(need);
    }
  });

  it("pin every action to a full commit SHA with its version, the same pin everywhere", () => {
    const pins = new Map<string, Set<string>>();
    for (const file of files) {
      for (const line of text(file)
        .split("\n")
        .filter((l) => /^\s*(- )?uses:/.test(l))) {
        const m = line.match(/uses:\s*([\w.-]+\/[\w.-]+(?:\/[\w./-]+)?)@([0-9a-f]{40}) # v\d+\.\d+\.\d+$/);
        expect([file, line.trim(), m !== null]).toEqual([file, line.trim(), true]);
        const action = (m as RegExpMatchArray)[1];
        pins.set(action, new Set([...(pins.get(action) ?? []), line.slice(line.indexOf("@"))]));
      }
    }
    for (const [action, refs] of pins) expect([action, refs.size]).toEqual([action, 1]);
    expect([...pins.keys()].sort()).toEqual(
      [
        "actions/checkout",
        "actions/download-artifact",
        "actions/github-script",
        "actions/setup-node",
        "actions/upload-artifact",
        "azure/login",
        "github/codeql-action/upload-sarif",
        "pulumi/actions",
      ].sort(),
    );
  });

  it("call only npm scripts, lock files and plan options that exist", () => {
    const help = spawnSync(process.execPath, ["-r", "ts-node/register/transpile-only", "tools/plan.ts", "--help"], { cwd: repoRoot, encoding: "utf8" });
    expect(help.status).toBe(0);
    for (const file of files) {
      for (const script of runs(load(file))) {
        for (const [, name] of script.matchAll(/npm run (?:-s )?([\w:-]+)/g)) expect([file, name, name in packageJson.scripts]).toEqual([file, name, true]);
        if (/\bnpm test\b/.test(script)) expect(packageJson.scripts.test).toBeDefined();
        for (const line of script.split("\n").filter((l) => /\bnpm ci\b/.test(l))) {
          const prefix = line.match(/--prefix ([\w./-]+)/)?.[1] ?? ".";
          expect([file, prefix, fs.existsSync(path.join(repoRoot, prefix, "package-lock.json"))]).toEqual([file, prefix, true]);
        }
        for (const line of script.split("\n").filter((l) => /npm run plan|args(\+)?=\(/.test(l))) {
          for (const [flag] of line.matchAll(/--[a-z][a-z-]+/g)) {
            if (["--no-audit", "--no-fund", "--prefix"].includes(flag)) continue;
            expect([file, flag, help.stdout.includes(flag)]).toEqual([file, flag, true]);
          }
        }
      }
      for (const s of steps(load(file)).filter((x) => x.with?.policyPacks !== undefined)) {
        expect(fs.existsSync(path.join(repoRoot, String(s.with?.policyPacks), "PulumiPolicy.yaml"))).toBe(true);
      }
    }
  });

  it("give every live policy step (policyPacks) the stack's generated pack config, the file the offline plan reads", () => {
    const stacks = stacksOf(repoRoot);
    let checked = 0;
    for (const file of files) {
      for (const s of steps(load(file)).filter((x) => x.with?.policyPacks !== undefined)) {
        const stackName = String(s.with?.["stack-name"]);
        // The path the plan reads for this stack, with the step's stack name (an expression or a name) in it.
        const expected = path.relative(repoRoot, packConfigPath(configNamespace, stackName));
        expect([file, s.with?.policyPackConfigs]).toEqual([file, expected]);
        for (const stack of stackName.startsWith("${{") ? stacks : [stackName]) {
          expect([file, stack, fs.existsSync(packConfigPath(configNamespace, stack))]).toEqual([file, stack, true]);
        }
        checked += 1;
      }
      // A CLI call (drift.yml runs `pulumi preview` itself): the same file, by the step's $STACK.
      for (const s of steps(load(file)).filter((x) => x.run?.includes("--policy-pack ") === true)) {
        expect([file, s.run?.match(/--policy-pack-config "([^"]+)"/)?.[1]]).toEqual([file, path.relative(repoRoot, packConfigPath(configNamespace, "$STACK"))]);
        for (const stack of stacks) expect([file, stack, fs.existsSync(packConfigPath(configNamespace, stack))]).toEqual([file, stack, true]);
        checked += 1;
      }
    }
    // Five before register-shard stacks, and deploy.yml up-shards.
    expect(checked).toBe(6);
  });

  it("log in to Azure by OIDC only: no stored secrets, id-token only where azure/login runs", () => {
    for (const file of files) {
      expect([file, text(file).match(/secrets\.\w+/g) ?? []]).toEqual([file, []]);
      for (const [id, job] of Object.entries(load(file).jobs)) {
        const login = step(job, "azure/login");
        expect([file, id, job.permissions?.["id-token"] === "write"]).toEqual([file, id, login !== undefined]);
        if (login !== undefined) {
          expect(Object.keys(login.with ?? {}).sort()).toEqual(["client-id", "subscription-id", "tenant-id"]);
          expect(String(login.with?.["client-id"])).toMatch(/^\$\{\{ vars\.AZURE_(READER_)?CLIENT_ID \}\}$/);
          expect(job.env?.ARM_USE_OIDC).toBe("true");
        }
      }
    }
  });

  it("never paste an expression into a shell or script: data reaches them through the environment", () => {
    for (const file of files) {
      const wf = load(file);
      for (const s of steps(wf)) {
        expect([file, s.name ?? s.uses ?? s.run?.slice(0, 40), `${s.run ?? ""}${String(s.with?.script ?? "")}`.includes("${{")]).toEqual([
          file,
          s.name ?? s.uses ?? s.run?.slice(0, 40),
          false,
        ]);
      }
    }
  });

  describe("pull-request.yml", () => {
    const wf = load("pull-request.yml");

    it("checks, then plans every stack offline against the base branch and uploads SARIF", () => {
      expect(wf.on).toEqual({ pull_request: { branches: ["main"] } });
      expect(runs({ ...wf, jobs: { check: wf.jobs.check } })).toEqual(expect.arrayContaining(["npm run typecheck", "npm run lint", "npm test"]));
      const plan = wf.jobs.plan;
      expect(plan.strategy?.matrix).toBe("${{ fromJSON(needs.stacks.outputs.plans) }}");
      const base = plan.steps.find((s) => s.with?.path === "base");
      expect(base?.with?.ref).toBe("${{ github.event.pull_request.base.sha }}");
      const planBase = plan.steps.find((s) => s.name === "Plan the base branch");
      expect(planBase).toMatchObject({ "continue-on-error": true, "working-directory": "base" });
      expect(planBase?.run).toContain('--json "$RUNNER_TEMP/base.json"');
      const planHead = plan.steps.find((s) => s.name === "Plan this branch")?.run ?? "";
      for (const format of ["markdown", "sarif", "json"])
        expect(planHead).toContain(`--format "${format}=out/$REPORT.${format === "markdown" ? "md" : format}"`);
      expect(planHead).toContain('--compare "$RUNNER_TEMP/base.json"');
      // The embassy's plans gate on surviving the loss of every region they touch (exit 4 otherwise).
      expect(planHead).toContain('if [ "$PROJECT" = "." ]; then args+=(--lose all); fi');
      expect(step(plan, "github/codeql-action/upload-sarif")?.with?.sarif_file).toBe("out/${{ env.REPORT }}.sarif");
      expect(plan.permissions).toMatchObject({ "security-events": "write" });
    });

    it("uploads each register-shard stack's SARIF to code scanning as the plan job uploads each core's, under a category of its own", () => {
      const shardPlan = wf.jobs["shard-plan"];
      const planRun = shardPlan.steps.find((s) => s.run?.includes("--stack-reference"))?.run ?? "";
      const written = /--stack "\$STACK" .*--format "sarif=(out\/[^"]+\.sarif)"/.exec(planRun)?.[1];
      expect(planRun).toMatch(/ --lose all$/m);
      expect(written).toBe("out/embassy-$STACK.sarif");
      const upload = step(shardPlan, "github/codeql-action/upload-sarif");
      expect(upload?.with?.sarif_file).toBe("out/embassy-${{ matrix.stack }}.sarif");
      // The same guard as the plan job's: not when cancelled, only with a SARIF file, not from forks.
      const guard = (job: Job) => step(job, "github/codeql-action/upload-sarif")?.if?.replace(/hashFiles\([^)]*\)\)/, "hashFiles(…)");
      expect(guard(shardPlan)).toBe(guard(wf.jobs.plan));
      expect(upload?.if).toContain("hashFiles(format('out/embassy-{0}.sarif', matrix.stack))");
      expect(shardPlan.permissions).toEqual(wf.jobs.plan.permissions);
      // Neither upload names a category: each log carries its stack's (runs[].automationDetails.id),
      // so a shard stack's findings never replace its core's in code scanning.
      expect([upload?.with?.category, step(wf.jobs.plan, "github/codeql-action/upload-sarif")?.with?.category]).toEqual([undefined, undefined]);
      const category = (stack: string) =>
        formatSarif({ project: "data-embassy", stack, resources: [], outputs: {}, diagnostics: [] }, []).runs[0].automationDetails.id;
      expect(category("prod-shard1")).toBe("offline-plan/data-embassy/prod-shard1/");
      expect(category("prod-shard1")).not.toBe(category("prod"));
    });

    it("keeps one sticky comment, written by npm run pr-comment from every stack's Markdown report", () => {
      const comment = wf.jobs.comment;
      expect(comment.permissions).toEqual({ contents: "read", "pull-requests": "write" });
      const write = comment.steps.find((s) => s.name === "Write the comment");
      expect(write?.run).toContain('npm run -s pr-comment -- --run-url "$RUN_URL" reports/*.md > "$RUNNER_TEMP/comment.md"');
      // The reports are there before the comment is written, the comment before it is posted.
      const at = (match: (s: Step) => boolean) => comment.steps.findIndex(match);
      expect(at((s) => s.uses?.startsWith("actions/download-artifact@") === true)).toBeLessThan(at((s) => s === write));
      expect(at((s) => s === write)).toBeLessThan(at((s) => s.uses?.startsWith("actions/github-script@") === true));
      const script = String(step(comment, "actions/github-script")?.with?.script);
      expect(script).toContain(`const marker = "${commentMarker}"`);
      expect(script).toContain("comment.md");
      expect(script).toContain("updateComment");
      expect(script).toContain("createComment");
    });

    it("puts the register-shard stacks' reports in the same comment: it waits for shard-plan and downloads its reports", () => {
      const comment = wf.jobs.comment;
      expect(comment.needs).toEqual(["plan", "shard-plan"]);
      // Still runs when shard-plan is skipped (no shard stacks) or a plan failed, not when cancelled.
      expect(comment.if).toMatch(/^\$\{\{ !cancelled\(\) && /);
      const download = step(comment, "actions/download-artifact")?.with ?? {};
      expect(download).toMatchObject({ "merge-multiple": true, path: "reports" });
      // The download's glob, as a pattern over artifact names.
      const pattern = new RegExp(
        `^${String(download.pattern)
          .replace(/[.+?^$()|[\]\\]/g, "\\$&")
          .replace(/\*/g, ".*")}$`,
      );
      // One stack, prod-shard1, as each job names it: ${{ matrix.stack }}, ${{ env.X }} and $X in its shell.
      const env: Record<string, string> = { STACK: "prod-shard1", REPORT: "embassy-prod-shard1" };
      const resolve = (value: unknown) =>
        String(value)
          .replace(/\$\{\{ matrix\.stack \}\}/g, env.STACK)
          .replace(/\$\{\{ env\.(\w+) \}\}/g, (_, name: string) => env[name])
          .replace(/\$(\w+)/g, (_, name: string) => env[name]);
      for (const id of ["plan", "shard-plan"]) {
        const job = wf.jobs[id];
        const upload = step(job, "actions/upload-artifact")?.with ?? {};
        expect([id, resolve(upload.name), pattern.test(resolve(upload.name))]).toEqual([id, resolve(upload.name), true]);
        // The job's Markdown report is among the uploaded files, and lands where reports/*.md finds it.
        const markdown = /--format "markdown=(out\/[^"]+\.md)"/.exec(job.steps.map((s) => s.run ?? "").join("\n"))?.[1];
        const written = resolve(markdown);
        const uploaded = new RegExp(
          `^${resolve(upload.path)
            .replace(/[.+?^$()|[\]\\]/g, "\\$&")
            .replace(/\*/g, "[^/]*")}$`,
        );
        expect([id, written, uploaded.test(written)]).toEqual([id, "out/embassy-prod-shard1.md", true]);
      }
    });

    it("runs the real preview with the policy pack only when Azure is configured", () => {
      const preview = wf.jobs.preview;
      expect(preview.if).toContain("vars.AZURE_READER_CLIENT_ID != ''");
      expect(preview.if).toContain("vars.PULUMI_BACKEND_URL != ''");
      expect(step(preview, "pulumi/actions")?.with).toMatchObject({ command: "preview", policyPacks: "policy", "comment-on-pr": true });
      expect(preview.permissions).toMatchObject({ "id-token": "write", "pull-requests": "write" });
    });
  });

  it("deploy.yml: on main, pulumi up per stack, one at a time, behind each stack's environment", () => {
    const wf = load("deploy.yml");
    expect(wf.on).toMatchObject({ push: { branches: ["main"] } });
    const up = wf.jobs.up;
    expect(up.environment).toBe("${{ matrix.stack }}");
    expect(up.strategy).toMatchObject({ "max-parallel": 1, "fail-fast": true });
    expect(step(up, "pulumi/actions")?.with).toMatchObject({ command: "up", policyPacks: "policy" });
    // The offline plan (with its policy gate) runs before Azure is touched.
    expect(up.steps.findIndex((s) => s.run?.includes("npm run plan"))).toBeLessThan(up.steps.findIndex((s) => s.uses?.startsWith("pulumi/actions@")));
  });

  it("drift.yml: nightly preview with refresh; drift (changes proposed) opens an issue, a failed preview is no verdict", () => {
    const wf = load("drift.yml");
    expect(wf.on.schedule).toEqual([{ cron: expect.stringMatching(/^\d+ \d+ \* \* \*$/) }]);
    const job = wf.jobs.drift;
    // The action only installs the CLI: with --expect-no-changes drift and failure share one exit code (pulumi/pulumi#8992).
    expect(step(job, "pulumi/actions")?.with).toBeUndefined();
    const preview = job.steps.find((s) => s.id === "preview");
    expect(preview?.run).toContain('pulumi preview --stack "$STACK" --refresh --json --non-interactive');
    expect(preview?.run).not.toContain("--expect-no-changes");
    expect(preview?.run).toContain('--policy-pack policy --policy-pack-config "policy/config/data-embassy.$STACK.json"');
    expect(preview?.run).toContain("tools/ci/driftVerdict.ts");
    expect(preview?.run).toContain('echo "verdict=$verdict" >> "$GITHUB_OUTPUT"');
    expect(preview?.run).toContain('>> "$GITHUB_STEP_SUMMARY"');
    expect(fs.existsSync(path.join(repoRoot, "tools", "ci", "driftVerdict.ts"))).toBe(true);
    expect(job.permissions).toMatchObject({ issues: "write" });
    const issue = step(job, "actions/github-script");
    expect(issue?.if).toBe("${{ steps.preview.outputs.verdict == 'drift' || steps.preview.outputs.verdict == 'clean' }}");
    const script = String(issue?.with?.script);
    expect(script).toContain("github.rest.issues.create(");
    expect(script).toContain('labels: ["drift"]');
    expect(job.steps.at(-1)).toMatchObject({ name: "Fail on drift or on a failed preview", if: "${{ steps.preview.outputs.verdict != 'clean' }}" });
  });

  it.each(["deploy.yml", "dr.yml"])("%s: the offline plan's report, or why it failed, reaches the job summary; so does a failed pulumi step", (file) => {
    const wf = load(file);
    const planStep = Object.values(wf.jobs)
      .flatMap((j) => j.steps)
      .find((s) => s.run?.includes("tools/ci/plan-to-summary.sh"));
    expect(planStep?.run).toMatch(/tools\/ci\/plan-to-summary\.sh "[^"]+" --stack "\$STACK"/);
    expect(planStep?.run).not.toMatch(/npm run plan/);
    // A DR embassy must survive the loss of every region it touches; a deployment is judged by its pull request's plan.
    if (file === "dr.yml") expect(planStep?.run).toMatch(/ --lose all$/m);
    for (const job of Object.values(wf.jobs)) {
      const pulumi = job.steps.find((s) => s.uses?.startsWith("pulumi/actions@"));
      if (pulumi === undefined) continue;
      const report = job.steps.find((s) => s.if === `\${{ failure() && steps.${pulumi.id}.outcome == 'failure' }}`);
      expect([file, pulumi.id, report?.run]).toEqual([file, pulumi.id, expect.stringContaining('>> "$GITHUB_STEP_SUMMARY"')]);
    }
  });

  it("dr.yml: manual, region chosen among exactly the regions the dr stack's settings accept, plan, preview, then up after approval", () => {
    const wf = load("dr.yml");
    const input = (wf.on.workflow_dispatch as { inputs: Record<string, { type: string; options: string[] }> }).inputs.region;
    expect(input.type).toBe("choice");
    // What the workflow's plan step runs for a region: Pulumi.dr.yaml with hostRegion and azure-native:location overridden,
    // validated as the program validates it (catalog, home country, minDistanceKm, approvedRegions, lost primary and its pair).
    const problemsIn = (region: string) =>
      validateSettings(rawSettings(readStackConfig(repoRoot, "dr", { hostRegion: region, "azure-native:location": region }).values)).problems;
    const accepted = [...regions.keys()].filter((region) => problemsIn(region).length === 0);
    expect(accepted.length).toBeGreaterThan(0);
    expect({
      offeredButRefused: input.options.filter((r) => !accepted.includes(r)).map((r) => [r, problemsIn(r).map((p) => `${p.key}: ${p.message}`)]),
      acceptedButOmitted: accepted.filter((r) => !input.options.includes(r)),
    }).toEqual({ offeredButRefused: [], acceptedButOmitted: [] });
    // ARM names as hostRegion and azure-native:location must both be spelled, each once.
    expect(input.options.filter((r) => !regions.has(r))).toEqual([]);
    expect(new Set(input.options).size).toBe(input.options.length);
    expect(wf.jobs.preview.needs).toBe("plan");
    expect(wf.jobs.up.needs).toBe("preview");
    expect(wf.jobs.up.environment).toBe("dr");
    expect(wf.jobs.preview.environment).toBeUndefined();
    expect(wf.jobs.plan.steps.at(-1)?.run).toContain('--config "hostRegion=$REGION"');
    expect(step(wf.jobs.preview, "pulumi/actions")?.with).toMatchObject({ command: "preview", "stack-name": "dr", policyPacks: "policy" });
    expect(step(wf.jobs.up, "pulumi/actions")?.with).toMatchObject({ command: "up", "stack-name": "dr", policyPacks: "policy" });
  });

  describe("stack discovery", () => {
    let dir: string;
    beforeAll(() => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), "stacks-"));
      fs.mkdirSync(path.join(dir, "bootstrap"));
      for (const f of [
        "Pulumi.yaml",
        "Pulumi.prod.yaml",
        "Pulumi.dr.yaml",
        "Pulumi.dev.yaml",
        "Pulumi.test.yaml",
        "bootstrap/Pulumi.yaml",
        "bootstrap/Pulumi.ee.yaml",
      ]) {
        fs.writeFileSync(path.join(dir, f), "");
      }
      // A register-shard stack of test (docs/scale.md).
      fs.writeFileSync(
        path.join(dir, "Pulumi.test-shard1.yaml"),
        'config:\n  data-embassy:coreStack: "acme/data-embassy/test"\n  data-embassy:firstShard: 1\n',
      );
    });
    afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

    function discover(file: string, cwd = dir): Record<string, unknown> {
      const script = load(file).jobs.stacks.steps.find((s) => s.id === "find")?.run as string;
      const output = path.join(dir, `${file}.out`);
      fs.writeFileSync(output, "");
      const result = spawnSync("bash", ["-e", "-c", script], { cwd, env: { ...process.env, GITHUB_OUTPUT: output }, encoding: "utf8" });
      expect(result.stderr).toBe("");
      return Object.fromEntries(
        fs
          .readFileSync(output, "utf8")
          .trim()
          .split("\n")
          .map((line) => [line.slice(0, line.indexOf("=")), JSON.parse(line.slice(line.indexOf("=") + 1))]),
      );
    }

    it("plans every stack file of both projects and previews the embassy's but dr", () => {
      const { plans, previews } = discover("pull-request.yml");
      expect(plans).toEqual({
        include: [
          { project: ".", stack: "dev" },
          { project: ".", stack: "dr" },
          { project: ".", stack: "prod" },
          { project: ".", stack: "test" },
          { project: "bootstrap", stack: "ee" },
        ],
      });
      expect(previews).toEqual(["dev", "prod", "test"]);
    });

    it("deploys dev first, then prod, then the rest, never dr; drift watches all but dr", () => {
      expect(discover("deploy.yml").stacks).toEqual(["dev", "prod", "test"]);
      // Drift watches register-shard stacks too (a live preview reads the deployed core).
      expect(discover("drift.yml").stacks).toEqual(["dev", "prod", "test-shard1", "test"]);
    });

    it("plans and deploys register-shard stacks after their core, as a matrix of their own", () => {
      const shard = { include: [{ stack: "test-shard1", core: "test", reference: "acme/data-embassy/test" }] };
      expect(discover("pull-request.yml").shards).toEqual(shard);
      expect(discover("deploy.yml").shards).toEqual(shard);
      const plan = load("pull-request.yml").jobs["shard-plan"];
      expect(plan.needs).toEqual(["stacks", "plan"]);
      expect(plan.steps.find((s) => s.run?.includes("--stack-reference"))?.run).toContain('--stack-reference "$REFERENCE=$RUNNER_TEMP/core.json"');
      const up = load("deploy.yml").jobs["up-shards"];
      expect(up.needs).toEqual(["stacks", "up"]);
      expect(up.environment).toBe("${{ matrix.stack }}");
      expect(step(up, "pulumi/actions")?.with).toMatchObject({ command: "up", policyPacks: "policy" });
    });

    it("finds this repository's own stacks", () => {
      const { plans } = discover("pull-request.yml", repoRoot);
      expect((plans as { include: unknown[] }).include).toEqual(
        expect.arrayContaining([
          { project: ".", stack: "dev" },
          { project: "bootstrap", stack: "ee" },
        ]),
      );
    });
  });
});
