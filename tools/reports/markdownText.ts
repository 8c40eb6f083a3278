/**
 * Escaping for text from the capture (names, messages, config values) placed into GitHub-flavoured
 * Markdown: a `|` must not end a table cell, a line break must not end a row, and `<`/`>` must not
 * open HTML (a PR comment is rendered for every reviewer).
 */

/** Text for a table cell or a paragraph. */
export function markdownCell(text: string): string {
  return text.replace(/\\/g, "\\\\").replace(/\|/g, "\\|").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/\r?\n/g, " ");
}

/** Text as an inline code span in a table cell (code spans show entities literally, so only `|` is escaped). */
export function markdownCode(text: string): string {
  return `\`${text.replace(/`/g, "'").replace(/\|/g, "\\|").replace(/\r?\n/g, " ")}\``;
}

/** `1 resource`, `2 resources`. */
export function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? "" : "s"}`;
}
