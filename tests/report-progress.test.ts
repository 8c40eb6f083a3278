import type { Capture } from "../tools/engine/capture";
import { comparePlans } from "../tools/analysis/compare";
import type { PolicyFinding } from "../tools/reports/findings";
import { palette, Progress, ProgressStream, useColour } from "../tools/reports/progress";
import { formatSummary } from "../tools/reports/summary";
import { plan } from "./helpers";

/** Progress lines and the closing summary of `plan`: readable in CI logs, coloured only on a terminal. */

function recorder(isTTY: boolean): ProgressStream & { text: string } {
  return {
    isTTY,
    text: "",
    write(chunk: string) {
      this.text += chunk;
    },
  };
}

const ansi = new RegExp(String.fromCharCode(27) + "\\[");

describe("colour", () => {
  it("is on for a terminal only, off with NO_COLOR or FORCE_COLOR=0, forced with FORCE_COLOR=1", () => {
    expect(useColour({ write: () => true, isTTY: true }, {})).toBe(true);
    expect(useColour({ write: () => true, isTTY: false }, {})).toBe(false);
    expect(useColour({ write: () => true }, {})).toBe(false);
    expect(useColour({ write: () => true, isTTY: true }, { NO_COLOR: "1" })).toBe(false);
    expect(useColour({ write: () => true, isTTY: false }, { FORCE_COLOR: "1" })).toBe(true);
    expect(useColour({ write: () => true, isTTY: true }, { FORCE_COLOR: "0" })).toBe(false);
    expect(palette(true).red("x")).toBe("\u001b[31mx\u001b[39m");
    expect(palette(false).red("x")).toBe("x");
  });
});

describe("progress", () => {
  it("prints a line when a step starts and one when it ends, with its duration and result", async () => {
    const out = recorder(false);
    let now = 0;
    const progress = new Progress(out, {}, () => now);
    const result = await progress.step(
      "running the program",
      () => {
        now = 2500;
        return 42;
      },
      (n) => `${n} registrations`,
    );
    expect(result).toBe(42);
    expect(out.text).toBe("› running the program…\n✓ running the program (2.5 s): 42 registrations\n");
  });

  it("marks a failed step and passes the error on", async () => {
    const out = recorder(false);
    const progress = new Progress(out, {}, () => 0);
    await expect(
      progress.step("loading config", () => {
        throw new Error("Pulumi.nope.yaml not found");
      }),
    ).rejects.toThrow("Pulumi.nope.yaml not found");
    expect(out.text).toBe("› loading config…\n✗ loading config (0.0 s)\n");
  });

  it("colours a terminal's lines and nothing else", async () => {
    const tty = recorder(true);
    await new Progress(tty, {}).step("x", () => undefined);
    expect(tty.text).toMatch(ansi);
    const file = recorder(false);
    await new Progress(file, {}).step("x", () => undefined);
    expect(file.text).not.toMatch(ansi);
  });
});

describe("summary", () => {
  let capture: Capture;
  beforeAll(async () => {
    capture = await plan();
  });

  it("sums the plan up on one line", () => {
    const line = formatSummary(capture);
    const azure = capture.resources.filter((r) => r.custom).length;
    expect(line).toMatch(
      new RegExp(`^data-embassy/dev: ${azure} resources in \\d+ components · westeurope, [^·]*northeurope · policy not run · critical path ≈ [\\d.]+ min\\n$`),
    );
    expect(line).not.toMatch(/global/i); // no data region
    expect(line).not.toMatch(ansi);
  });

  it("gives the policy verdict and the change against the base, in colour when asked", () => {
    const findings: PolicyFinding[] = [{ controlId: "A", policyName: "a", message: "m", enforcementLevel: "mandatory" }];
    const base: Capture = { ...capture, resources: capture.resources.slice(0, -1) };
    const line = formatSummary(capture, { findings, diff: comparePlans(base, capture) }, palette(true));
    expect(line).toContain(`policy: ${palette(true).red("1 mandatory")}, 0 advisory`);
    expect(line).toContain("vs dev base: +1 -0 ~0");
    expect(formatSummary(capture, { findings: [] })).toContain("policy: no violations");
  });
});
