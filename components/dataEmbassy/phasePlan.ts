import { atLeast, Phase } from "../../catalog/phases";
import type { Register, Settings } from "../../settings";

/**
 * What each lifecycle phase (catalog/phases.ts) means for these settings: the states resources are
 * sent in, which registers may receive data, and what the operator still has to do.
 */

/** True when the settings ask for anything to be Locked (the seal's work). */
export function sealIntended(settings: Settings): boolean {
  return settings.wormState === "Locked" || settings.backupImmutability === "Locked" || settings.registers.some((r) => r.immutability === "locked");
}

/**
 * The immutability state to send for a policy whose intended state is `intended`: what the seal
 * did once the stack is sealed, `Unlocked` before — ARM creates no policy Locked, and a sealed
 * field is ignored by later updates (sealedAccountFields), so this only ever reaches ARM at creation.
 */
export function sentState(settings: Settings, intended: "Unlocked" | "Locked"): "Unlocked" | "Locked" {
  return settings.phase === "sealed" ? intended : "Unlocked";
}

/**
 * Registers the data-ingest principals may write into. Blobs written while a WORM policy is still
 * Unlocked keep an Unlocked policy (a later change of the default does not reach existing
 * versions), and a container's Unlocked policy overrides the account's: so where anything is to
 * be locked, no register receives data before the seal.
 */
export function openForIngest(settings: Settings): readonly Register[] {
  return settings.phase === "sealed" || !sealIntended(settings) ? settings.registers : [];
}

/** True once the state's keys can be used by consumers that are switched to them after creation. */
export function keysReady(phase: Phase): boolean {
  return atLeast(phase, "keys-ready");
}

/** What is still to do after this phase's `pulumi up`, in order; empty when the embassy is complete. */
export function nextSteps(settings: Settings): string[] {
  const steps: string[] = [];
  const set = (phase: Phase) => `set data-embassy:phase to ${phase} and run pulumi up`;
  if (!keysReady(settings.phase)) {
    steps.push(
      settings.keyManagement === "managedHsm"
        ? `run the key ceremony (docs/key-ceremony.md), then ${set("keys-ready")}: the backup vault, the storage account and its scopes switch to the HSM's keys`
        : `wait for the role grants to take effect (they are awaited in the plan), verify (docs/phases.md), then ${set("keys-ready")}: the backup vault switches to the state's key`,
    );
  }
  if (settings.phase !== "sealed") {
    steps.push(
      sealIntended(settings)
        ? `run npm run seal -- --stack <stack> (irreversible: locks what the settings ask to be Locked), then ${set("sealed")}: ingest opens`
        : `${set("sealed")} (nothing is to be locked in this stack)`,
    );
  }
  return steps;
}
