/**
 * Cheap stack traces while the stack program runs.
 *
 * `@pulumi/pulumi` captures a stack trace for every promise it wraps (`debuggablePromise`, about 80
 * per azure-native resource), and reads it only to explain leaked promises when
 * `PULUMI_DEBUG_PROMISE_LEAKS` is set. ts-node and jest install a source-map hook
 * (`Error.prepareStackTrace`) that maps every frame of every such trace. Profiling the plan showed
 * these captures and their mapping as a quarter to a third of its CPU time (README, Performance),
 * for traces nobody reads: the engine reports errors by message only.
 *
 * So, during a run, traces are off and unmapped. Resource source positions are unaffected: the SDK
 * raises `Error.stackTraceLimit` itself to read them, and the program's files have no source maps
 * anyway (tools/engine/moduleLoader.ts compiles them without).
 */

/**
 * Runs `body` with stack traces off (unless PULUMI_DEBUG_PROMISE_LEAKS asks for them) and restores
 * them after. This module's `Error` is the SDK's: both are loaded by the same `require` (Node's, or
 * jest's registry under jest). Not reentrant: the engine runs stacks one at a time.
 */
export async function withCheapStackTraces<T>(body: () => Promise<T>): Promise<T> {
  if (process.env.PULUMI_DEBUG_PROMISE_LEAKS) {
    return body();
  }
  // @types/node declares the hook as always set; unset, V8 formats traces itself.
  const hooks = Error as { stackTraceLimit: number; prepareStackTrace?: unknown };
  const { stackTraceLimit, prepareStackTrace } = hooks;
  hooks.stackTraceLimit = 0;
  hooks.prepareStackTrace = undefined;
  try {
    return await body();
  } finally {
    hooks.stackTraceLimit = stackTraceLimit;
    hooks.prepareStackTrace = prepareStackTrace;
  }
}
