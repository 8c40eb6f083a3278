import * as fs from "fs";

/**
 * drift.yml's verdict on one nightly `pulumi preview --refresh --json`: **drift** (the preview ran
 * and proposes changes), **clean** (it ran and proposes none) or **error** (it did not run through:
 * the program, the policy pack, the login or the backend failed). `--expect-no-changes` cannot
 * tell these apart — it fails with the same exit code for both (pulumi/pulumi#8992) — and
 * pulumi/actions sets its `output` only when the command succeeds (src/run.ts), so the workflow
 * runs the CLI itself without that flag and decides here from the exit code and the JSON's
 * `changeSummary` (operation → count, `pulumi preview --json`).
 */

/** What the night found. */
export type DriftVerdict = "drift" | "clean" | "error";

/** Operations that change nothing in Azure (a refresh's reads are not drift in themselves). */
const unchanged = new Set(["same", "read", "refresh"]);

interface PreviewJson {
  changeSummary?: Record<string, number>;
  steps?: { op?: string; urn?: string; diffReasons?: string[]; detailedDiff?: Record<string, unknown> }[];
}

/** The verdict and a Markdown description of it (what changed, or why the preview failed). */
export function driftVerdict(exitCode: number, stdout: string, stderr: string): { verdict: DriftVerdict; markdown: string } {
  const fence = (text: string) => ["```text", text.trim().slice(-20000).replace(/```/g, "'''"), "```"].join("\n");
  let preview: PreviewJson | undefined;
  try {
    preview = JSON.parse(stdout) as PreviewJson;
  } catch {
    preview = undefined;
  }
  if (exitCode !== 0 || preview?.changeSummary === undefined) {
    const why = exitCode !== 0 ? `exited with ${exitCode}` : "printed no change summary";
    return { verdict: "error", markdown: [`The preview failed (it ${why}), so drift is unknown:`, "", fence(stderr || stdout || "(no output)")].join("\n") };
  }
  const changes = Object.entries(preview.changeSummary).filter(([op, count]) => !unchanged.has(op) && count > 0);
  if (changes.length === 0) return { verdict: "clean", markdown: "No drift: the refreshed stack matches the program." };
  const steps = (preview.steps ?? []).filter((s) => s.op !== undefined && !unchanged.has(s.op));
  const lines = steps.slice(0, 200).map((s) => {
    const what = (s.urn ?? "").split("::").slice(-2).join(" ");
    const props = s.diffReasons ?? Object.keys(s.detailedDiff ?? {});
    return `- \`${s.op}\` ${what}${props.length > 0 ? `: ${props.map((p) => `\`${p}\``).join(", ")}` : ""}`;
  });
  return {
    verdict: "drift",
    markdown: [
      `Drift: ${changes.map(([op, count]) => `${count} to ${op}`).join(", ")}.`,
      "",
      ...lines,
      ...(steps.length > 200 ? [`- … and ${steps.length - 200} more`] : []),
    ].join("\n"),
  };
}

// `node -r ts-node/register/transpile-only tools/ci/driftVerdict.ts <exit code> <stdout file> <stderr file> <markdown out>`:
// prints the verdict; drift.yml puts it in the step's outputs and the Markdown in the job summary and the issue.
if (require.main === module) {
  const [code, out, err, markdown] = process.argv.slice(2);
  const read = (file: string) => (fs.existsSync(file) ? fs.readFileSync(file, "utf8") : "");
  const result = driftVerdict(Number(code), read(out), read(err));
  fs.writeFileSync(markdown, `${result.markdown}\n`);
  process.stdout.write(`${result.verdict}\n`);
}
