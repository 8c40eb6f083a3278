import { ChildProcess, spawn } from "child_process";
import { createHash } from "crypto";
import { createRequire } from "module";
import type * as analyzerPb from "@pulumi/pulumi/proto/analyzer_pb";
import { controls, controlsById, Severity } from "../../catalog/controls";
import type { Capture, CapturedResource } from "../engine/capture";
import { defaultPackDir, ensurePackBuilt, packLaunch, PackStack } from "./policyPack";
import { PackConfigFile, PolicyDeclaration, resolvePackConfig, ResolvedPolicyConfig } from "./policyConfig";
import type { ControlResult, ControlStatus, EnforcementLevel, PolicyReport, PolicyViolation } from "./policyResults";

/**
 * The offline policy runner: runs the policy pack the way `pulumi preview --policy-pack` does. It
 * starts the pack's program (which prints the port of its analyzer gRPC server), then speaks
 * Pulumi's Analyzer protocol to it: `GetAnalyzerInfo`, `Configure` (policy pack config),
 * `ConfigureStack`, `Analyze` for every resource and `AnalyzeStack` for the whole capture. The
 * rules run only inside the pack; this file only translates the capture and the answers.
 */

// The generated stubs must use the same grpc-js instance as @pulumi/pulumi does.
const pulumiRequire = createRequire(require.resolve("@pulumi/pulumi/package.json"));
const grpc = pulumiRequire("@grpc/grpc-js") as typeof import("@grpc/grpc-js");
const pb = pulumiRequire("./proto/analyzer_pb") as typeof analyzerPb;
const rpc = pulumiRequire("./proto/analyzer_grpc_pb") as {
  AnalyzerClient: new (address: string, credentials: unknown, options?: object) => AnalyzerClient;
};
const { Struct } = pulumiRequire("google-protobuf/google/protobuf/struct_pb") as typeof import("google-protobuf/google/protobuf/struct_pb");
const { Empty } = pulumiRequire("google-protobuf/google/protobuf/empty_pb") as typeof import("google-protobuf/google/protobuf/empty_pb");

type Callback<T> = (err: Error | null, response: T) => void;
interface AnalyzerClient {
  getAnalyzerInfo(req: unknown, cb: Callback<analyzerPb.AnalyzerInfo>): void;
  configure(req: analyzerPb.ConfigureAnalyzerRequest, cb: Callback<unknown>): void;
  configureStack(req: analyzerPb.AnalyzerStackConfigureRequest, cb: Callback<unknown>): void;
  analyze(req: analyzerPb.AnalyzeRequest, cb: Callback<analyzerPb.AnalyzeResponse>): void;
  analyzeStack(req: analyzerPb.AnalyzeStackRequest, cb: Callback<analyzerPb.AnalyzeResponse>): void;
  close(): void;
}

const call = <T>(invoke: (cb: Callback<T>) => void): Promise<T> =>
  new Promise((resolve, reject) => invoke((err, response) => (err ? reject(err) : resolve(response))));

const levelNames: Record<number, EnforcementLevel> = {
  [pb.EnforcementLevel.ADVISORY]: "advisory",
  [pb.EnforcementLevel.MANDATORY]: "mandatory",
  [pb.EnforcementLevel.DISABLED]: "disabled",
  [pb.EnforcementLevel.REMEDIATE]: "remediate",
};
const levelValues = Object.fromEntries(Object.entries(levelNames).map(([k, v]) => [v, Number(k)])) as Record<EnforcementLevel, number>;
const severityNames: Record<number, Severity | undefined> = {
  [pb.PolicySeverity.POLICY_SEVERITY_LOW]: "low",
  [pb.PolicySeverity.POLICY_SEVERITY_MEDIUM]: "medium",
  [pb.PolicySeverity.POLICY_SEVERITY_HIGH]: "high",
  [pb.PolicySeverity.POLICY_SEVERITY_CRITICAL]: "critical",
};

/** Where the pack is and how long it may take to start. */
export interface RunnerOptions {
  /** Directory of the policy pack (PulumiPolicy.yaml, package.json, its built `main`). Default: policy/. */
  packDir?: string;
  /** The stack the pack is started for, told to it as the CLI tells it (environment variables). */
  stack?: PackStack;
  /** Give up waiting for the pack's port after this many milliseconds. Default 30 s. */
  startTimeoutMs?: number;
  /**
   * Reuse the pack's answer to an `Analyze` request identical (same bytes, same pack and stack
   * config) to one sent before, instead of asking again. For callers that analyze many captures
   * differing in a few resources (the mutation tests); sound because the pack's resource policies
   * are pure functions of what the request carries. `AnalyzeStack` is always sent.
   */
  reuseAnswers?: boolean;
}

