import { Command, CommanderError } from "commander";

/**
 * The command line of a generator that takes no arguments (`npm run gen:config`, `gen:policy-docs`,
 * `build:policy`): `--help` describes it and exits 0 without writing anything; any argument is
 * refused in one line with exit 2, so a mistyped flag never runs the generator by surprise.
 *
 * @returns the exit code when the script must stop here, undefined when it should run
 */
export function noArgumentScript(name: string, description: string, argv: readonly string[]): number | undefined {
  const program = new Command()
    .name(name)
    .description(description)
    .exitOverride()
    .configureOutput({ outputError: (text, write) => write(`${name}: ${text.trim()} (see --help)\n`) });
  try {
    program.parse([...argv]);
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : 2;
    throw err;
  }
  return undefined;
}
