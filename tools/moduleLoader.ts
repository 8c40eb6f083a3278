import * as fs from "fs";
import { createRequire } from "module";
import * as path from "path";
import * as vm from "vm";
import { transformSync } from "@swc/core";

/**
 * Loads the project's own TypeScript modules afresh for every stack run (each run needs a new
 * program), while packages come from the ordinary Node module cache and are shared by the engine
 * and the program — so `setMocks` and the program see the same `@pulumi/pulumi`, under jest too.
 * Transpile-only, like the CLI with `transpileOnly`; type checking is `tsc --noEmit`.
 */
export class ProjectLoader {
  private readonly compiled = new Map<string, string>();
  /** `require` for packages, resolved from the project root. */
  readonly hostRequire: NodeRequire;

  constructor(readonly projectDir: string) {
    this.hostRequire = createRequire(path.join(projectDir, "package.json"));
  }

  /** Loads `entries` (project-relative .ts files) in one fresh module registry; returns their exports. */
  load(...entries: string[]): unknown[] {
    const registry = new Map<string, { exports: unknown }>();
    return entries.map((entry) => this.loadFile(path.resolve(this.projectDir, entry), registry));
  }

  private isProjectSource(file: string): boolean {
    const relative = path.relative(this.projectDir, file);
    return file.endsWith(".ts") && !relative.startsWith("..") && !relative.split(path.sep).includes("node_modules");
  }

  private resolveProjectFile(fromDir: string, spec: string): string | undefined {
    const base = path.resolve(fromDir, spec);
    return [base, `${base}.ts`, path.join(base, "index.ts")].find(
      (candidate) => this.isProjectSource(candidate) && fs.existsSync(candidate) && fs.statSync(candidate).isFile(),
    );
  }

  private compile(file: string): string {
    let code = this.compiled.get(file);
    if (code === undefined) {
      code = transformSync(fs.readFileSync(file, "utf8"), {
        filename: file,
        module: { type: "commonjs" },
        jsc: { parser: { syntax: "typescript" }, target: "es2022" },
        sourceMaps: false,
      }).code;
      this.compiled.set(file, code);
    }
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
    const wrapper = vm.runInThisContext(`(function (exports, require, module, __filename, __dirname) {${this.compile(file)}\n})`, {
      filename: file,
    }) as (e: unknown, r: unknown, m: unknown, f: string, d: string) => void;
    wrapper(module.exports, localRequire, module, file, dir);
    return module.exports;
  }
}
