import * as fs from "fs";
import { azurePolicies } from "../catalog/azurePolicies";
import { controls } from "../catalog/controls";
import { rules } from "../policy/rules";
import { policyDocs, policyDocsPath } from "../tools/generators/policyDocs";

/** The catalog is well-formed, every control has a rule, and docs/policies.md is generated from them. */

describe("the control catalog", () => {
  it("has unique ids that are valid policy names, and says why and how to fix every control", () => {
    const ids = controls.map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const c of controls) {
      expect(c.id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      expect([c.title, c.rationale, c.remediation].every((text) => text.length > 10)).toBe(true);
    }
  });

  it("pairs every control with exactly one rule", () => {
    expect(Object.keys(rules).sort()).toEqual(controls.map((c) => c.id).sort());
  });

  it("refers to Azure Policy built-ins by well-formed, distinct GUIDs", () => {
    const guids = Object.values(azurePolicies).map((p) => p.guid);
    expect(guids.filter((g) => !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(g))).toEqual([]);
    expect(new Set(guids).size).toBe(guids.length);
    const used = new Set(controls.flatMap((c) => c.azurePolicy.map((p) => p.guid)));
    expect(guids.filter((g) => !used.has(g))).toEqual([]);
  });
});

describe("docs/policies.md", () => {
  it("is current (regenerate with `npm run gen:policy-docs`)", () => {
    expect(fs.readFileSync(policyDocsPath, "utf8")).toBe(policyDocs());
  });

  it("documents every control with its CIS and Azure Policy ids", () => {
    const doc = policyDocs();
    for (const c of controls) {
      expect(doc).toContain(`### \`${c.id}\``);
      for (const p of c.azurePolicy) expect(doc).toContain(p.guid);
    }
  });
});
