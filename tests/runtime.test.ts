import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";

/** The Node runtime the program gets: under `pulumi up` (Pulumi.yaml) and offline (`npm run plan`). */

const root = path.resolve(__dirname, "..");
const project = parse(fs.readFileSync(path.join(root, "Pulumi.yaml"), "utf8")) as {
  runtime: { name: string; options: { typescript?: boolean; nodeargs?: string } };
};
const scripts = (JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts;

describe("the program's Node runtime", () => {
  it("is TypeScript on Node, with a heap large enough for thousands of resources", () => {
    expect(project.runtime.name).toBe("nodejs");
    expect(project.runtime.options.typescript).toBe(true);
    const heapMb = Number(/--max-old-space-size=(\d+)/.exec(project.runtime.options.nodeargs ?? "")?.[1]);
    expect(heapMb).toBeGreaterThanOrEqual(6144);
  });

  it("is the same for the offline plan: `npm run plan` passes Pulumi.yaml's nodeargs to node", () => {
    expect(scripts.plan).toMatch(/^node (.+) -r ts-node\/register\/transpile-only tools\/plan\.ts$/);
    expect(/^node (.+) -r /.exec(scripts.plan)?.[1]).toBe(project.runtime.options.nodeargs);
  });
});
