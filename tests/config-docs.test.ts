import * as fs from "fs";
import * as path from "path";
import { stateNamespace, stateSettingsSchema } from "../bootstrap/settings";
import { settingsSchema } from "../settings/schema";
import { configDeclarations, undeclarableKeys, undeclarableKeysOf } from "../tools/generators/configDeclarations";
import {
  configDocText,
  generatedFiles,
  pulumiYamlText,
  stateConfigDocText,
  stateGeneratedFiles,
  statePulumiYamlText,
} from "../tools/generators/generateConfig";
import { readProjectFile } from "../tools/engine/stackConfig";

const root = path.resolve(__dirname, "..");
const read = (file: string) => fs.readFileSync(path.join(root, file), "utf8");

describe("generated config views", () => {
  it("Pulumi.yaml declares every typeable key exactly as the schema does (run `npm run gen:config`)", () => {
    const current = read(generatedFiles.pulumiYaml);
    expect(current).toBe(pulumiYamlText(current));
  });

  it("docs/config.md is current (run `npm run gen:config`)", () => {
    expect(read(generatedFiles.configDoc)).toBe(configDocText());
  });

  it("every schema key is declared in Pulumi.yaml or is an object key Pulumi cannot type", () => {
    const declared = Object.keys(readProjectFile(root).config).map((k) => k.replace(/^data-embassy:/, ""));
    expect([...declared, ...undeclarableKeys].sort()).toEqual(Object.keys(settingsSchema.shape).sort());
    expect(undeclarableKeys).toEqual(["registers"]);
  });

  it("every declaration has a type and a description", () => {
    for (const [key, decl] of Object.entries(configDeclarations())) {
      expect({ key, type: decl.type }).toEqual({ key, type: expect.stringMatching(/^(string|integer|boolean|array)$/) });
      expect({ key, description: decl.description }).toEqual({ key, description: expect.stringMatching(/\w{3}/) });
    }
  });
});

describe("generated config views of the state backend (bootstrap/)", () => {
  it("bootstrap/Pulumi.yaml declares every key exactly as bootstrap/settings.ts does (run `npm run gen:config`)", () => {
    const current = read(stateGeneratedFiles.pulumiYaml);
    expect(current).toBe(statePulumiYamlText(current));
  });

  it("docs/config-state-backend.md is current (run `npm run gen:config`)", () => {
    expect(read(stateGeneratedFiles.configDoc)).toBe(stateConfigDocText());
  });

  it("every key is declared, typed and described; the project is the namespace", () => {
    const project = readProjectFile(path.join(root, "bootstrap"));
    expect(project.name).toBe(stateNamespace);
    expect(undeclarableKeysOf(stateSettingsSchema)).toEqual([]);
    expect(Object.keys(project.config).sort()).toEqual(
      Object.keys(stateSettingsSchema.shape)
        .map((k) => `${stateNamespace}:${k}`)
        .sort(),
    );
    for (const [key, decl] of Object.entries(configDeclarations(stateSettingsSchema))) {
      expect({ key, type: decl.type }).toEqual({ key, type: expect.stringMatching(/^(string|integer|boolean|array)$/) });
      expect({ key, description: decl.description }).toEqual({ key, description: expect.stringMatching(/\w{3}/) });
    }
  });
});
