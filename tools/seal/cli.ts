import * as path from "path";
import { Command } from "commander";

/**
 * `npm run seal -- --stack <s> [--dry-run] [--outputs <file>] [--evidence <file>]`: locks the
 * embassy's immutability policies that the stack's settings ask to be Locked — the irreversible
 * steps ARM does not let `pulumi up` take (audit F1, F5, F6, F19). See docs/seal.md.
 * Only commander loads before the arguments are parsed, so `--help` answers at once.
 */

interface SealCliOptions {
  stack: string;
  dryRun?: boolean;
  outputs?: string;
  evidence?: string;
}

const repoRoot = path.resolve(__dirname, "..", "..");

async function main(argv: string[]): Promise<number> {
  const program = new Command()
    .name("seal")
    .description(
      "Lock the embassy's immutability policies (register containers, the storage account's version-level WORM, the backup vault) that the stack's settings ask to be Locked. IRREVERSIBLE; needs data-embassy:acknowledgeIrreversibleLock: true.",
    )
    .requiredOption("-s, --stack <name>", "stack whose Pulumi.<name>.yaml says what to lock, e.g. prod")
    .option("--dry-run", "print what would be locked and why, with Microsoft's sources; no Azure call (outputs from the offline plan)")
    .option("--outputs <file>", "stack outputs as `pulumi stack output --json --show-secrets` prints them (default: run that command)")
    .option("--evidence <file>", "evidence JSON to write (default out/seal-<stack>-<timestamp>.json; a dry run writes one only when given)")
    .addHelpText(
      "after",
      [
        "",
        "Exit codes: 0 sealed, already sealed, nothing to seal, or dry run; 1 refused or failed (see the message and the evidence); 70 a bug.",
        "Run it after `pulumi up` has built the stack and the build is verified; docs/seal.md.",
      ].join("\n"),
    )
    .showHelpAfterError();
  program.parse(argv);
  const options = program.opts<SealCliOptions>();
  const { runSeal } = await import("./seal");
  return runSeal({
    stack: options.stack,
    dryRun: options.dryRun === true,
    outputsFile: options.outputs,
    evidenceFile: options.evidence,
    projectDir: repoRoot,
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
  });
}

main(process.argv).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    // Not an operator's mistake (those come back as exit code 1 with a message): a bug, so the trace
    // helps. 70 (EX_SOFTWARE), as tools/plan.ts.
    console.error(err);
    process.exitCode = 70;
  },
);
