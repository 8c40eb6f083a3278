import type { Capture, CapturedResource } from "../tools/engine/capture";
import { criticalPath } from "../tools/analysis/criticalPath";
import { backupProblems } from "../components/embassyBackup/embassyBackup";
import { governanceProblems } from "../components/embassyGovernance/embassyGovernance";
import { keyCustodyProblems } from "../components/keyCustody/keyCustody";
import { defaultRoleAssignmentPropagationWait } from "../components/shared/propagation";
import { durationMinutes, propagationWaitError, roleAssignmentPropagation } from "../catalog/limits";
import { builtInRoles } from "../catalog/roles";
import { failedPlan, managedHsmConfig, ofType, plan, registered, single, exceptFlowLogs } from "./helpers";

/**
 * Issue 15 item 3 (audit F4, F23): a consumer of a grant waits until the grant is effective, not
 * merely created — through a `time:Sleep` of `roleAssignmentPropagationWait` after each group of
 * grants (or after each custom role).
 */

const sleepType = "time:index/sleep:Sleep";
const roleType = "azure-native:authorization:RoleAssignment";
const roleDefinitionType = "azure-native:authorization:RoleDefinition";
const accountType = "azure-native:storage:StorageAccount";
const scopeType = "azure-native:storage:EncryptionScope";
const backupVaultType = "azure-native:dataprotection:BackupVault";
const instanceType = "azure-native:dataprotection:BackupInstance";
const identityType = "azure-native:managedidentity:UserAssignedIdentity";

const inputs = (r: CapturedResource) => r.inputs as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const roleGuid = (r: CapturedResource) => String(inputs(r).roleDefinitionId).split("/").pop();
const byName = (capture: Capture, name: string) => {
  const found = capture.resources.find((r) => r.name === name);
  if (found === undefined) throw new Error(`no resource named ${name}`);
  return found;
};

/** Every custom resource `r` waits for: its dependencies, theirs, …; a component stands for everything inside it. */
function waitsFor(capture: Capture, r: CapturedResource): Set<string> {
  const byUrn = new Map(capture.resources.map((c) => [c.urn, c]));
  const inside = (urn: string): string[] => {
    const c = byUrn.get(urn);
    if (c === undefined) return [];
    return c.custom ? [urn] : capture.resources.filter((child) => child.parent === urn).flatMap((child) => inside(child.urn));
  };
  const seen = new Set<string>();
  const queue = r.dependencies.flatMap(inside);
  while (queue.length > 0) {
    const urn = queue.pop()!;
    if (seen.has(urn)) continue;
    seen.add(urn);
    queue.push(...(byUrn.get(urn)?.dependencies ?? []).flatMap(inside));
  }
  return seen;
}

/** The Sleeps `consumer` waits for that themselves wait for every one of `grants`. */
function waitsAfter(capture: Capture, consumer: CapturedResource, grants: readonly CapturedResource[]): CapturedResource[] {
  const upstream = waitsFor(capture, consumer);
  return ofType(capture, sleepType).filter((s) => upstream.has(s.urn) && grants.every((g) => s.dependencies.includes(g.urn)));
}

const cryptoGrants = (capture: Capture, purpose: "storage" | "storage-standby") => {
  const identity = byName(capture, `embassy-keys-id-${purpose}`);
  return ofType(capture, roleType).filter((r) => roleGuid(r) === builtInRoles.keyVaultCryptoServiceEncryptionUser && r.dependencies.includes(identity.urn));
};
const customRoleAssignments = (capture: Capture) => {
  const definitions = ofType(capture, roleDefinitionType);
  return ofType(capture, roleType).flatMap((a) => {
    const definition = definitions.find((d) => a.dependencies.includes(d.urn));
    return definition === undefined ? [] : [{ assignment: a, definition }];
  });
};

