import fc from "fast-check";
import { composeName, NameKind, nameProblem, nameProblems, namingRules, secondSite, suffixLength } from "../components/shared/naming";

const kinds = Object.keys(namingRules) as NameKind[];
const validPrefix = fc.stringMatching(/^[a-z][a-z0-9]{1,3}$/);
const environment = fc.constantFrom("dev", "prod", "dr");
const suffix = fc.stringMatching(new RegExp(`^[a-z0-9]{${suffixLength}}$`));

describe("naming", () => {
  it("every name built from a valid prefix satisfies Azure's rule for its kind", () => {
    fc.assert(
      fc.property(validPrefix, environment, suffix, (prefix, env, sfx) => {
        expect(nameProblems({ prefix, environment: env })).toEqual([]);
        for (const kind of kinds) {
          expect(nameProblem(kind, composeName(kind, { prefix, environment: env }, sfx))).toBeUndefined();
        }
      }),
    );
  });

  it("storage account names are 3–24 lower-case alphanumerics", () => {
    const name = composeName("storageAccount", { prefix: "ee", environment: "prod" }, "ab12c");
    expect(name).toBe("steeembprodab12c");
    expect(nameProblem("storageAccount", "st-ee")).toMatch(/3–24 lower-case letters and digits/);
    expect(nameProblem("storageAccount", "s".repeat(25))).toMatch(/25 characters/);
    expect(nameProblem("storageAccount", "StEe")).toBeDefined();
  });

  it("key vault names are 3–24 characters with single hyphens", () => {
    expect(composeName("keyVault", { prefix: "ee", environment: "dev" }, "ab12c")).toBe("kv-ee-emb-dev-ab12c");
    expect(nameProblem("keyVault", "kv--x")).toBeDefined();
    expect(nameProblem("keyVault", "kv-" + "x".repeat(22))).toBeDefined();
  });

  it("reports a prefix that makes any name too long or invalid", () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[a-z][a-z0-9]{12,20}$/), environment, (prefix, env) => {
        const problems = nameProblems({ prefix, environment: env });
        expect(problems.some((p) => p.startsWith("storageAccount name"))).toBe(true);
      }),
    );
    expect(nameProblems({ prefix: "E_E", environment: "dev" }).length).toBeGreaterThan(0);
  });

  it("gives a second site of the stack names of its own, after the environment (the replica site of an unpaired host)", () => {
    const parts = { prefix: "ee", environment: "prod" };
    expect(composeName("keyVault", { ...parts, site: secondSite }, "abcde")).toBe("kv-ee-emb-prod-r-abcde");
    expect(composeName("storageAccount", { ...parts, site: secondSite }, "abcde")).toBe("steeembprodrabcde");
    expect(composeName("privateEndpoint", { ...parts, site: secondSite }, "", "keys-vault")).toBe("pep-ee-emb-prod-r-keys-vault");
    // A prefix that fits the host's names can be too long once the site is added: the settings check both.
    expect(nameProblems({ prefix: "eegov", environment: "prod" })).toEqual([]);
    expect(nameProblems({ prefix: "eegov", environment: "prod", site: secondSite })).toContainEqual(
      expect.stringMatching(/^keyVault name "kv-eegov-emb-prod-r-xxxxx"/),
    );
  });
});
