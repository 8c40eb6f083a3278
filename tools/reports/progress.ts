/**
 * Progress lines for the plan CLI, on stderr so stdout stays a clean report. Colour only on a
 * terminal (never with NO_COLOR; FORCE_COLOR=1 forces it, FORCE_COLOR=0 refuses it), so CI logs
 * and files get plain text.
 */

/** Where progress goes: a stream, and whether it is a terminal. */
export interface ProgressStream {
  write(text: string): unknown;
  isTTY?: boolean;
}

/** ANSI styles, or identity functions when colour is off. */
export interface Palette {
  readonly red: (text: string) => string;
  readonly yellow: (text: string) => string;
  readonly green: (text: string) => string;
  readonly dim: (text: string) => string;
  readonly bold: (text: string) => string;
}

/** True when output to `stream` should be coloured. */
export function useColour(stream: ProgressStream, env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== "") return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== "") return env.FORCE_COLOR !== "0" && env.FORCE_COLOR !== "false";
  return stream.isTTY === true;
}

/** The palette for a stream. */
export function palette(colour: boolean): Palette {
  const style = (open: number, close: number) => (text: string) => (colour ? `\u001b[${open}m${text}\u001b[${close}m` : text);
  return { red: style(31, 39), yellow: style(33, 39), green: style(32, 39), dim: style(2, 22), bold: style(1, 22) };
}

/** Prints one line per step: what is starting, then that it finished (or failed) and how long it took. */
export class Progress {
  readonly colours: Palette;

  constructor(
    private readonly stream: ProgressStream,
    env: NodeJS.ProcessEnv = process.env,
    private readonly clock: () => number = () => performance.now(),
  ) {
    this.colours = palette(useColour(stream, env));
  }

  /** Runs `work` as a named step; `detail` describes its result on the closing line. */
  async step<T>(label: string, work: () => T | Promise<T>, detail?: (result: T) => string): Promise<T> {
    const { dim, green, red } = this.colours;
    this.stream.write(`${dim("›")} ${label}…\n`);
    const started = this.clock();
    const took = () => dim(`(${((this.clock() - started) / 1000).toFixed(1)} s)`);
    try {
      const result = await work();
      const extra = detail?.(result);
      this.stream.write(`${green("✓")} ${label} ${took()}${extra ? `: ${extra}` : ""}\n`);
      return result;
    } catch (err) {
      this.stream.write(`${red("✗")} ${label} ${took()}\n`);
      throw err;
    }
  }

  /** A line of its own (summary, file written). */
  line(text: string): void {
    this.stream.write(`${text}\n`);
  }
}
