import type { CapturedResource } from "../engine/capture";

/**
 * Finds the line in a source file where a resource is constructed, so a code-scanning alert points
 * at the `new storage.StorageAccount(` that made it. The capture knows the file but not the line
 * (the program runs transpiled, so stack-trace lines would not match the TypeScript).
 */

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/**
 * 1-based line of the `new <Class>(` or `new <module>.<Class>(` that most likely registered
 * `resource` in `text`; 1 when there is none. With several candidates, the one whose next lines
 * name the resource (its whole logical name, or the longest hyphenated tail of it, as in
 * `${name}-vault`) wins; otherwise the first.
 */
export function constructorLine(text: string, resource: Pick<CapturedResource, "type" | "name">): number {
  const className = resource.type.split(":").pop() ?? "";
  const construct = new RegExp(`\\bnew\\s+(?:[\\w$]+\\.)?${escapeRegExp(className)}\\s*[(<]`);
  const lines = text.split(/\r?\n/);
  const candidates = lines.flatMap((line, i) => (construct.test(line) ? [i] : []));
  if (candidates.length === 0) return 1;
  const segments = resource.name.split("-");
  const tails = segments.map((_, i) => segments.slice(i).join("-")); // longest first
  for (const tail of tails) {
    const named = new RegExp(`["'\`/-]${escapeRegExp(tail)}["'\`]`);
    const hit = candidates.find((i) => named.test(lines.slice(i, i + 3).join("\n")));
    if (hit !== undefined) return hit + 1;
  }
  return candidates[0] + 1;
}
