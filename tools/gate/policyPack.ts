import { spawnSync } from "child_process";
import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { noArgumentScript } from "../scriptHelp";

/**
 * The policy pack as the Pulumi CLI sees it: a folder with PulumiPolicy.yaml and a package.json
 * whose `main` is the JavaScript that `npm run build` (run by the project's install) writes to
 * bin/. This file keeps bin/ current for the offline tools and says how the CLI starts the pack,
 * so the offline runner starts it the same way.
 */

/** The pack in this repository. */
export const defaultPackDir = path.resolve(__dirname, "..", "..", "policy");

/** File in bin/ holding the hash of the sources the build was made from. */
const stampFile = ".sources.sha256";

/** The pack's build inputs: its own TypeScript and the catalog compiled into it. */
function sourceFiles(packDir: string): string[] {
  const files: string[] = [];
  const walk = (dir: string) => {
    if (!fs.existsSync(dir)) return;
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory() && !["node_modules", "bin"].includes(entry.name)) walk(full);
      else if (entry.isFile() && entry.name.endsWith(".ts")) files.push(full);
    }
  };
  walk(packDir);
  walk(path.join(packDir, "..", "catalog"));
  return [...files, path.join(packDir, "tsconfig.build.json"), path.join(packDir, "package.json")].filter((f) => fs.existsSync(f)).sort();
}

function sourcesHash(packDir: string): string {
  const hash = createHash("sha256");
  for (const file of sourceFiles(packDir)) hash.update(path.relative(packDir, file)).update("\0").update(fs.readFileSync(file)).update("\0");
  return hash.digest("hex");
}

/** The pack's `package.json` `main`, resolved. */
export function packMain(packDir: string): string {
  const { main } = JSON.parse(fs.readFileSync(path.join(packDir, "package.json"), "utf8")) as { main?: string };
  return path.join(packDir, main ?? "index.js");
}

/**
 * Builds the pack unless bin/ was built from exactly the current sources (a content hash, so a
 * checkout or an edit is noticed whatever the file times say). A pack without a build config
 * (a copy of bin/ alone) is taken as it is. Throws with the compiler's output when the build fails.
 */
export function ensurePackBuilt(packDir: string = defaultPackDir): void {
  const config = path.join(packDir, "tsconfig.build.json");
  if (!fs.existsSync(config)) return;
  const stamp = path.join(packDir, "bin", stampFile);
  const want = sourcesHash(packDir);
  if (fs.existsSync(stamp) && fs.readFileSync(stamp, "utf8") === want && fs.existsSync(packMain(packDir))) return;
  const tsc = require.resolve("typescript/bin/tsc", { paths: [packDir] });
  const build = spawnSync(process.execPath, [tsc, "-p", config], { cwd: packDir, encoding: "utf8" });
  if (build.status !== 0) throw new Error(`building the policy pack in ${packDir} failed:\n${(build.stdout + build.stderr).trim()}`);
  fs.writeFileSync(stamp, want);
}

/** The stack a pack is started for: what the CLI tells a pack about the stack being previewed. */
export interface PackStack {
  readonly organization: string;
  readonly project: string;
  readonly stack: string;
  /** The stack's config, namespaced keys to CLI string values. */
  readonly config: Readonly<Record<string, string>>;
}

/** A process launch: program, arguments, working directory and environment. */
export interface PackLaunch {
  readonly command: string;
  readonly args: readonly string[];
  readonly cwd: string;
  readonly env: Readonly<Record<string, string>>;
}

/**
 * How the Pulumi CLI starts a Node.js policy pack (pulumi/pulumi
 * `sdk/nodejs/cmd/pulumi-language-nodejs/main.go`, `RunPlugin` for kind `analyzer`): `node` runs
 * `@pulumi/pulumi/cmd/run-policy-pack` as resolved from the pack's folder, with the engine address
 * and then the pack's folder as arguments, in the pack's folder, with `PULUMI_NODEJS_TYPESCRIPT`
 * when the runtime option `typescript` is true (its default) and the stack's organization,
 * project, stack, dry-run flag and config in `PULUMI_NODEJS_*` / `PULUMI_CONFIG`. Offline there is
 * no engine: the address is a placeholder the pack never dials (run-policy-pack drops it).
 */
export function packLaunch(packDir: string, stack?: PackStack): PackLaunch {
  const runtime = parse(fs.readFileSync(path.join(packDir, "PulumiPolicy.yaml"), "utf8")) as { runtime?: { options?: { typescript?: unknown } } };
  const env: Record<string, string> = {};
  if (runtime.runtime?.options?.typescript !== false) env.PULUMI_NODEJS_TYPESCRIPT = "true";
  if (stack !== undefined) {
    env.PULUMI_NODEJS_ORGANIZATION = stack.organization;
    env.PULUMI_NODEJS_PROJECT = stack.project;
    env.PULUMI_NODEJS_STACK = stack.stack;
    env.PULUMI_NODEJS_DRY_RUN = "true";
    env.PULUMI_CONFIG = JSON.stringify(stack.config);
  }
  const runPolicyPack = require.resolve("@pulumi/pulumi/cmd/run-policy-pack", { paths: [packDir] });
  return { command: process.execPath, args: [runPolicyPack, "127.0.0.1:0", packDir], cwd: packDir, env };
}

// `npm run build:policy` (the project's install runs it).
if (require.main === module) {
  const stop = noArgumentScript("build:policy", "Builds the policy pack's JavaScript (policy/bin) from its TypeScript when the sources changed.", process.argv);
  if (stop === undefined) ensurePackBuilt();
  else process.exitCode = stop;
}