describe("role-assignment propagation: the dev stack", () => {
  let dev: Capture;
  beforeAll(async () => {
    dev = await plan();
  }, 180_000);

  it("sleeps the configured default (10 minutes, Microsoft's documented worst case) and says where it comes from", () => {
    expect(defaultRoleAssignmentPropagationWait).toBe("10m");
    expect(roleAssignmentPropagation.source).toBe("https://learn.microsoft.com/azure/role-based-access-control/troubleshooting");
    const sleeps = ofType(dev, sleepType);
    expect(sleeps.length).toBeGreaterThanOrEqual(4);
    for (const s of sleeps) expect(inputs(s).createDuration).toBe("10m");
  });

  it("makes the storage account and every encryption scope wait until the storage identity's key grants are in effect", () => {
    const grants = cryptoGrants(dev, "storage");
    expect(grants).toHaveLength(1 + 8); // the account key and one per register
    const consumers = [single(exceptFlowLogs(dev), accountType), ...ofType(dev, scopeType)];
    expect(consumers).toHaveLength(1 + 8);
    for (const consumer of consumers) {
      expect({ consumer: consumer.name, waits: waitsAfter(dev, consumer, grants).map((s) => s.name) }).toEqual({
        consumer: consumer.name,
        waits: ["embassy-keys-grants-effective-storage"],
      });
    }
  });

  it("waits once per group of grants: the storage Sleep follows all of them, keyed by key name (reordering registers replaces nothing)", () => {
    const wait = byName(dev, "embassy-keys-grants-effective-storage");
    const grants = cryptoGrants(dev, "storage");
    const standbyGrants = cryptoGrants(dev, "storage-standby");
    expect(wait.dependencies).toEqual(expect.arrayContaining([...grants, ...standbyGrants].map((g) => g.urn)));
    const keyOf = (g: CapturedResource) => `${standbyGrants.includes(g) ? "standby-" : ""}${String(inputs(g).scope).split("/keys/")[1]}`;
    expect(standbyGrants).toHaveLength(grants.length);
    expect(Object.keys(inputs(wait).triggers).sort()).toEqual([...grants, ...standbyGrants].map(keyOf).sort());
    for (const g of [...grants, ...standbyGrants])
      expect(inputs(wait).triggers[keyOf(g)]).toMatch(/\/providers\/Microsoft\.Authorization\/roleAssignments\/[0-9a-f-]{36}$/);
    expect(wait.parent).toBe(single(dev, "dataembassy:index:KeyCustody").urn);
  });

  it("grants the backup vault's own identity its key when the vault is built, and uses the key only a pulumi up later (phase keys-ready)", async () => {
    const vault = single(dev, backupVaultType);
    const grant = ofType(dev, roleType).find((r) => roleGuid(r) === builtInRoles.keyVaultCryptoServiceEncryptionUser && r.dependencies.includes(vault.urn));
    expect(grant).toBeDefined();
    expect(inputs(grant as CapturedResource).principalType).toBe("ServicePrincipal");
    // Phase build: no key yet (the vault cannot wait for a grant on its own identity within one update).
    expect(inputs(vault).properties.securitySettings.encryptionSettings).toBeUndefined();
    const keysReady = await plan({ config: { phase: "keys-ready" } });
    expect(inputs(single(keysReady, backupVaultType)).properties.securitySettings.encryptionSettings).toEqual({
      state: "Enabled",
      keyVaultProperties: { keyUri: expect.stringMatching(/\/keys\/cmk-backup$/) },
      kekIdentity: { identityType: "SystemAssigned" },
    });
  });

  it("configures protection only once the vault's Storage Account Backup Contributor grant is in effect", () => {
    const grant = ofType(dev, roleType).filter((r) => roleGuid(r) === builtInRoles.storageAccountBackupContributor);
    expect(grant).toHaveLength(1);
    const instance = single(dev, instanceType);
    const waits = waitsAfter(dev, instance, grant);
    expect(waits.map((s) => s.name)).toEqual(["embassy-backup-storage-grant-effective"]);
    // Directly, so a reader of the instance sees why it waits.
    expect(instance.dependencies).toContain(waits[0].urn);
    expect(waits[0].parent).toBe(single(dev, "dataembassy:index:EmbassyBackup").urn);
  });

  it("assigns a custom role only once the role definition has had time to replicate", () => {
    const assignments = customRoleAssignments(dev);
    expect(assignments.length).toBeGreaterThanOrEqual(1); // the operator role in every stack with operators
    for (const { assignment, definition } of assignments) {
      const waits = waitsAfter(dev, assignment, [definition]);
      expect({ assignment: assignment.name, waits: waits.length }).toEqual({ assignment: assignment.name, waits: 1 });
      expect(assignment.dependencies).toContain(waits[0].urn);
      expect(inputs(waits[0]).triggers).toEqual({ roleDefinition: expect.stringMatching(/\/roleDefinitions\/[0-9a-f-]{36}$/) });
    }
  });

  it("names the principal type of every grant to a managed identity (no directory lookup while a new identity replicates)", () => {
    const identities = [...ofType(dev, identityType), single(dev, backupVaultType)].map((r) => r.urn);
    const toManagedIdentities = ofType(dev, roleType).filter((r) => r.dependencies.some((d) => identities.includes(d)));
    // Each key's grant, each storage key's to the standby identity, the vault's on the account, each flow-log writer's (host and standby VNet) on its account.
    expect(toManagedIdentities).toHaveLength(10 + 9 + 1 + 2);
    for (const grant of toManagedIdentities)
      expect({ grant: grant.name, principalType: inputs(grant).principalType }).toEqual({ grant: grant.name, principalType: "ServicePrincipal" });
  });

  it("is mocked offline like the time provider: inputs kept as state, no generic-id warning", () => {
    expect(dev.diagnostics.filter((d) => d.message.includes(sleepType))).toEqual([]);
  });

  it("shows the waits on the critical path and in its minutes", () => {
    const path = criticalPath(dev);
    expect(path.chain.filter((r) => r.type === sleepType)).toHaveLength(2);
    expect(path.untimedTypes).toEqual([]);
    const withoutWaits = path.chain.filter((r) => r.type !== sleepType);
    expect(path.minutes).toBeGreaterThanOrEqual(20);
    expect(withoutWaits.length).toBe(path.chain.length - 2);
  });
});

