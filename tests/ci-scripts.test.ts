import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { driftVerdict } from "../tools/ci/driftVerdict";

/**
 * The scripts the workflows run around Pulumi: the drift verdict (drift, clean or a failed preview,
 * which `--expect-no-changes` cannot tell apart) and the plan step that puts its report, or its
 * failure, into the job summary.
 */

const repoRoot = path.resolve(__dirname, "..");

describe("drift verdict", () => {
  it("drift: the preview ran and proposes changes, listed by operation and resource", () => {
    const preview = {
      changeSummary: { same: 160, update: 1, delete: 1 },
      steps: [
        { op: "same", urn: "urn:pulumi:prod::data-embassy::azure-native:keyvault:Vault::embassy-keys-vault" },
        {
          op: "update",
          urn: "urn:pulumi:prod::data-embassy::azure-native:storage:StorageAccount::embassy-storage-account",
          diffReasons: ["minimumTlsVersion"],
        },
        { op: "delete", urn: "urn:pulumi:prod::data-embassy::azure-native:authorization:ManagementLockByScope::embassy-lock" },
      ],
    };
    const { verdict, markdown } = driftVerdict(0, JSON.stringify(preview), "");
    expect(verdict).toBe("drift");
    expect(markdown).toContain("Drift: 1 to update, 1 to delete.");
    expect(markdown).toContain("- `update` azure-native:storage:StorageAccount embassy-storage-account: `minimumTlsVersion`");
    expect(markdown).not.toContain("embassy-keys-vault");
  });

  it("clean: the preview ran and proposes nothing but reads", () => {
    expect(driftVerdict(0, JSON.stringify({ changeSummary: { same: 163, refresh: 163 } }), "").verdict).toBe("clean");
  });

  it("error: a failed preview is no verdict, whatever it printed, and says why", () => {
    const failed = driftVerdict(255, JSON.stringify({ changeSummary: { update: 3 } }), "error: failed to log in: 403 Forbidden");
    expect(failed.verdict).toBe("error");
    expect(failed.markdown).toContain("exited with 255");
    expect(failed.markdown).toContain("403 Forbidden");
    expect(driftVerdict(0, "not json", "").verdict).toBe("error");
  });
});

describe("tools/ci/plan-to-summary.sh", () => {
  it("on a refused configuration: exit 1, and the job summary has the report and the plan's error", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "plan-summary-"));
    const summary = path.join(dir, "summary.md");
    try {
      const run = spawnSync(
        path.join(repoRoot, "tools", "ci", "plan-to-summary.sh"),
        ["Disaster recovery into westeuropa", "--stack", "dr", "--no-policy", "--config", "hostRegion=westeuropa"],
        { cwd: repoRoot, encoding: "utf8", env: { ...process.env, GITHUB_STEP_SUMMARY: summary }, timeout: 120000 },
      );
      expect(run.status).toBe(1);
      expect(run.stdout).toContain("::error::Disaster recovery into westeuropa: the offline plan failed (exit 1)");
      const text = fs.readFileSync(summary, "utf8");
      expect(text).toContain("❌ **The program failed** (SettingsError):");
      expect(text).toContain("### ❌ Disaster recovery into westeuropa: the offline plan failed (exit 1)");
      expect(text).toMatch(/```text\nInvalid configuration for stack "dr": 1 problem\n {2}- data-embassy:hostRegion: unknown Azure region "westeuropa"/);
      expect(text).not.toContain("› loading config");
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 120000);
});
