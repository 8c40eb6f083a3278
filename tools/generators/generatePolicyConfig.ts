import * as fs from "fs";
import * as path from "path";
import { checkableScript } from "../scriptHelp";
import { PolicyConfigError } from "../gate/policyConfig";
import { ProjectSettingsError } from "../engine/projectSettings";
import { StackFileError } from "../engine/stackConfig";
import { packConfigDir, packConfigFor, packConfigText, policyConfigProjects } from "../gate/stackPackConfig";

/**
 * `npm run gen:policy-config [-- --check]`: writes policy/config/<project>.<stack>.json for every
 * Pulumi.<stack>.yaml of the embassy and of bootstrap/ (tools/gate/stackPackConfig.ts), and removes
 * files no stack makes any more. `--check` writes nothing and exits 1 when a file is stale, missing
 * or left over. An invalid stack exits 1 with its problems.
 */

const repoRoot = path.resolve(__dirname, "..", "..");

/** The stacks of a project: its Pulumi.<stack>.yaml files. */
export function stacksOf(projectDir: string): string[] {
  return fs
    .readdirSync(projectDir)
    .map((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1])
    .filter((s): s is string => s !== undefined)
    .sort();
}

/** One generated file: repository-relative path and content. */
export interface GeneratedPackConfig {
  readonly file: string;
  readonly text: string;
}

/** Every file the generator writes, from the stack files as they are now. */
export function generatedPackConfigs(): GeneratedPackConfig[] {
  return policyConfigProjects.flatMap((project) => {
    const projectDir = path.join(repoRoot, project);
    return stacksOf(projectDir).map((stack) => {
      const generated = packConfigFor(projectDir, stack);
      return { file: path.relative(repoRoot, generated.file), text: packConfigText(generated.config) };
    });
  });
}

/** Generated files present in policy/config/ that no stack makes (repository-relative). */
export function leftoverPackConfigs(generated: readonly GeneratedPackConfig[]): string[] {
  if (!fs.existsSync(packConfigDir)) return [];
  const made = new Set(generated.map((g) => g.file));
  return fs
    .readdirSync(packConfigDir)
    .filter((f) => f.endsWith(".json"))
    .map((f) => path.relative(repoRoot, path.join(packConfigDir, f)))
    .filter((f) => !made.has(f));
}

function main(argv: string[]): number {
  const { exit, check } = checkableScript(
    "gen:policy-config",
    "Writes policy/config/<project>.<stack>.json, the policy pack config of every stack of the embassy and of bootstrap/,\n" +
      "from the stack's validated settings; the offline plan and the workflows' pulumi preview/up read it.",
    "write nothing; exit 1 if a file is stale, missing or left over",
    argv,
  );
  if (exit !== undefined) return exit;
  let generated: GeneratedPackConfig[];
  try {
    generated = generatedPackConfigs();
  } catch (err) {
    if (err instanceof ProjectSettingsError || err instanceof StackFileError || err instanceof PolicyConfigError) {
      process.stderr.write(`gen:policy-config: ${err.message}\n`);
      return 1;
    }
    throw err;
  }
  const read = (file: string) => (fs.existsSync(path.join(repoRoot, file)) ? fs.readFileSync(path.join(repoRoot, file), "utf8") : undefined);
  const changed = generated.filter((g) => read(g.file) !== g.text);
  const leftover = leftoverPackConfigs(generated);
  if (check) {
    for (const g of changed) process.stderr.write(`${g.file} is ${read(g.file) === undefined ? "missing" : "stale"}\n`);
    for (const file of leftover) process.stderr.write(`${file} belongs to no stack\n`);
    if (changed.length + leftover.length > 0) {
      process.stderr.write("run `npm run gen:policy-config` and commit the result\n");
      return 1;
    }
    return 0;
  }
  fs.mkdirSync(packConfigDir, { recursive: true });
  for (const g of changed) fs.writeFileSync(path.join(repoRoot, g.file), g.text);
  for (const file of leftover) fs.rmSync(path.join(repoRoot, file));
  process.stdout.write(
    `${generated.length} pack configs in ${path.relative(repoRoot, packConfigDir)}: ${changed.length} written, ${leftover.length} removed\n`,
  );
  return 0;
}

if (require.main === module) process.exitCode = main(process.argv);
