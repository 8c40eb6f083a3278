import * as fs from "fs";
import { createRequire } from "module";
import * as path from "path";
import { transformSync } from "@swc/core";

/** Compiled project files, shared by all loaders of the process; a changed source is compiled again. */
const compiled = new Map<string, { source: string; code: string }>();

/**
 * Loads the project's own TypeScript modules afresh for every stack run (each run needs a new
 * program), while packages come from the ordinary Node module cache and are shared by the engine
 * and the program — so `setMocks` and the program see the same `@pulumi/pulumi`, under jest too.
 * Transpile-only, like the CLI with `transpileOnly`; type checking is `tsc --noEmit`.
 *
 * Project code is compiled with the `Function` constructor of the realm `@pulumi/pulumi` lives in:
 * the SDK tests `value instanceof Array`, so the program's literals must come from its realm (under
 * jest, packages load in the test's realm, not Node's main one).
 */
export class ProjectLoader {
  /** `require` for packages, resolved from the project root. */
  readonly hostRequire: NodeRequire;
  private readonly realmFunction: FunctionConstructor;

  /**
   * @param projectDir the Pulumi project (holds Pulumi.yaml); entries are resolved from here.
   * @param sourceRoot where project sources may live: relative imports inside it are loaded
   *   afresh, like the project's own files. A program in a sub-folder of the package (bootstrap/)
   *   shares the package's sources (`../components/naming`), as ts-node would compile them.
   */
  constructor(
    readonly projectDir: string,
    readonly sourceRoot: string = projectDir,
  ) {
    this.hostRequire = createRequire(path.join(projectDir, "package.json"));
    const pulumi = this.hostRequire("@pulumi/pulumi") as { output: unknown };
    this.realmFunction = Object.getPrototypeOf(pulumi.output).constructor as FunctionConstructor;
  }

  /** Loads `entries` (project-relative .ts files) in one fresh module registry; returns their exports. */
  load(...entries: string[]): unknown[] {
    const registry = new Map<string, { exports: unknown }>();
    return entries.map((entry) => this.loadFile(path.resolve(this.projectDir, entry), registry));
  }

  private isProjectSource(file: string): boolean {
    const relative = path.relative(this.sourceRoot, file);
    return file.endsWith(".ts") && !relative.startsWith("..") && !relative.split(path.sep).includes("node_modules");
  }

  private resolveProjectFile(fromDir: string, spec: string): string | undefined {
    const base = path.resolve(fromDir, spec);
    return [base, `${base}.ts`, path.join(base, "index.ts")].find(
      (candidate) => this.isProjectSource(candidate) && fs.existsSync(candidate) && fs.statSync(candidate).isFile(),
    );
  }

  private compile(file: string): string {
    const source = fs.readFileSync(file, "utf8");
    const cached = compiled.get(file);
    if (cached?.source === source) return cached.code;
    const { code } = transformSync(source, {
      filename: file,
      module: { type: "commonjs" },
      jsc: { parser: { syntax: "typescript" }, target: "es2022" },
      sourceMaps: false,
    });
    compiled.set(file, { source, code });
    return code;
  }

  private loadFile(file: string, registry: Map<string, { exports: unknown }>): unknown {
    const cached = registry.get(file);
    if (cached !== undefined) {
      return cached.exports;
    }
    const module = { exports: {} as unknown };
    registry.set(file, module);
    const dir = path.dirname(file);
    const fileRequire = createRequire(file);
    const localRequire = (spec: string): unknown => {
      if (spec.startsWith(".") || path.isAbsolute(spec)) {
        const resolved = this.resolveProjectFile(dir, spec);
        if (resolved !== undefined) {
          return this.loadFile(resolved, registry);
        }
      }
      return fileRequire(spec);
    };
    const wrapper = new this.realmFunction("exports", "require", "module", "__filename", "__dirname", `${this.compile(file)}\n//# sourceURL=${file}`);
    wrapper(module.exports, localRequire, module, file, dir);
    return module.exports;
  }
}