describe("role-assignment propagation: configuration", () => {
  it("follows roleAssignmentPropagationWait in every Sleep and in the critical path", async () => {
    const [dev, short] = await Promise.all([plan(), plan({ config: { roleAssignmentPropagationWait: "90s" } })]);
    const sleeps = ofType(short, sleepType);
    expect(sleeps.map((s) => s.name).sort()).toEqual(
      ofType(dev, sleepType)
        .map((s) => s.name)
        .sort(),
    );
    for (const s of sleeps) expect(inputs(s).createDuration).toBe("90s");
    // Two waits on the path: each 8.5 minutes shorter.
    expect(criticalPath(short).minutes).toBeCloseTo(criticalPath(dev).minutes - 2 * 8.5, 5);
  });

  it("accepts 0 (no wait) and up to 30 minutes", async () => {
    const none = await plan({ config: { roleAssignmentPropagationWait: "0" } });
    for (const s of ofType(none, sleepType)) expect(inputs(s).createDuration).toBe("0");
    expect(propagationWaitError("30m")).toBeUndefined();
    expect(propagationWaitError("1h")).toMatch(/at most 30 minutes/);
  });

  it.each([
    ["10", /must be a duration such as "10m"/],
    ["ten minutes", /must be a duration/],
    ["1d", /must be a duration/],
    ["-5m", /must be a duration/],
    ["31m", /must be at most 30 minutes/],
  ])("refuses %j with a config error naming the key, before anything is registered", async (value, why) => {
    const { message, capture } = await failedPlan({ config: { roleAssignmentPropagationWait: value } });
    expect(message).toContain("data-embassy:roleAssignmentPropagationWait:");
    expect(message).toMatch(why);
    expect(registered(capture)).toEqual([]);
  });

  it("parses Go durations as the time provider does (h, m, s, ms; combined; decimals)", () => {
    expect(durationMinutes("10m")).toBe(10);
    expect(durationMinutes("90s")).toBe(1.5);
    expect(durationMinutes("1h")).toBe(60);
    expect(durationMinutes("1h30m")).toBe(90);
    expect(durationMinutes("2.5m")).toBe(2.5);
    expect(durationMinutes("60000ms")).toBe(1);
    expect(durationMinutes("0")).toBe(0);
    for (const bad of ["", "10", "m", "1d", "-1m", "10 m", "1.m", "0x10m"]) expect(durationMinutes(bad)).toBeUndefined();
  });

  it("lets each component refuse a bad wait by its argument path", () => {
    const context = { location: "westeurope" } as Parameters<typeof keyCustodyProblems>[0]["context"];
    const paths = (problems: { propertyPath: string; reason: string }[]) =>
      problems.filter((p) => p.propertyPath === "roleAssignmentPropagationWait").map((p) => p.reason);
    expect(paths(keyCustodyProblems({ context, registers: ["a"], keyCustodians: [], roleAssignmentPropagationWait: "soon" }))).toEqual([
      expect.stringMatching(/must be a duration/),
    ]);
    expect(paths(keyCustodyProblems({ context, registers: ["a"], keyCustodians: [] }))).toEqual([]);
    const backup = { context, storageAccount: { id: "x", name: "x" }, containers: [{ name: "a", id: "x" }], encryption: { keyName: "x", keyUri: "x" } };
    expect(paths(backupProblems({ ...backup, roleAssignmentPropagationWait: "45m" }))).toEqual([expect.stringMatching(/at most 30 minutes/)]);
    expect(paths(backupProblems(backup))).toEqual([]);
    const governance = {
      context,
      principals: { operators: [], auditors: [], dataIngestPrincipals: [] },
      ingestScopes: {},
      keyStores: [{ kind: "keyVault" as const, id: "x", name: "x", location: "westeurope" }],
      locks: [],
      diagnostics: [],
      policy: { approvedRegions: ["westeurope"], lockedBackupImmutability: false },
      alertEmails: [],
    };
    expect(paths(governanceProblems({ ...governance, roleAssignmentPropagationWait: "1d" }))).toEqual([expect.stringMatching(/must be a duration/)]);
    expect(paths(governanceProblems(governance))).toEqual([]);
  });

  it("adds no key-grant wait in Managed HSM mode, where the key grants are made by hand in the ceremony", async () => {
    const hsm = await plan({ config: managedHsmConfig });
    const custody = single(hsm, "dataembassy:index:KeyCustody").urn;
    expect(ofType(hsm, sleepType).filter((s) => s.parent === custody)).toEqual([]);
  });
});
