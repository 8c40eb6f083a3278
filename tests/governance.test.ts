import type { Capture, CapturedResource } from "../tools/engine/capture";
import { armTypes } from "../tools/engine/armIds";
import { auditorMetadataDataActions, builtInRolePermissions, principalProblems } from "../components/embassyGovernance/access";
import { effectFor, policyBaseline } from "../components/embassyGovernance/policyBaseline";
import { governanceProblems } from "../components/embassyGovernance/embassyGovernance";
import { builtInRoles, forbiddenRoles } from "../catalog/roles";
import { validateSettings } from "../settings/loadSettings";
import { azurePolicies } from "../catalog/azurePolicies";
import { controlsById } from "../catalog/controls";
import { failedPlan, managedHsmConfig, ofType, plan, registered, single, unpairedHostConfig } from "./helpers";

// Principals of Pulumi.dev.yaml and Pulumi.prod.yaml (the same people in both).
const auditor = "8a7c6b5d-4e3f-4a2b-9c1d-0e9f8a7b6c5d";
const operator = "1b2c3d4e-5f6a-4b7c-8d9e-0f1a2b3c4d5e";
const ingest = "6e5d4c3b-2a19-4f8e-b7d6-c5b4a3928170";
const devRegions = ["westeurope", "northeurope", "germanywestcentral", "germanynorth", "francecentral", "francesouth"];
const prodRegions = ["germanywestcentral", "germanynorth", "francecentral", "francesouth"];
const registerNames = ["population", "land", "business", "pensions", "treasury", "identity-documents", "state-gazette", "tax"];

const t = {
  roleAssignment: "azure-native:authorization:RoleAssignment",
  roleDefinition: "azure-native:authorization:RoleDefinition",
  roleEligibility: "azure-native:authorization:PimRoleEligibilitySchedule",
  lock: "azure-native:authorization:ManagementLockByScope",
  policyAssignment: "azure-native:authorization:PolicyAssignment",
  workspace: "azure-native:operationalinsights:Workspace",
  table: "azure-native:operationalinsights:Table",
  diagnosticSetting: "azure-native:monitor:DiagnosticSetting",
  activityExport: "azure-native:monitor:SubscriptionDiagnosticSetting",
  actionGroup: "azure-native:monitor:ActionGroup",
  activityLogAlert: "azure-native:monitor:ActivityLogAlert",
  logAlert: "azure-native:monitor:ScheduledQueryRule",
  systemTopic: "azure-native:eventgrid:SystemTopic",
  eventSubscription: "azure-native:eventgrid:SystemTopicEventSubscription",
  storageAccount: "azure-native:storage:StorageAccount",
  vault: "azure-native:keyvault:Vault",
  managedHsm: "azure-native:keyvault:ManagedHsm",
  backupVault: "azure-native:dataprotection:BackupVault",
  resourceGuard: "azure-native:dataprotection:ResourceGuard",
  identity: "azure-native:managedidentity:UserAssignedIdentity",
  nsg: "azure-native:network:NetworkSecurityGroup",
};

/** Resources whose deletion loses register data, keys, the ability to decrypt, backups or the audit trail. */
const statefulTypes = [t.storageAccount, t.vault, t.managedHsm, t.backupVault, t.resourceGuard, t.workspace, t.identity];

/** The Azure name of a captured resource (its name input, as the mocks use it for the ARM id). */
function azureName(r: CapturedResource): string {
  const name = r.inputs[armTypes[r.type].nameInput];
  if (typeof name !== "string") throw new Error(`${r.name} has no explicit Azure name`);
  return name;
}

/** True if `id` is the ARM id of `r` (optionally followed by a sub-resource path). */
function isIdOf(id: unknown, r: CapturedResource, subPath = ""): boolean {
  const provider = armTypes[r.type].id.split("/providers/")[1].replace("{name}", azureName(r));
  return typeof id === "string" && id.endsWith(`/resourceGroups/${String(r.inputs.resourceGroupName)}/providers/${provider}${subPath}`);
}

const guidOf = (roleDefinitionId: unknown) => String(roleDefinitionId).split("/").pop() ?? "";
const assignmentsOf = (c: Capture, guid: string) => ofType(c, t.policyAssignment).filter((a) => String(a.inputs.policyDefinitionId).endsWith(`/${guid}`));
const effectOf = (a: CapturedResource) => {
  const params = a.inputs.parameters as Record<string, { value: unknown }>;
  return (params.effect ?? params.audit_effect).value;
};