/** What one pass analyzes besides the capture. */
export interface AnalyzeOptions {
  /** The stack config the program ran with (namespaced keys, CLI string values), sent to `ConfigureStack` as the CLI sends it. */
  stackConfig?: Readonly<Record<string, string>>;
  /**
   * Policy pack config (the CLI's `--policy-pack-config` format): the only source of the policies'
   * properties, e.g. a stack's generated file (tools/gate/stackPackConfig.ts `packConfigFor`).
   */
  packConfig?: PackConfigFile;
}

/** What `GetAnalyzerInfo` says about a pack. */
export interface PackInfo {
  readonly name: string;
  readonly version: string;
  readonly policies: readonly PolicyDeclaration[];
}

/** Go-style durations in captured custom timeouts (`1h30m`, `90s`) in seconds. */
function seconds(duration: string | undefined): number {
  if (duration === undefined) return 0;
  const units: Record<string, number> = { h: 3600, m: 60, s: 1, ms: 0.001 };
  let total = 0;
  for (const [, value, unit] of duration.matchAll(/(\d+(?:\.\d+)?)(ms|h|m|s)/g)) total += Number(value) * units[unit];
  return total;
}

function options(resource: CapturedResource): analyzerPb.AnalyzerResourceOptions {
  const opts = new pb.AnalyzerResourceOptions();
  opts.setProtect(resource.options.protect);
  opts.setIgnorechangesList(resource.options.ignoreChanges);
  if (resource.parent !== undefined) opts.setParent(resource.parent);
  const timeouts = resource.options.customTimeouts;
  if (timeouts !== undefined) {
    const t = new pb.AnalyzerResourceOptions.CustomTimeouts();
    t.setCreate(seconds(timeouts.create));
    t.setUpdate(seconds(timeouts.update));
    t.setDelete(seconds(timeouts.delete));
    opts.setCustomtimeouts(t);
  }
  return opts;
}

// Provider resources are configuration, not infrastructure: the CLI does not analyze them.
const analyzed = (capture: Capture) => capture.resources.filter((r) => !r.type.startsWith("pulumi:providers:"));

/** A resource's properties and options as the analyzer protocol carries them, converted once per pass. */
interface WireResource {
  readonly resource: CapturedResource;
  readonly properties: InstanceType<typeof Struct>;
  readonly options: analyzerPb.AnalyzerResourceOptions;
}

const toWire = (resource: CapturedResource): WireResource => ({
  resource,
  properties: Struct.fromJavaScript(resource.inputs as Record<string, never>),
  options: options(resource),
});

/** The fields `AnalyzeRequest` and `AnalyzerResource` share. */
interface ResourceMessage {
  setType(value: string): unknown;
  setUrn(value: string): unknown;
  setName(value: string): unknown;
  setProperties(value?: InstanceType<typeof Struct>): unknown;
  setOptions(value?: analyzerPb.AnalyzerResourceOptions): unknown;
}

function fill<M extends ResourceMessage>(message: M, { resource, properties, options }: WireResource): M {
  message.setType(resource.type);
  message.setUrn(resource.urn);
  message.setName(resource.name);
  message.setProperties(properties);
  message.setOptions(options);
  return message;
}

const analyzeRequest = (wire: WireResource) => fill(new pb.AnalyzeRequest(), wire);

function stackResource(wire: WireResource): analyzerPb.AnalyzerResource {
  const r = fill(new pb.AnalyzerResource(), wire);
  if (wire.resource.parent !== undefined) r.setParent(wire.resource.parent);
  r.setDependenciesList(wire.resource.dependencies);
  return r;
}

/** A pack's analyzer, started once and used for any number of passes. */
export class PolicyRunner {
  /** Answers to earlier `Analyze` requests, by request and config (only with `reuseAnswers`). */
  private readonly answers?: Map<string, Promise<analyzerPb.AnalyzeResponse>>;

  private constructor(
    private readonly child: ChildProcess,
    private readonly client: AnalyzerClient,
    private readonly exited: Promise<void>,
    reuseAnswers: boolean,
  ) {
    if (reuseAnswers) this.answers = new Map();
  }

