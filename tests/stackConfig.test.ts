import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { stringify } from "yaml";
import { readStackConfig, StackFileError } from "../tools/engine/stackConfig";

/**
 * tools/engine/stackConfig.ts types stack values as the Pulumi CLI does (pkg/workspace/config.go
 * validateStackConfigValue, sdk/go/common/workspace/project.go ValidateConfigValue): a top-level
 * scalar is checked in its string form, so quoted "14" and "false" — what `pulumi config set`
 * writes — are an integer and a boolean; every wrongly typed key is reported in one error.
 */

let dir: string;

const projectFile = {
  name: "typed",
  runtime: "nodejs",
  config: {
    count: { type: "integer" },
    enabled: { type: "boolean" },
    label: { type: "string" },
    names: { type: "array", items: { type: "string" } },
    sizes: { type: "array", items: { type: "integer" } },
    matrix: { type: "array", items: { type: "array", items: { type: "integer" } } },
    settings: { type: "object" },
  },
};

/** Reads a stack whose file holds `config` (namespaced by the caller) verbatim as YAML text. */
function read(yaml: string) {
  fs.writeFileSync(path.join(dir, "Pulumi.test.yaml"), `config:\n${yaml}`);
  return readStackConfig(dir, "test");
}

function problem(yaml: string): string {
  try {
    read(yaml);
  } catch (err) {
    if (err instanceof StackFileError) return err.message;
    throw err;
  }
  throw new Error("expected a StackFileError");
}

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "stack-config-"));
  fs.writeFileSync(path.join(dir, "Pulumi.yaml"), stringify(projectFile));
  fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ dependencies: { "@pulumi/pulumi": "3.248.0", "@pulumi/azure-native": "3.28.0" } }));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe("typed config, as the Pulumi CLI checks it", () => {
  it.each([
    ["14", "14"],
    ['"14"', "14"],
    ['"-3"', "-3"],
    ['"+7"', "+7"],
    ['"007"', "007"],
    ["14.0", "14"],
    ['"9223372036854775807"', "9223372036854775807"],
  ])("integer: %s is accepted and passed on as %s", (yaml, value) => {
    expect(read(`  typed:count: ${yaml}\n`).values["typed:count"]).toBe(value);
  });

  it.each(['"fourteen"', "14.5", '"14.0"', '"1e3"', '" 14"', '"1_000"', '"9223372036854775808"', "true", "[1]"])("integer: %s is refused", (yaml) => {
    expect(problem(`  typed:count: ${yaml}\n`)).toBe("Stack 'test' with configuration key 'typed:count' must be of type 'integer'");
  });

  it.each([
    ["false", "false"],
    ['"false"', "false"],
    ['"true"', "true"],
    ["True", "true"], // YAML's own boolean
  ])("boolean: %s is accepted and passed on as %s", (yaml, value) => {
    expect(read(`  typed:enabled: ${yaml}\n`).values["typed:enabled"]).toBe(value);
  });

  it.each(['"True"', '"yes"', '"1"', "1", '"no"'])("boolean: %s is refused (the CLI takes only the strings true and false)", (yaml) => {
    expect(problem(`  typed:enabled: ${yaml}\n`)).toBe("Stack 'test' with configuration key 'typed:enabled' must be of type 'boolean'");
  });

  it("string: any scalar is taken in its string form, a list is refused", () => {
    expect(read("  typed:label: 12\n").values["typed:label"]).toBe("12");
    expect(read("  typed:label: false\n").values["typed:label"]).toBe("false");
    expect(problem("  typed:label: [a]\n")).toBe("Stack 'test' with configuration key 'typed:label' must be of type 'string'");
  });

  it("arrays: items keep their JSON types and are checked one by one", () => {
    expect(read("  typed:names: [a, b]\n").values["typed:names"]).toBe('["a","b"]');
    expect(read('  typed:sizes: [1, "2"]\n').values["typed:sizes"]).toBe('[1,"2"]');
    expect(read("  typed:matrix: [[1, 2], [3]]\n").values["typed:matrix"]).toBe("[[1,2],[3]]");
    expect(problem("  typed:names: [a, 1]\n")).toBe("Stack 'test' with configuration key 'typed:names' must be of type 'array<string>'");
    expect(problem("  typed:matrix: [1]\n")).toBe("Stack 'test' with configuration key 'typed:matrix' must be of type 'array<array<integer>>'");
    expect(problem("  typed:names: a\n")).toBe("Stack 'test' with configuration key 'typed:names' must be of type 'array<string>'");
  });

  it("object: a map, not a list or a scalar", () => {
    expect(read("  typed:settings: { a: 1 }\n").values["typed:settings"]).toBe('{"a":1}');
    expect(problem("  typed:settings: [1]\n")).toBe("Stack 'test' with configuration key 'typed:settings' must be of type 'object'");
  });
});

describe("every problem at once", () => {
  it("lists three wrongly typed keys and a key without a namespace in one error", () => {
    expect(problem('  typed:count: "many"\n  typed:enabled: "maybe"\n  typed:sizes: [x]\n  label: oops\n')).toBe(
      [
        "Stack 'test' has 4 configuration problems:",
        `  - Pulumi.test.yaml: config key "label" needs a namespace, e.g. "typed:label"`,
        "  - Stack 'test' with configuration key 'typed:count' must be of type 'integer'",
        "  - Stack 'test' with configuration key 'typed:enabled' must be of type 'boolean'",
        "  - Stack 'test' with configuration key 'typed:sizes' must be of type 'array<integer>'",
      ].join("\n"),
    );
  });
});

describe("keys no one reads", () => {
  it("warns about a key under an unknown namespace, naming it and the namespace it was probably meant for", () => {
    const config = read("  typo:count: 3\n  azure-native:location: westeurope\n  pulumi:tags: {}\n  elsewhere:thing: x\n");
    expect(config.values["typo:count"]).toBe("3");
    expect(config.diagnostics).toEqual([
      {
        severity: "warning",
        message: 'typo:count is ignored: no part of this project reads the "typo" namespace (known: typed, pulumi, azure-native); did you mean typed:count?',
      },
      {
        severity: "warning",
        message: 'elsewhere:thing is ignored: no part of this project reads the "elsewhere" namespace (known: typed, pulumi, azure-native)',
      },
    ]);
  });

  it("takes the real project's stacks without a warning", () => {
    for (const stack of ["dev", "prod", "dr"]) {
      expect(readStackConfig(path.resolve(__dirname, ".."), stack).diagnostics.filter((d) => d.message.includes("is ignored"))).toEqual([]);
    }
    expect(readStackConfig(path.resolve(__dirname, "..", "bootstrap"), "ee").diagnostics.filter((d) => d.message.includes("is ignored"))).toEqual([]);
  });
});
