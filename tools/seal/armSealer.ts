import { ResourceManagementClient } from "@azure/arm-resources";
import { ImmutableStorageAccount, StorageAccountUpdateParameters, StorageManagementClient } from "@azure/arm-storage";
import type { TokenCredential } from "@azure/identity";
import { SealError } from "./errors";
import type { Evidence, PolicySnapshot } from "./evidence";
import type { AccountWormStep, BackupVaultStep, ContainerPolicyStep, SealPlan, SealStep } from "./sealPlan";

/**
 * Executes a seal plan through the Azure SDK clients: reads every resource's current state first,
 * refuses before any write if something is not in the state the settings describe, then locks what
 * is still Unlocked — in plan order, stopping at the first write ARM rejects — and skips what is
 * already Locked, so a second run makes no write.
 */

/**
 * Storage RP api-version: the default of the installed @azure/arm-storage (20.0.0), pinned so the
 * REST calls do not change with an SDK upgrade unnoticed (tests/fakes/fakeArm.ts accepts this one only).
 */
export const storageApiVersion = "2025-08-01";

/**
 * DataProtection RP api-version: the one @pulumi/azure-native 3.28 creates the vault with
 * (audit header). The vault is patched through the generic resources client: @azure/arm-dataprotection
 * is not available from this project's package registry.
 */
export const dataProtectionApiVersion = "2025-01-01";

/** Public Azure's Resource Manager. */
export const defaultArmEndpoint = "https://management.azure.com";

/** Where and how to reach ARM (tests point it at a local fake). */
export interface ArmConnection {
  /** ARM endpoint; default {@link defaultArmEndpoint}. */
  readonly endpoint?: string;
  /** TLS settings for the connection, e.g. the CA of a test endpoint. */
  readonly tlsOptions?: { ca?: string };
  /** Poll interval of long-running operations (the vault PATCH), in ms; default the SDK's. */
  readonly pollIntervalMs?: number;
}

/** The SDK clients a seal uses. */
export interface ArmClients {
  readonly storage: StorageManagementClient;
  readonly resourceManager: ResourceManagementClient;
  readonly pollIntervalMs?: number;
}

/** The token scope for `endpoint`. */
export function armScope(endpoint: string = defaultArmEndpoint): string {
  return `${endpoint.replace(/\/+$/, "")}/.default`;
}

/** Creates the SDK clients for one subscription. */
export function createArmClients(credential: TokenCredential, subscriptionId: string, connection: ArmConnection = {}): ArmClients {
  const endpoint = connection.endpoint ?? defaultArmEndpoint;
  const tls = connection.tlsOptions === undefined ? {} : { tlsOptions: connection.tlsOptions };
  const scopes = [armScope(endpoint)];
  return {
    storage: new StorageManagementClient(credential, subscriptionId, { apiVersion: storageApiVersion, endpoint, credentials: { scopes }, ...tls }),
    resourceManager: new ResourceManagementClient(credential, subscriptionId, { endpoint, $host: endpoint, credentialScopes: scopes, ...tls }),
    pollIntervalMs: connection.pollIntervalMs,
  };
}

/** Called after every change to the evidence (the CLI rewrites the evidence file). */
export type EvidenceListener = (evidence: Evidence) => void;

interface StatusError {
  statusCode?: number;
  code?: string;
  message?: string;
}

function describe(err: unknown): string {
  const e = err as StatusError;
  const status = e.statusCode === undefined ? "" : `HTTP ${e.statusCode} `;
  const code = e.code === undefined ? "" : `${e.code}: `;
  const message = (e.message ?? String(err)).split("\n")[0].replace(/\.$/, "");
  if (e.statusCode === 412) {
    return `${status}${code}${message} — the ETag no longer matches: the policy changed after the seal read it, so it was not locked. Find out who changed it, then run the seal again (it reads the policy afresh).`;
  }
  return `${status}${code}${message}`;
}

function isNotFound(err: unknown): boolean {
  return (err as StatusError).statusCode === 404;
}

