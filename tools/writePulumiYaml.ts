import * as fs from "fs";
import * as path from "path";
import { parseDocument } from "yaml";
import { configDeclarations, undeclarableKeys } from "./configDeclarations";

/** Rewrites Pulumi.yaml's `config:` block from the settings schema (`npm run gen:config`). */
const file = path.resolve(__dirname, "..", "Pulumi.yaml");
const doc = parseDocument(fs.readFileSync(file, "utf8"));
doc.set("config", configDeclarations());
const note = `# Object-valued keys (${undeclarableKeys.join(", ")}) cannot be typed in Pulumi.yaml; set them in the stack file. See docs/config.md.`;
const text = doc.toString({ lineWidth: 0 }).replace(/^config:$/m, `${note}\nconfig:`);
fs.writeFileSync(file, text.replace(/^# Object-valued keys.*\n(?=# Object-valued keys)/m, ""));
console.log(`Pulumi.yaml: ${Object.keys(configDeclarations()).length} keys declared`);
