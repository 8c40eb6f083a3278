import * as fs from "fs";
import * as path from "path";
import { Command, CommanderError } from "commander";
import { prComment } from "./reports/prComment";

/**
 * `npm run pr-comment -- --run-url <url> <report.md>…`: the pull request's comment (Markdown, on
 * stdout) from the stacks' Markdown reports (`plan --format markdown=…`); the pull-request
 * workflow posts it. See tools/reports/prComment.ts.
 */
function main(argv: string[]): number {
  const program = new Command()
    .name("pr-comment")
    .description(
      "Writes the pull request's plan comment (stdout) from the stacks' Markdown reports: a summary table across stacks (prod first), what needs attention, each report folded.",
    )
    .argument("[reports...]", "Markdown reports written by plan --format markdown=<file>")
    .option("--run-url <url>", "the workflow run, whose artifacts keep every report", "the workflow run")
    .exitOverride()
    .configureOutput({ outputError: (text, write) => write(`pr-comment: ${text.trim()} (see --help)\n`) });
  try {
    program.parse(argv);
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : 2;
    throw err;
  }
  const files = program.args;
  const reports: { file: string; text: string }[] = [];
  for (const file of files) {
    try {
      reports.push({ file: path.basename(file), text: fs.readFileSync(file, "utf8") });
    } catch (err) {
      process.stderr.write(`pr-comment: error: cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}\n`);
      return 2;
    }
  }
  process.stdout.write(prComment(reports, program.opts<{ runUrl: string }>().runUrl));
  return 0;
}

if (require.main === module) process.exitCode = main(process.argv);