const now = () => new Date().toISOString();

/** Reads one step's current state; `undefined` is a container without a policy of its own. */
async function readState(step: SealStep, clients: ArmClients): Promise<PolicySnapshot | undefined> {
  switch (step.kind) {
    case "container-policy": {
      let policy;
      try {
        policy = await clients.storage.blobContainers.getImmutabilityPolicy(step.resourceGroup, step.accountName, step.containerName);
      } catch (err) {
        if (isNotFound(err)) return undefined;
        throw err;
      }
      // "The response of delete has immutabilityPeriodSinceCreationInDays set to 0" (the SDK's
      // deleteImmutabilityPolicy doc): a period of 0 is a container without a policy.
      if (!policy.immutabilityPeriodSinceCreationInDays) return undefined;
      return {
        state: policy.state ?? "unknown",
        retentionDays: policy.immutabilityPeriodSinceCreationInDays,
        allowProtectedAppendWrites: policy.allowProtectedAppendWrites ?? false,
        etag: policy.etag,
      };
    }
    case "account-worm": {
      const account = await clients.storage.storageAccounts.getProperties(step.resourceGroup, step.accountName);
      const worm = account.immutableStorageWithVersioning;
      return {
        state: worm?.enabled !== true ? "NotEnabled" : (worm.immutabilityPolicy?.state ?? "NoPolicy"),
        retentionDays: worm?.immutabilityPolicy?.immutabilityPeriodSinceCreationInDays,
        allowProtectedAppendWrites: worm?.immutabilityPolicy?.allowProtectedAppendWrites ?? false,
      };
    }
    case "backup-vault": {
      const vault = await clients.resourceManager.resources.getById(byIdPath(step.resourceId), dataProtectionApiVersion);
      return { state: vaultImmutability(vault.properties) ?? "NotConfigured" };
    }
  }
}

/**
 * The generic client's path is `/{resourceId}` with the id unescaped, so an id that starts with `/`
 * (as every ARM id does) would give `https://management.azure.com//subscriptions/…`.
 */
function byIdPath(resourceId: string): string {
  return resourceId.replace(/^\/+/, "");
}

function vaultImmutability(properties: Record<string, unknown> | undefined): string | undefined {
  const security = properties?.securitySettings as { immutabilitySettings?: { state?: unknown } } | undefined;
  const state = security?.immutabilitySettings?.state;
  return typeof state === "string" ? state : undefined;
}

/** A step's verdict: lock it, no write needed, or it must not be sealed as it is. */
type Verdict = { lock: true } | { skip: "already-sealed" | "covered-by-account-policy" } | { problem: string };

const lockIt: Verdict = { lock: true };
const sealed: Verdict = { skip: "already-sealed" };
const problem = (text: string): Verdict => ({ problem: text });

