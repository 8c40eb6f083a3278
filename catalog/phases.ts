/**
 * The embassy's life in the steps Azure forces apart (docs/phases.md). A fresh `pulumi up` — the
 * first deployment and every DR re-provisioning — starts at `build`; the operator moves the stack
 * on by setting `data-embassy:phase` once the step before is done and verified.
 *
 * - `build`: everything is created only in a state ARM accepts at creation: version-level WORM and
 *   backup-vault immutability `Unlocked` (ARM: "A policy can only be created in a Disabled or
 *   Unlocked state"), the backup vault without its customer-managed key (with a network-restricted
 *   Key Vault only its system-assigned identity is supported, and only after the vault exists),
 *   no ingest grant while a WORM policy is still to be locked.
 * - `keys-ready`: the state's keys are reachable by every consumer (Key Vault grants propagated;
 *   Managed HSM: the key ceremony is done): the backup vault (and, with a Managed HSM, the storage
 *   account and scopes) switch to the state's keys in place.
 * - `sealed`: `npm run seal` has locked what the settings ask to be Locked: ingest opens.
 */
export const phases = ["build", "keys-ready", "sealed"] as const;

/** A lifecycle phase. */
export type Phase = (typeof phases)[number];

/** Tag on the embassy's resource group that tells the policy pack (offline and live) the stack's phase. */
export const phaseTag = "embassyPhase";

/** True when `phase` is `than` or later. */
export function atLeast(phase: Phase, than: Phase): boolean {
  return phases.indexOf(phase) >= phases.indexOf(than);
}
