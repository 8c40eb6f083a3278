/**
 * Long values in reports: a value is shown whole up to a width and cut short beyond it, saying how
 * long it is and where it is whole, so no report carries a line of thousands of characters.
 */

/** `value` as JSON on one line, cut to `width` characters with its full length and where to find it. */
export function foldedJson(value: unknown, width: number, whole = "--json"): string {
  const text = JSON.stringify(value) ?? "undefined";
  if (text.length <= width) return text;
  return `${text.slice(0, width)}… (${text.length.toLocaleString("en-US")} characters; whole in ${whole})`;
}