/** Decides a step from its current state (`undefined`: a container without a policy of its own). */
function judge(step: SealStep, before: PolicySnapshot | undefined, plan: SealPlan): Verdict {
  switch (step.kind) {
    case "container-policy": {
      if (before === undefined) {
        const account = plan.steps.find((s): s is AccountWormStep => s.kind === "account-worm");
        if (account === undefined) {
          return problem(
            `container ${step.containerName} has no immutability policy to lock, and wormState is not Locked, so nothing would keep register "${step.register}" immutable: run \`pulumi up\` first`,
          );
        }
        if (account.retentionDays !== step.retentionDays) {
          return problem(
            `container ${step.containerName} has no immutability policy of its own: its blobs would get the account default (${account.retentionDays} days), not the register's retentionDays (${step.retentionDays}); run \`pulumi up\` first`,
          );
        }
        return { skip: "covered-by-account-policy" };
      }
      if (before.state === "Locked") return sealed;
      if (before.state !== "Unlocked") return problem(`policy state is "${before.state}"; only an Unlocked policy can be locked`);
      if (before.retentionDays !== step.retentionDays) {
        return problem(
          `policy period is ${before.retentionDays} days but the register's retentionDays is ${step.retentionDays}: locking would make the wrong period permanent (it could then only be extended); run \`pulumi up\` first`,
        );
      }
      if (before.etag === undefined || before.etag === "") return problem("ARM returned the policy without an ETag, and the lock requires one");
      return lockIt;
    }
    case "account-worm": {
      const state = before?.state;
      if (state === "Locked") return sealed;
      if (state !== "Unlocked") {
        return problem(
          state === "NotEnabled"
            ? "version-level immutability is not enabled on the account (it can only be enabled when the account is created)"
            : `account WORM policy state is "${state}"; only an Unlocked policy can be locked`,
        );
      }
      if (before?.retentionDays !== step.retentionDays) {
        return problem(
          `account WORM period is ${before?.retentionDays} days but wormRetentionDays is ${step.retentionDays}: locking would make the wrong period permanent; run \`pulumi up\` first`,
        );
      }
      return lockIt;
    }
    case "backup-vault": {
      const state = before?.state;
      if (state === "Locked") return sealed;
      if (state !== "Unlocked") return problem(`vault immutability is "${state}"; the build phase enables it (Unlocked) and only then can it be locked`);
      return lockIt;
    }
  }
}

async function lockContainer(step: ContainerPolicyStep, etag: string, clients: ArmClients): Promise<PolicySnapshot> {
  const policy = await clients.storage.blobContainers.lockImmutabilityPolicy(step.resourceGroup, step.accountName, step.containerName, etag);
  return {
    state: policy.state ?? "unknown",
    retentionDays: policy.immutabilityPeriodSinceCreationInDays,
    allowProtectedAppendWrites: policy.allowProtectedAppendWrites ?? false,
    etag: policy.etag,
  };
}

async function lockAccount(step: AccountWormStep, before: PolicySnapshot, clients: ArmClients): Promise<PolicySnapshot> {
  // Storage accounts carry no ETag, so the PATCH repeats the period and append-writes flag just
  // read and checked: the policy that gets locked is the one verified, even if it changed since.
  const immutability: ImmutableStorageAccount = {
    enabled: true,
    immutabilityPolicy: {
      state: "Locked",
      immutabilityPeriodSinceCreationInDays: before.retentionDays,
      allowProtectedAppendWrites: before.allowProtectedAppendWrites,
    },
  };
  // @azure/arm-storage 20.0.0 (the last release for Node 20; 20.1.0 needs Node 22) drops the whole
  // `properties` of a PATCH whose only property is immutableStorageWithVersioning: its serializer
  // asks whether "ImmutableStorageWithVersioning" (capital I) is set. The misspelt twin makes it
  // serialize; a fixed serializer maps its fields explicitly and ignores the twin. Without it ARM
  // would answer 200 with the policy still Unlocked (tests/seal.test.ts shows the check catching that).
  const parameters: StorageAccountUpdateParameters & { ImmutableStorageWithVersioning: ImmutableStorageAccount } = {
    immutableStorageWithVersioning: immutability,
    ImmutableStorageWithVersioning: immutability,
  };
  const account = await clients.storage.storageAccounts.update(step.resourceGroup, step.accountName, parameters);
  const policy = account.immutableStorageWithVersioning?.immutabilityPolicy;
  return {
    state: policy?.state ?? "unknown",
    retentionDays: policy?.immutabilityPeriodSinceCreationInDays,
    allowProtectedAppendWrites: policy?.allowProtectedAppendWrites ?? false,
  };
}

async function lockVault(step: BackupVaultStep, clients: ArmClients): Promise<PolicySnapshot> {
  // Only the immutability state is sent: ARM PATCH merges, and re-sending the vault's other security
  // settings (its CMK encryptionSettings) would have the service re-validate them (audit F2).
  const vault = await clients.resourceManager.resources.beginUpdateByIdAndWait(
    byIdPath(step.resourceId),
    dataProtectionApiVersion,
    { properties: { securitySettings: { immutabilitySettings: { state: "Locked" } } } },
    clients.pollIntervalMs === undefined ? {} : { updateIntervalInMs: clients.pollIntervalMs },
  );
  return { state: vaultImmutability(vault.properties) ?? "unknown" };
}

