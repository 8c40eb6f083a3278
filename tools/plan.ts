import * as fs from "fs";
import { Command } from "commander";
import type { Capture } from "./capture";
import { runStack } from "./engine";
import { formatTree } from "./format/tree";

/**
 * `npm run plan -- [--stack dev] [--json [file]]`: runs the stack offline and prints what
 * `pulumi up` would build. A configuration error prints the problems and exits 1 — no stack trace.
 */

interface PlanCliOptions {
  stack: string;
  json?: string | boolean;
}

async function main(argv: string[]): Promise<number> {
  const program = new Command()
    .name("plan")
    .description("Offline plan of a data-embassy stack: runs the real program under Pulumi mocks.")
    .option("-s, --stack <name>", "stack whose Pulumi.<name>.yaml to use", "dev")
    .option("--json [file]", "write the capture as JSON (to the file, or to stdout)")
    .showHelpAfterError();
  program.parse(argv);
  const options = program.opts<PlanCliOptions>();

  const capture: Capture = await runStack({ stack: options.stack });
  if (capture.error !== undefined) {
    process.stderr.write(`${capture.error.message}\n`);
    return 1;
  }
  const json = `${JSON.stringify(capture, null, 2)}\n`;
  if (options.json === true) {
    process.stdout.write(json);
    return 0;
  }
  if (typeof options.json === "string") {
    fs.writeFileSync(options.json, json);
    process.stderr.write(`capture written to ${options.json}\n`);
  }
  process.stdout.write(formatTree(capture));
  return 0;
}

main(process.argv).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    // Not a user mistake (those come back in capture.error): a bug, so the trace helps.
    console.error(err);
    process.exitCode = 2;
  },
);