  /**
   * Starts the pack exactly as the Pulumi CLI does ({@link packLaunch}), after making sure its
   * JavaScript is built from the current sources, and connects to the port it prints.
   */
  static async start(runnerOptions: RunnerOptions = {}): Promise<PolicyRunner> {
    const packDir = runnerOptions.packDir ?? defaultPackDir;
    ensurePackBuilt(packDir);
    const launch = packLaunch(packDir, runnerOptions.stack);
    const child = spawn(launch.command, [...launch.args], {
      cwd: launch.cwd,
      env: { ...process.env, ...launch.env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    let stderr = "";
    child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const port = await new Promise<number>((resolve, reject) => {
      let stdout = "";
      const fail = (why: string) => {
        clearTimeout(timer);
        child.kill();
        reject(new Error(`policy pack in ${packDir} ${why}${stderr ? `:\n${stderr.trim()}` : ""}`));
      };
      const timer = setTimeout(() => fail("printed no port in time"), runnerOptions.startTimeoutMs ?? 30000);
      const early = (code: number | null) => fail(`exited (code ${code}) before printing its port`);
      child.once("error", (err) => fail(`could not start (${err.message})`));
      child.once("close", early);
      child.stdout?.on("data", (chunk: Buffer) => {
        stdout += chunk.toString();
        const line = stdout.split("\n").find((l) => /^\d+$/.test(l.trim()));
        if (line !== undefined) {
          clearTimeout(timer);
          child.off("close", early);
          resolve(Number(line.trim()));
        }
      });
    });
    const client = new rpc.AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure(), {
      "grpc.max_receive_message_length": 400 * 1024 * 1024,
    });
    return new PolicyRunner(child, client, exited, runnerOptions.reuseAnswers === true);
  }

  private described?: Promise<PackInfo>;

  /** The pack's name, version and policies, as the CLI sees them (asked once). */
  info(): Promise<PackInfo> {
    this.described ??= this.describe();
    return this.described;
  }

  private async describe(): Promise<PackInfo> {
    const info = await call<analyzerPb.AnalyzerInfo>((cb) => this.client.getAnalyzerInfo(new Empty(), cb));
    return {
      name: info.getName(),
      version: info.getVersion(),
      policies: info.getPoliciesList().map((p) => ({
        name: p.getName(),
        enforcementLevel: levelNames[p.getEnforcementlevel()],
        configProperties: Object.keys(p.getConfigschema()?.getProperties()?.toJavaScript() ?? {}),
      })),
    };
  }

  private async configure(config: Map<string, ResolvedPolicyConfig>): Promise<void> {
    const req = new pb.ConfigureAnalyzerRequest();
    for (const [name, resolved] of config) {
      const policyConfig = new pb.PolicyConfig();
      policyConfig.setEnforcementlevel(levelValues[resolved.enforcementLevel]);
      policyConfig.setProperties(Struct.fromJavaScript(resolved.properties as Record<string, never>));
      req.getPolicyconfigMap().set(name, policyConfig);
    }
    await call((cb) => this.client.configure(req, cb));
  }

  private async configureStack(capture: Capture, stackConfig: Readonly<Record<string, string>>): Promise<void> {
    const req = new pb.AnalyzerStackConfigureRequest();
    req.setStack(capture.stack);
    req.setProject(capture.project);
    req.setOrganization("organization");
    req.setDryRun(true);
    for (const [key, value] of Object.entries(stackConfig)) req.getConfigMap().set(key, value);
    req.getTagsMap().set("pulumi:project", capture.project);
    req.getTagsMap().set("pulumi:runtime", "nodejs");
    await call((cb) => this.client.configureStack(req, cb));
  }

  /** Runs every policy over a capture: `Analyze` per resource, then `AnalyzeStack`. */
  async analyze(capture: Capture, analyzeOptions: AnalyzeOptions = {}): Promise<PolicyReport> {
    const info = await this.info();
    const stackConfig = analyzeOptions.stackConfig ?? {};
    const config = resolvePackConfig(info.policies, analyzeOptions.packConfig ?? {});
    await this.configure(config);
    await this.configureStack(capture, stackConfig);

    const resources = analyzed(capture);
    const configKey = JSON.stringify([[...config], stackConfig, capture.project, capture.stack]);
    const wire = resources.map(toWire);
    const stackReq = new pb.AnalyzeStackRequest();
    stackReq.setResourcesList(wire.map(stackResource));
    // Both kinds of call at once: the pack's answers do not depend on their order.
    const [responses, stackResponse] = await Promise.all([
      Promise.all(wire.map(async (w) => ({ r: w.resource, response: await this.analyzeResource(analyzeRequest(w), configKey) }))),
      call<analyzerPb.AnalyzeResponse>((cb) => this.client.analyzeStack(stackReq, cb)),
    ]);

    const types = new Map(capture.resources.map((r) => [r.urn, r.type]));
    const violations: PolicyViolation[] = [];
    const collect = (response: analyzerPb.AnalyzeResponse, urn?: string) => {
      for (const d of response.getDiagnosticsList()) {
        const description = d.getDescription();
        const message = description && d.getMessage().startsWith(`${description}\n`) ? d.getMessage().slice(description.length + 1) : d.getMessage();
        const subject = d.getUrn() || urn;
        violations.push({
          controlId: controlsById.has(d.getPolicyname()) ? d.getPolicyname() : undefined,
          policyName: d.getPolicyname(),
          urn: subject,
          resourceType: subject === undefined ? undefined : types.get(subject),
          message,
          enforcementLevel: levelNames[d.getEnforcementlevel()],
          severity: severityNames[d.getSeverity()],
        });
      }
    };
    responses.forEach(({ r, response }) => collect(response, r.urn));
    collect(stackResponse);

    // A policy is not applicable if every call that could have run it said so.
    const notApplicable = new Map<string, number>();
    for (const response of [...responses.map((x) => x.response), stackResponse]) {
      for (const na of response.getNotApplicableList()) notApplicable.set(na.getPolicyName(), (notApplicable.get(na.getPolicyName()) ?? 0) + 1);
    }
    const stackPolicies = new Set(stackResponse.getNotApplicableList().map((na) => na.getPolicyName()));
    const status = (name: string, level: EnforcementLevel, count: number): ControlStatus => {
      if (level === "disabled") return "disabled";
      if (count > 0) return "fail";
      const skipped = notApplicable.get(name) ?? 0;
      return stackPolicies.has(name) || (resources.length > 0 && skipped >= resources.length) ? "not-applicable" : "pass";
    };
    const results: ControlResult[] = controls.map((c) => {
      const enforcementLevel = config.get(c.id)?.enforcementLevel ?? "mandatory";
      const count = violations.filter((v) => v.policyName === c.id).length;
      return {
        controlId: c.id,
        title: c.title,
        severity: c.severity,
        area: c.area,
        cis: c.cis,
        azurePolicy: c.azurePolicy.map((p) => p.guid),
        enforcementLevel,
        status: status(c.id, enforcementLevel, count),
        violations: count,
      };
    });
    return {
      pack: { name: info.name, version: info.version },
      controls: results,
      violations,
      summary: {
        mandatory: violations.filter((v) => v.enforcementLevel === "mandatory").length,
        advisory: violations.filter((v) => v.enforcementLevel === "advisory").length,
        passed: results.filter((r) => r.status === "pass").length,
        failed: results.filter((r) => r.status === "fail").length,
        notApplicable: results.filter((r) => r.status === "not-applicable").length,
      },
    };
  }

  private analyzeResource(req: analyzerPb.AnalyzeRequest, configKey: string): Promise<analyzerPb.AnalyzeResponse> {
    const ask = () => call<analyzerPb.AnalyzeResponse>((cb) => this.client.analyze(req, cb));
    if (this.answers === undefined) return ask();
    const key = createHash("sha256").update(configKey).update(req.serializeBinary()).digest("base64");
    let answer = this.answers.get(key);
    if (answer === undefined) {
      answer = ask();
      this.answers.set(key, answer);
      answer.catch(() => this.answers?.delete(key)); // a failed call is asked again next time
    }
    return answer;
  }

  /** Disconnects and stops the pack's process. */
  async close(): Promise<void> {
    this.client.close();
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill();
    await this.exited;
  }
}

/** One pass: start the pack, analyze the capture, stop the pack. */
export async function runPolicyPack(capture: Capture, analyzeOptions: AnalyzeOptions = {}, runnerOptions: RunnerOptions = {}): Promise<PolicyReport> {
  const runner = await PolicyRunner.start(runnerOptions);
  try {
    return await runner.analyze(capture, analyzeOptions);
  } finally {
    await runner.close();
  }
}
