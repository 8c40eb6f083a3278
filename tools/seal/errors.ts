/**
 * A problem the operator must fix (configuration, outputs, state that must not be sealed as it is,
 * a write Azure refused). The CLI prints its message alone, without a stack trace, and exits 1.
 */
export class SealError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SealError";
  }
}