describe("governance and audit", () => {
  let dev: Capture;
  let prod: Capture;
  beforeAll(async () => {
    dev = await plan();
    // Prod, keeping logs 7 years: beyond a workspace's 730-day interactive limit.
    prod = await plan({ stack: "prod", config: { logRetentionDays: 2555 } });
  });

  describe("roles", () => {
    it("grants nobody Owner, Contributor or User Access Administrator, and defines no wildcard role", () => {
      for (const c of [dev, prod]) {
        const assignments = ofType(c, t.roleAssignment);
        expect(assignments.length).toBeGreaterThan(0);
        for (const a of assignments) expect(forbiddenRoles).not.toContain(guidOf(a.inputs.roleDefinitionId));
        for (const d of ofType(c, t.roleDefinition)) {
          const permissions = d.inputs.permissions as { actions: string[]; dataActions: string[] }[];
          for (const action of permissions.flatMap((p) => [...p.actions, ...p.dataActions])) {
            expect(action).not.toMatch(/\*/);
            expect(action).not.toMatch(/^Microsoft\.Authorization\//i);
          }
        }
      }
    });

    it("gives auditors read-only roles whose only data actions read key metadata", () => {
      const mine = ofType(dev, t.roleAssignment).filter((a) => a.inputs.principalId === auditor);
      const custom = new Map(ofType(dev, t.roleDefinition).map((d) => [String(d.inputs.roleDefinitionId), d]));
      const granted = mine.map((a) => {
        const guid = guidOf(a.inputs.roleDefinitionId);
        const builtIn = builtInRolePermissions[guid];
        const definition = custom.get(guid);
        if (builtIn === undefined && definition === undefined)
          throw new Error(`auditor holds unknown role ${guid}: add it to builtInRolePermissions with Microsoft's definition`);
        const dataActions = builtIn?.dataActions ?? (definition?.inputs.permissions as { dataActions: string[] }[]).flatMap((p) => p.dataActions);
        for (const action of dataActions) expect(auditorMetadataDataActions).toContain(action);
        return { role: builtIn?.roleName, scope: String(a.inputs.scope) };
      });
      const vault = single(dev, t.vault);
      const workspace = single(dev, t.workspace);
      expect(granted).toEqual(
        expect.arrayContaining([
          { role: "Reader", scope: expect.stringMatching(/\/resourceGroups\/rg-ee-emb-dev$/) },
          { role: "Key Vault Reader", scope: expect.stringContaining(`/vaults/${azureName(vault)}`) },
          { role: "Log Analytics Reader", scope: expect.stringContaining(`/workspaces/${azureName(workspace)}`) },
        ]),
      );
      expect(granted).toHaveLength(3);
      // The metadata data actions themselves never reach blob contents, secret values or key operations.
      for (const action of auditorMetadataDataActions) expect(action).toMatch(/^Microsoft\.KeyVault\/vaults\/.*(\/read|readMetadata\/action)$/);
    });

    it("lets operators read everything and operate (alerts, backups, restores) without writes or data access", () => {
      const mine = ofType(dev, t.roleAssignment).filter((a) => a.inputs.principalId === operator);
      const role = ofType(dev, t.roleDefinition).find((d) => String(d.inputs.roleName).startsWith("Data Embassy Operator"));
      expect(role).toBeDefined();
      expect(mine.map((a) => guidOf(a.inputs.roleDefinitionId)).sort()).toEqual([builtInRoles.reader, String(role?.inputs.roleDefinitionId)].sort());
      for (const a of mine) expect(a.inputs.scope).toMatch(/\/resourceGroups\/rg-ee-emb-dev$/);
      const [permissions] = role?.inputs.permissions as { actions: string[]; dataActions: string[] }[];
      expect(permissions.dataActions).toEqual([]);
      for (const action of permissions.actions) expect(action).toMatch(/\/action$|supportTickets\/write$/);
      expect(permissions.actions.join(" ")).not.toMatch(/listKeys|Microsoft\.Storage|Microsoft\.KeyVault/i);
    });

    it("lets operators run a cross-region restore end to end: list the paired region's recovery points, validate, trigger, track", () => {
      const role = ofType(prod, t.roleDefinition).find((d) => String(d.inputs.roleName).startsWith("Data Embassy Operator"));
      const [permissions] = role?.inputs.permissions as { actions: string[]; dataActions: string[] }[];
      // Microsoft's names, as the built-in Backup Contributor and Backup Operator roles list them.
      const crr = "Microsoft.DataProtection/subscriptions/resourceGroups/providers/locations";
      expect(permissions.actions).toEqual(
        expect.arrayContaining([
          "Microsoft.DataProtection/backupVaults/backupInstances/validateRestore/action",
          "Microsoft.DataProtection/backupVaults/backupInstances/restore/action",
          `${crr}/fetchSecondaryRecoveryPoints/action`,
          `${crr}/validateCrossRegionRestore/action`,
          `${crr}/crossRegionRestore/action`,
          `${crr}/fetchCrossRegionRestoreJobs/action`,
          `${crr}/fetchCrossRegionRestoreJob/action`,
        ]),
      );
      // The restore target's role grant is the restore administrator's (docs/restore.md), never the operator's.
      expect(permissions.actions.join(" ")).not.toMatch(/Microsoft\.Authorization\/|roleAssignments/i);
      expect(permissions.dataActions).toEqual([]);
      // Operators hold it in prod too (Reader + this role); the pack judges it in tests/policy-plans.test.ts (duty-least-privilege).
      expect(ofType(prod, t.roleAssignment).filter((a) => a.inputs.principalId === operator)).toHaveLength(2);
    });

    it("lets the ingest identity only write, and only into register containers", () => {
      const mine = ofType(dev, t.roleAssignment).filter((a) => a.inputs.principalId === ingest);
      const writer = ofType(dev, t.roleDefinition).find((d) => String(d.inputs.roleName).startsWith("Data Embassy Register Writer"));
      expect(writer?.inputs.permissions).toEqual([
        {
          actions: [],
          notActions: [],
          dataActions: [
            "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/write",
            "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/add/action",
          ],
          notDataActions: [],
        },
      ]);
      expect(mine.map((a) => String(a.inputs.scope).split("/containers/")[1]).sort()).toEqual([...registerNames].sort());
      for (const a of mine) {
        // Named by register, so reordering the registers replaces no grant.
        expect(a.name).toBe(`embassy-governance-ingest-${ingest}-${String(a.inputs.scope).split("/containers/")[1]}`);
        expect(guidOf(a.inputs.roleDefinitionId)).toBe(writer?.inputs.roleDefinitionId);
        expect(a.dependencies).toContain(writer?.urn);
      }
    });

    it("rejects bad or doubled principal ids by config key, before anything is registered", async () => {
      const { message, capture } = await failedPlan({ config: { auditors: ["not-a-guid"], dataIngestPrincipals: [operator] } });
      expect(message).toMatch(/data-embassy:auditors\[0\]: must be an Entra object id/);
      expect(message).toMatch(new RegExp(`data-embassy:dataIngestPrincipals\\[0\\]: ${operator} is already in operators`));
      expect(registered(capture)).toEqual([]);
    });

    it("allows one duty per principal across custodians, operators, auditors and ingest", () => {
      const custodian = "3f2b8c1e-6d4a-4b7e-9a21-5c8d0e7f1a24";
      const { problems } = validateSettings({
        environment: "dev",
        homeCountry: "EE",
        namePrefix: "ee",
        hostRegion: "westeurope",
        registers: [{ name: "tax", description: "Tax register" }],
        keyCustodians: [custodian],
        auditors: [custodian.toUpperCase()],
        operators: [operator, operator],
      });
      expect(problems).toEqual([
        { key: "operators[1]", message: `${operator} is listed twice` },
        { key: "auditors[0]", message: expect.stringMatching(/is already in keyCustodians: a principal may hold one duty only/) },
      ]);
    });

    it("checks principals when the component is used on its own", () => {
      expect(principalProblems({ operators: [operator], auditors: [operator.toUpperCase(), "x"], dataIngestPrincipals: [] })).toEqual([
        { propertyPath: "principals.auditors[0]", reason: `${operator.toUpperCase()} is already listed in operators: one duty per principal` },
        { propertyPath: "principals.auditors[1]", reason: '"x" is not an Entra object id (a GUID)' },
      ]);
    });
  });

  describe("locks", () => {
    it("puts a CanNotDelete lock on every stateful resource", () => {
      for (const c of [dev, prod]) {
        const locks = ofType(c, t.lock);
        const stateful = c.resources.filter((r) => statefulTypes.includes(r.type));
        expect(stateful.map((r) => r.type)).toEqual(expect.arrayContaining([t.storageAccount, t.vault, t.backupVault, t.workspace, t.identity]));
        for (const r of stateful) {
          const lock = locks.find((l) => isIdOf(l.inputs.scope, r) && l.dependencies.includes(r.urn));
          expect({ resource: r.name, level: lock?.inputs.level }).toEqual({ resource: r.name, level: "CanNotDelete" });
        }
      }
    });

    it("protects the locks in production, so Pulumi never lifts one on its own", () => {
      for (const lock of ofType(prod, t.lock)) expect(lock.options).toMatchObject({ protect: true, retainOnDelete: true });
      for (const lock of ofType(dev, t.lock)) expect(lock.options.protect).toBe(false);
    });
  });

  describe("Azure Policy", () => {
    it("assigns allowed locations (resources and resource groups) with exactly the approved regions, on the resource group", () => {
      for (const [c, regions] of [
        [dev, devRegions],
        [prod, prodRegions],
      ] as const) {
        for (const guid of [azurePolicies.allowedLocations.guid, azurePolicies.allowedResourceGroupLocations.guid, azurePolicies.dataResidency.guid]) {
          const [assignment, ...more] = assignmentsOf(c, guid);
          expect(more).toEqual([]);
          const listed = (assignment.inputs.parameters as { listOfAllowedLocations: { value: string[] } }).listOfAllowedLocations.value;
          expect([...listed].sort()).toEqual([...regions].sort());
          expect(assignment.inputs.scope).toMatch(/^\/subscriptions\/[^/]+\/resourceGroups\/rg-ee-emb-(dev|prod)$/);
        }
      }
    });

    it("denies in prod where a GA definition allows it, audits everything in dev (policyEnforcement: Audit)", () => {
      const byKey = (c: Capture, key: string) =>
        single({ ...c, resources: ofType(c, t.policyAssignment).filter((a) => a.inputs.policyAssignmentName === `embassy-${key}`) }, t.policyAssignment);
      expect(effectOf(byKey(prod, "allowed-locations"))).toBe("Deny");
      expect(effectOf(byKey(prod, "storage-shared-key-disabled"))).toBe("Deny");
      expect(effectOf(byKey(prod, "kv-purge-protection"))).toBe("Deny");
      // Only Audit allowed, preview, or AuditIfNotExists-only definitions.
      expect(effectOf(byKey(prod, "storage-customer-managed-key"))).toBe("Audit");
      expect(effectOf(byKey(prod, "backup-customer-managed-key"))).toBe("Audit");
      expect(effectOf(byKey(prod, "blob-logging"))).toBe("AuditIfNotExists");
      expect(byKey(prod, "kv-private-endpoint").inputs.parameters).toEqual({ audit_effect: { value: "Audit" } });
      // "Allowed resource types" has no effect parameter (a fixed deny): its enforcement mode follows policyEnforcement (tests/auditTrail.test.ts).
      const withEffect = (c: Capture) =>
        ofType(c, t.policyAssignment).filter((a) => guidOf(a.inputs.policyDefinitionId) !== azurePolicies.allowedResourceTypes.guid);
      for (const a of withEffect(dev)) expect(["Audit", "AuditIfNotExists"]).toContain(effectOf(a));
      for (const a of withEffect(prod)) expect(["Deny", "Audit", "AuditIfNotExists"]).toContain(effectOf(a));
      expect(withEffect(prod).filter((a) => effectOf(a) === "Deny").length).toBeGreaterThan(15);
    });

    it("assigns only built-ins the policy pack's catalog refers to, each once", () => {
      const known = new Set(Object.values(azurePolicies).map((p) => p.guid));
      const guids = ofType(dev, t.policyAssignment).map((a) => guidOf(a.inputs.policyDefinitionId));
      for (const guid of guids) expect(known).toContain(guid);
      expect(new Set(guids).size).toBe(guids.length);
      // The baseline plus "Allowed resource types", assigned with the list DataEmbassy records.
      expect(guids).toHaveLength(policyBaseline.length + 1);
    });

    it("picks the strongest allowed effect, never DeployIfNotExists or Disabled", () => {
      const dine = policyBaseline.find((p) => p.key === "blob-logging")!;
      expect(effectFor(dine, "Deny")).toBe("AuditIfNotExists");
      const preview = policyBaseline.find((p) => p.key === "backup-customer-managed-key")!;
      expect(preview.allowedEffects).toContain("Deny");
      expect(effectFor(preview, "Deny")).toBe("Audit");
      expect(() => effectFor({ ...dine, allowedEffects: ["DeployIfNotExists", "Disabled"] }, "Audit")).toThrow(/allows no Deny or Audit effect/);
    });
  });

  describe("logs", () => {
    it("sends every vault, storage account (and its blob service), backup vault and NSG to the workspace", () => {
      for (const c of [dev, prod]) {
        const workspace = single(c, t.workspace);
        const settings = ofType(c, t.diagnosticSetting).filter((s) => isIdOf(s.inputs.workspaceId, workspace));
        const enabled = (s: CapturedResource) => (s.inputs.logs as { category?: string; categoryGroup?: string; enabled: boolean }[]).filter((l) => l.enabled);
        const settingOf = (r: CapturedResource, subPath = "") => settings.find((s) => isIdOf(s.inputs.resourceUri, r, subPath));
        for (const store of [...ofType(c, t.vault), ...ofType(c, t.managedHsm), ...ofType(c, t.backupVault), ...ofType(c, t.nsg)]) {
          expect({ resource: store.name, groups: enabled(settingOf(store)!).map((l) => l.categoryGroup) }).toEqual({
            resource: store.name,
            groups: ["allLogs"],
          });
        }
        const accounts = ofType(c, t.storageAccount);
        expect(accounts.length).toBeGreaterThan(0);
        for (const account of accounts) {
          expect(settingOf(account)).toBeDefined();
          expect(enabled(settingOf(account, "/blobServices/default")!).map((l) => l.category)).toEqual(["StorageRead", "StorageWrite", "StorageDelete"]);
        }
        expect(ofType(c, t.backupVault)).toHaveLength(1);
      }
    });

    it("keeps a protected, Entra-only workspace for logRetentionDays, per table beyond 730 days", () => {
      const devWorkspace = single(dev, t.workspace);
      expect(devWorkspace.inputs).toMatchObject({ retentionInDays: 90, features: { disableLocalAuth: true }, publicNetworkAccessForIngestion: "Disabled" });
      expect(devWorkspace.options.protect).toBe(false);
      expect(ofType(dev, t.table)).toEqual([]);

      const prodWorkspace = single(prod, t.workspace);
      expect(prodWorkspace.inputs.retentionInDays).toBe(730);
      expect(prodWorkspace.options).toMatchObject({ protect: true, retainOnDelete: true });
      const tables = ofType(prod, t.table);
      expect(tables.map((x) => x.inputs.tableName)).toEqual(
        expect.arrayContaining(["AzureActivity", "AzureDiagnostics", "StorageBlobLogs", "LAQueryLogs", "CoreAzureBackup"]),
      );
      for (const table of tables) expect(table.inputs).toMatchObject({ totalRetentionInDays: 2555, workspaceName: azureName(prodWorkspace) });
    });

    it("exports the subscription's activity log to the workspace", () => {
      const exported = single(dev, t.activityExport);
      expect(isIdOf(exported.inputs.workspaceId, single(dev, t.workspace))).toBe(true);
      expect((exported.inputs.logs as { category: string }[]).map((l) => l.category)).toEqual(["Administrative", "Security", "Policy", "Alert"]);
    });
  });

  describe("alerts", () => {
    const required = [
      "Microsoft.KeyVault/vaults/delete",
      "Microsoft.Authorization/roleAssignments/write",
      "Microsoft.Authorization/roleAssignments/delete",
      "Microsoft.Authorization/locks/write",
      "Microsoft.Authorization/locks/delete",
      "Microsoft.Authorization/policyAssignments/write",
      "Microsoft.Authorization/policyAssignments/delete",
      "Microsoft.DataProtection/backupVaults/backupInstances/stopProtection/action",
      "Microsoft.DataProtection/backupVaults/backupInstances/suspendBackups/action",
      "Microsoft.Network/networkSecurityGroups/write",
      "Microsoft.Network/networkSecurityGroups/delete",
    ];

    it.each(required)("notifies the on-call e-mails of %s", (operation) => {
      const group = single(dev, t.actionGroup);
      expect(group.inputs).toMatchObject({ enabled: true, emailReceivers: [{ emailAddress: "embassy-oncall@example.ee", useCommonAlertSchema: true }] });
      const alert = ofType(dev, t.activityLogAlert).find((a) =>
        (a.inputs.condition as { allOf: { field: string; equals: string }[] }).allOf.some((c) => c.field === "operationName" && c.equals === operation),
      );
      expect(alert?.inputs).toMatchObject({
        enabled: true,
        location: "Global",
        condition: { allOf: expect.arrayContaining([{ field: "category", equals: "Administrative" }]) },
        actions: { actionGroups: [{ actionGroupId: expect.stringMatching(/\/actionGroups\/ag-ee-emb-dev$/) }] },
      });
      const scope = (alert?.inputs.scopes as string[])[0];
      expect(scope).toMatch(operation.startsWith("Microsoft.Authorization/") ? /^\/subscriptions\/[^/]+$/ : /\/resourceGroups\/rg-ee-emb-dev$/);
    });

    it("catches key disable, delete and purge in the vault's audit log (they never reach the activity log)", () => {
      const rule = single(dev, t.logAlert);
      const [criterion] = (rule.inputs.criteria as { allOf: { query: string; operator: string; threshold: number }[] }).allOf;
      for (const operation of ["KeyUpdate", "KeyDelete", "KeyPurge"]) expect(criterion.query).toContain(`"${operation}"`);
      expect(criterion).toMatchObject({ operator: "GreaterThan", threshold: 0 });
      expect(isIdOf((rule.inputs.scopes as string[])[0], single(dev, t.workspace))).toBe(true);
      expect(rule.inputs).toMatchObject({ enabled: true, actions: { actionGroups: [expect.stringMatching(/\/actionGroups\/ag-ee-emb-dev$/)] } });
    });

    it("delivers key near-expiry and expiry to the action group: an Event Grid system topic on the vault, a Monitor-alert subscription (prod)", () => {
      const vault = single(prod, t.vault);
      const topic = single(prod, t.systemTopic);
      expect(topic.inputs).toMatchObject({ topicType: "Microsoft.KeyVault.vaults", location: vault.inputs.location });
      expect(isIdOf(topic.inputs.source, vault)).toBe(true);
      const subscription = single(prod, t.eventSubscription);
      expect(subscription.inputs).toMatchObject({
        systemTopicName: topic.inputs.systemTopicName,
        resourceGroupName: topic.inputs.resourceGroupName,
        // The only schema Microsoft supports for a Monitor-alert destination.
        eventDeliverySchema: "CloudEventSchemaV1_0",
        destination: { endpointType: "MonitorAlert", severity: expect.stringMatching(/^Sev[0-4]$/) },
      });
      expect((subscription.inputs.filter as { includedEventTypes: string[] }).includedEventTypes.sort()).toEqual([
        "Microsoft.KeyVault.KeyExpired",
        "Microsoft.KeyVault.KeyNearExpiry",
      ]);
      const [actionGroupId, ...others] = (subscription.inputs.destination as { actionGroups: string[] }).actionGroups;
      expect(others).toEqual([]);
      expect(isIdOf(actionGroupId, single(prod, t.actionGroup))).toBe(true);
      expect(subscription.dependencies).toContain(topic.urn);
      // Evidence for the control whose title promises that custodians are notified.
      const evidence = prod.outputs.auditEvidence as Record<string, string[]>;
      expect(evidence["keys-rotation"]).toEqual(expect.arrayContaining([expect.stringMatching(/\/eventSubscriptions\/embassy-key-expiry$/)]));
      // Events come only for key versions created after the subscription: the rotate-once step says so.
      expect(prod.outputs.governanceManualSteps).toEqual(
        expect.arrayContaining([expect.stringMatching(/az keyvault key rotate --vault-name kv-ee-emb-prod-\w+ --name <key>/)]),
      );
    });

    it("with a Managed HSM, which sends no Event Grid events, creates no topic and hands the expiry check to the custodians", async () => {
      const hsm = await plan({ config: managedHsmConfig });
      expect(ofType(hsm, t.systemTopic)).toEqual([]);
      expect(ofType(hsm, t.eventSubscription)).toEqual([]);
      // Disable, delete and purge are still caught in the HSM's audit log.
      expect(single(hsm, t.logAlert).inputs.enabled).toBe(true);
      expect(hsm.outputs.governanceManualSteps).toEqual(
        expect.arrayContaining([
          expect.stringMatching(/does not support Event Grid Notifications.*az keyvault key show --hsm-name hsm-\S+ --name <key> --query attributes\.expires/),
        ]),
      );
    });
  });

  describe("auditor evidence", () => {
    it("lists, per catalog control, the resources that satisfy it", () => {
      const evidence = dev.outputs.auditEvidence as Record<string, string[]>;
      for (const control of Object.keys(evidence)) expect(controlsById.has(control)).toBe(true);
      expect(evidence["delete-locks"]).toHaveLength(ofType(dev, t.lock).length);
      expect(evidence["allowed-locations-assignment"]).toHaveLength(2);
      expect(evidence["blob-logging"]).toEqual(
        expect.arrayContaining([expect.stringMatching(/\/blobServices\/default\/providers\/Microsoft\.Insights\/diagnosticSettings\/embassy-audit$/)]),
      );
      expect(evidence["kv-audit-logs"]).toEqual(
        expect.arrayContaining([expect.stringMatching(/\/vaults\/kv-ee-emb-dev-\w+\/providers\/Microsoft\.Insights\/diagnosticSettings\//)]),
      );
      for (const control of ["activity-log-alerts", "log-retention", "auditor-read-only", "no-privileged-roles", "data-residency-assignment"]) {
        expect(evidence[control]?.length).toBeGreaterThan(0);
      }
    });

    it("publishes an access review: every grant with its duty, role and scope", () => {
      const review = dev.outputs.accessReview as { principalId: string; duty: string; role: string; scope: string }[];
      const granted = ofType(dev, t.roleAssignment).filter((a) => [auditor, operator, ingest].includes(String(a.inputs.principalId)));
      const eligible = ofType(dev, t.roleEligibility);
      expect(eligible.length).toBeGreaterThan(0);
      expect(review).toHaveLength(granted.length + eligible.length);
      expect(review.filter((g) => g.duty === "recoveryReader").map((g) => g.role)).toEqual(
        eligible.map(() => "Storage Blob Data Reader (eligible through PIM)"),
      );
      expect(review.filter((g) => g.principalId === auditor).map((g) => g.role)).toEqual(["Reader", "Key Vault Reader", "Log Analytics Reader"]);
      expect(review.every((g) => g.scope.startsWith("/subscriptions/"))).toBe(true);
    });

    it("refuses component arguments that would build ambiguous evidence", () => {
      const base = {
        principals: { operators: [], auditors: [], dataIngestPrincipals: [] },
        policy: { approvedRegions: ["westeurope"] },
        diagnostics: [],
      } as unknown as Parameters<typeof governanceProblems>[0];
      expect(governanceProblems({ ...base, locks: [{ name: "workspace", resourceId: "x" }] })).toEqual([
        { propertyPath: "locks", reason: 'target names must be unique and not "workspace" (repeated: workspace)' },
      ]);
      expect(governanceProblems({ ...base, locks: [], logRetentionDays: 5000 })[0]).toEqual({
        propertyPath: "logRetentionDays",
        reason: expect.stringMatching(/30 to 4383/),
      });
    });
  });
});

describe("a replica site's key store", () => {
  it("is governed as the host's: auditors read its key metadata, and its key expiry reaches the action group from its own region", async () => {
    const capture = await plan({ config: unpairedHostConfig });
    const vaults = ofType(capture, "azure-native:keyvault:Vault").map((v) => ({ name: String(v.inputs.vaultName), location: v.inputs.location }));
    expect(vaults.map((v) => v.location).sort()).toEqual(["germanywestcentral", "polandcentral"]);
    const readers = ofType(capture, "azure-native:authorization:RoleAssignment").filter(
      (r) => /-auditor-kv-reader-/.test(r.name) && r.inputs.principalId === auditor,
    );
    expect(readers.map((r) => String(r.inputs.scope).split("/").at(-1)).sort()).toEqual(vaults.map((v) => v.name).sort());
    const topics = ofType(capture, "azure-native:eventgrid:SystemTopic").map((t) => [String(t.inputs.systemTopicName), t.inputs.location]);
    expect(topics.sort()).toEqual(vaults.map((v) => [`egst-${v.name}`, v.location]).sort());
    expect(ofType(capture, "azure-native:eventgrid:SystemTopicEventSubscription")).toHaveLength(2);
  });
});
