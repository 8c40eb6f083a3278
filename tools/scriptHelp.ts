import { Command, CommanderError } from "commander";

/**
 * The command line of a generator that takes no arguments (`npm run gen:config`, `gen:policy-docs`,
 * `build:policy`): `--help` describes it and exits 0 without writing anything; any argument is
 * refused in one line with exit 2, so a mistyped flag never runs the generator by surprise.
 *
 * @returns the exit code when the script must stop here, undefined when it should run
 */
export function noArgumentScript(name: string, description: string, argv: readonly string[]): number | undefined {
  const { exit } = parseScript(new Command().name(name).description(description), argv);
  return exit;
}

/**
 * The command line of a generator whose only option is `--check` (write nothing; exit 1 when a
 * generated file is stale): `--help` and wrong arguments as {@link noArgumentScript}.
 *
 * @returns `exit` when the script must stop here, else whether `--check` was given
 */
export function checkableScript(
  name: string,
  description: string,
  checkHelp: string,
  argv: readonly string[],
  exitCodes?: string,
): { readonly exit?: number; readonly check: boolean } {
  const program = new Command().name(name).description(description).option("--check", checkHelp);
  if (exitCodes !== undefined) program.addHelpText("after", `\nExit codes: ${exitCodes}`);
  const { exit } = parseScript(program, argv);
  return { exit, check: program.opts<{ check?: boolean }>().check === true };
}

/** Parses `argv` with one-line errors: the exit code when the script stops here (0 after --help, 2 for a mistake). */
function parseScript(program: Command, argv: readonly string[]): { readonly exit?: number } {
  program.exitOverride().configureOutput({ outputError: (text, write) => write(`${program.name()}: ${text.trim()} (see --help)\n`) });
  try {
    program.parse([...argv]);
  } catch (err) {
    if (err instanceof CommanderError) return { exit: err.exitCode === 0 ? 0 : 2 };
    throw err;
  }
  return {};
}