async function lock(step: SealStep, before: PolicySnapshot, clients: ArmClients): Promise<PolicySnapshot> {
  switch (step.kind) {
    case "container-policy":
      return lockContainer(step, before.etag as string, clients);
    case "account-worm":
      return lockAccount(step, before, clients);
    case "backup-vault":
      return lockVault(step, clients);
  }
}

/**
 * Runs the plan against ARM, recording every read and write in `evidence` (and calling `onChange`
 * after each). Ends with `evidence.result` `sealed` or `already-sealed`.
 *
 * @throws SealError - a state that must not be sealed (nothing is written then), or a write ARM
 * rejected (earlier locks stay made; later steps are `not-attempted`). `evidence.result` is `failed`.
 */
export async function executeSeal(plan: SealPlan, clients: ArmClients, evidence: Evidence, onChange: EvidenceListener = () => undefined): Promise<void> {
  const records = evidence.steps;
  const pending: number[] = [];
  const problems: string[] = [];
  function fail(message: string): never {
    for (const record of records) if (record.outcome === "planned") record.outcome = "not-attempted";
    evidence.result = "failed";
    evidence.error = message;
    onChange(evidence);
    throw new SealError(message);
  }

  // 1. Read everything first: no write happens unless every step is in a state that may be sealed.
  for (const [i, step] of plan.steps.entries()) {
    const record = records[i];
    let before: PolicySnapshot | undefined;
    try {
      before = await readState(step, clients);
    } catch (err) {
      record.outcome = "failed";
      record.error = `reading the current state failed: ${describe(err)}`;
      fail(`Cannot read ${step.label} (${step.resourceId}): ${describe(err)}. Nothing was locked.`);
    }
    record.before = before ?? { state: "NoContainerPolicy" };
    record.readAt = now();
    const verdict = judge(step, before, plan);
    if ("lock" in verdict) {
      pending.push(i);
    } else if ("skip" in verdict) {
      record.outcome = verdict.skip;
    } else {
      record.outcome = "failed";
      record.error = verdict.problem;
      problems.push(`  - ${step.label}: ${verdict.problem}`);
    }
  }
  onChange(evidence);
  if (problems.length > 0) {
    fail(
      [
        `Refusing to seal stack "${plan.stack}": ${problems.length} resource${problems.length === 1 ? " is" : "s are"} not as the settings describe. Nothing was locked.`,
        ...problems,
      ].join("\n"),
    );
  }

  // 2. Lock what is still Unlocked, in plan order; stop at the first rejection.
  let locked = 0;
  for (const i of pending) {
    const step = plan.steps[i];
    const record = records[i];
    const before = record.before as PolicySnapshot;
    record.ifMatch = step.kind === "container-policy" ? (before.etag as string) : null;
    evidence.writes += 1;
    let after: PolicySnapshot;
    try {
      after = await lock(step, before, clients);
    } catch (err) {
      record.outcome = "failed";
      record.writtenAt = now();
      record.error = describe(err);
      fail(
        `Sealing stopped at ${step.label}: ${describe(err)}\n${locked} of ${pending.length} lock${pending.length === 1 ? "" : "s"} were made before it; the evidence lists each.`,
      );
    }
    record.after = after;
    record.writtenAt = now();
    if (after.state !== "Locked") {
      record.outcome = "failed";
      record.error = `ARM accepted the write but reports the state "${after.state}"`;
      fail(`Sealing stopped at ${step.label}: ${record.error}`);
    }
    record.outcome = "locked";
    locked += 1;
    onChange(evidence);
  }
  evidence.result = pending.length === 0 ? "already-sealed" : "sealed";
  onChange(evidence);
}
