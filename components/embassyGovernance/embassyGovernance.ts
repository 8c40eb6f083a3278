import * as pulumi from "@pulumi/pulumi";
import * as authorization from "@pulumi/azure-native/authorization";
import * as monitor from "@pulumi/azure-native/monitor";
import * as operationalinsights from "@pulumi/azure-native/operationalinsights";
import { ArgumentProblem, problem, rejectArguments } from "../shared/argumentProblems";
import { embassyGovernanceDefaults } from "./defaults";
import type { EmbassyContext } from "../shared/context";
import { CustomRole, GovernancePrincipals, operatorRole, principalProblems, registerWriterRole, stableGuid } from "./access";
import { activityLogCategories, activityLogTable, alertedOperations, alertName, diagnosticProfiles, keyOperationsQuery } from "./monitoring";
import { logAnalyticsLimits } from "../../catalog/limits";

const { maxInteractiveRetentionDays, retentionDays: retentionLimits } = logAnalyticsLimits;
import { assignAllowedResourceTypes } from "./allowedResourceTypes";
import { monitorPrivateLinkScope } from "./monitorPrivateLink";
import { FlowLogPlacement, FlowLogTarget, vnetFlowLog } from "./flowLogs";
import { DefenderPlanSettings, defenderPlans } from "./defenderPlans";
import type { PrivateLinkGroup } from "../../catalog/privateLink";
import { BaselineInputs, builtInPolicyId, controlOf, effectFor, Enforcement, policyBaseline } from "./policyBaseline";
import { GovernedKeyStore, keyExpiryAlerts } from "./keyExpiry";
import type { DiagnosticKind, DiagnosticTarget, LockTarget } from "../shared/governed";
import { statefulOptions } from "../shared/protection";
import { deleteLock, diagnosticSettingName, diagnosticSettings } from "./guards";
import { builtInRoles } from "../../catalog/roles";
import { roleDefinitionId } from "../shared/roles";
import { recoveryReaderEligibility } from "./recoveryReaders";
import { defaultRoleAssignmentPropagationWait, propagationWait, propagationWaitProblems } from "../shared/propagation";

export type { GovernedKeyStore } from "./keyExpiry";

/** Inputs of the Azure Policy baseline. */
export interface PolicyBaselineArgs {
  /** ARM names of the regions data may rest in; the allowed-locations assignments list exactly these. */
  readonly approvedRegions: readonly string[];
  /** `Deny` (default) where a definition allows it, else audit; `Audit` everywhere. */
  readonly enforcement?: Enforcement;
  /** Days after creation a key must be rotated (default 365). */
  readonly keyRotationDays?: number;
  /** Audit the backup vault's immutability as Locked, not just enabled (the backup component's setting decides). */
  readonly lockedBackupImmutability: boolean;
}

/** Arguments of {@link EmbassyGovernance}. */
export interface EmbassyGovernanceArgs {
  /** Placement, naming, tags and protection. */
  readonly context: EmbassyContext;
  /** Who gets which duty (Entra object ids). Key custodians are granted by KeyCustody, not here. */
  readonly principals: GovernancePrincipals;
  /**
   * ARM ids of the register containers the data-ingest principals may write into, by register name
   * (the name keys each grant, so reordering registers replaces none: a lock on the account would
   * block deleting them).
   */
  readonly ingestScopes: Readonly<Record<string, pulumi.Input<string>>>;
  /**
   * Where the recovery readers may read once they activate their PIM eligibility: the ARM ids of the
   * accounts that hold register copies (by a stable key: the account's role), and how many days the
   * eligibility lasts (0: permanent). Without it, recovery readers get nothing.
   */
  readonly recoveryRead?: { readonly scopes: Readonly<Record<string, pulumi.Input<string>>>; readonly eligibilityDays: number };
  /**
   * The vaults or Managed HSMs whose key metadata auditors may read and whose key expiry must reach
   * people: the host's first, then a replica site's (its own keys in its own region).
   */
  readonly keyStores: readonly GovernedKeyStore[];
  /** Stateful resources to lock against deletion; the workspace is added. */
  readonly locks: readonly LockTarget[];
  /** Resources whose logs go to the workspace; the workspace's own audit log is added. */
  readonly diagnostics: readonly DiagnosticTarget[];
  /** The Azure Policy baseline. */
  readonly policy: PolicyBaselineArgs;
  /**
   * ARM types that may be created in the resource group ("Allowed resource types"); no assignment
   * when absent. DataEmbassy passes what its program creates ({@link ResourceTypeRecorder}).
   */
  readonly allowedResourceTypes?: pulumi.Input<string[]>;
  /**
   * Gives a resource a private endpoint in the embassy's VNet (EmbassyNetwork.connect). With it the
   * workspace is private-only: in an Azure Monitor Private Link Scope (Private Only), reached
   * through an `azuremonitor` endpoint, public ingestion and query off. Without it (the component
   * used alone) queries stay open to Entra-authenticated callers and the policy pack says so.
   */
  readonly connect?: (
    service: string,
    target: { readonly resourceId: pulumi.Input<string>; readonly groupId: PrivateLinkGroup },
  ) => { readonly id: pulumi.Input<string> };
  /** VNet flow logs (one per VNet, in its region) with traffic analytics into the workspace; none when absent. */
  readonly flowLogs?: FlowLogsArgs;
  /** Defender for Cloud plans to switch on for the whole subscription (defenderPlans.ts); none when absent. */
  readonly defenderPlans?: DefenderPlanSettings;
  /** Days logs are kept (default 365, at least 30, at most 4383). Beyond 730 days retention is set per table. */
  readonly logRetentionDays?: number;
  /** E-mail receivers of security alerts. */
  readonly alertEmails: readonly string[];
  /**
   * How long assignments of a custom role wait after the role is created, as a Go duration ("10m",
   * "90s"; 0–30 minutes). Default 10m: a new custom role "can take a few minutes … to appear
   * everywhere" and role changes up to 10 minutes to take effect (components/shared/propagation.ts).
   */
  readonly roleAssignmentPropagationWait?: string;
}

/** What {@link EmbassyGovernanceArgs.flowLogs} needs. */
export interface FlowLogsArgs {
  /** The VNets: the host region's, and a second region's once it has one. */
  readonly targets: readonly FlowLogTarget[];
  /** Days Network Watcher keeps flow logs (1–365). */
  readonly retentionDays: number;
  /** Group of the regional Network Watchers (Azure's automatic one: `NetworkWatcherRG`). */
  readonly networkWatcherResourceGroup: string;
  /** The flow-log accounts' encryption: the storage key and the identity that may use it. */
  readonly encryption: FlowLogPlacement["encryption"];
  /** False while the key does not exist yet (Managed HSM before keys-ready). */
  readonly customerManagedKey: boolean;
}

/** One role grant made by the component, for the access review. */
export interface AccessGrant {
  readonly principalId: string;
  readonly duty: "operator" | "auditor" | "dataIngest" | "recoveryReader";
  readonly role: string;
  readonly scope: pulumi.Output<string>;
}

// Names of every diagnostic setting (the blob-logging built-in looks it up by name) and lock: guards.ts.
export { diagnosticSettingName, lockName } from "./guards";

// Key-expiry events and their subscription: keyExpiry.ts (register-shard stacks use it for their own vault).
export { keyExpiryEventTypes, keyExpirySubscriptionName } from "./keyExpiry";

/** Why `args` cannot be governed as given; empty when fine. */
export function governanceProblems(args: EmbassyGovernanceArgs): ArgumentProblem[] {
  const problems = [...principalProblems(args.principals), ...propagationWaitProblems("roleAssignmentPropagationWait", args.roleAssignmentPropagationWait)];
  const days = args.logRetentionDays ?? embassyGovernanceDefaults.logRetentionDays;
  if (!Number.isInteger(days) || days < retentionLimits.min || days > retentionLimits.max) {
    problems.push(
      problem("logRetentionDays", `must be a whole number from ${retentionLimits.min} to ${retentionLimits.max} (Log Analytics' limits), got ${days}`),
    );
  }
  if (args.policy.approvedRegions.length === 0) problems.push(problem("policy.approvedRegions", "must list at least one region"));
  // Target names label Pulumi resources; "workspace" is taken by the component's own workspace.
  for (const [list, names] of [
    ["locks", args.locks.map((l) => l.name)],
    ["diagnostics", args.diagnostics.map((d) => d.name)],
  ] as const) {
    const taken = [...names, "workspace"].filter((n, i, all) => all.indexOf(n) !== i);
    if (taken.length > 0) problems.push(problem(list, `target names must be unique and not "workspace" (repeated: ${[...new Set(taken)].join(", ")})`));
    const malformed = names.filter((n) => !/^[a-z][a-z0-9-]*$/.test(n));
    if (malformed.length > 0) problems.push(problem(list, `target names must be lower-case letters, digits and hyphens (got ${malformed.join(", ")})`));
  }
  return problems;
}

/**
 * Governance and audit of the embassy: least-privilege roles for operators, auditors and the data
 * ingest identity; `CanNotDelete` locks on every stateful resource; the Azure Policy baseline on
 * the resource group; a Log Analytics workspace receiving the audit logs of every vault, account,
 * backup vault and NSG plus the subscription's activity log; alerts on the changes that would
 * weaken the embassy; and, as outputs, the evidence an auditor asks for first.
 */
export class EmbassyGovernance extends pulumi.ComponentResource {
  /** ARM id of the Log Analytics workspace that holds the audit trail. */
  readonly workspaceId: pulumi.Output<string>;
  /**
   * ARM id of the write-only register role, once it is assignable (after its propagation wait);
   * undefined while no register is open for ingest. Register-shard stacks assign it on their containers.
   */
  registerWriterRoleId?: pulumi.Output<string>;
  /** Its name. */
  readonly workspaceName: pulumi.Output<string>;
  /** ARM id of the action group every alert notifies. */
  readonly actionGroupId: pulumi.Output<string>;
  /** Per catalog control (policy/catalog.ts ids), the ARM ids of the resources that satisfy it. */
  readonly evidence: pulumi.Output<Record<string, string[]>>;
  /** Every role grant made here: who, which duty, which role, on what. */
  readonly accessReview: pulumi.Output<{ principalId: string; duty: string; role: string; scope: string }[]>;
  /** What remains manual after `pulumi up` (auditors' key metadata in a Managed HSM). */
  readonly manualSteps: pulumi.Output<string[]>;

  private readonly context: EmbassyContext;
  private readonly resourcePrefix: string;
  private readonly propagationWait: string;
  private readonly proof = new Map<string, pulumi.Input<string>[]>();
  private readonly grants: AccessGrant[] = [];

  constructor(name: string, args: EmbassyGovernanceArgs, opts?: pulumi.ComponentResourceOptions) {
    super("dataembassy:index:EmbassyGovernance", name, {}, opts);
    rejectArguments("EmbassyGovernance", name, governanceProblems(args));
    const { context } = args;
    this.context = context;
    this.resourcePrefix = name;
    this.propagationWait = args.roleAssignmentPropagationWait ?? defaultRoleAssignmentPropagationWait;
    const retentionDays = args.logRetentionDays ?? embassyGovernanceDefaults.logRetentionDays;

    // The flow-log accounts log like the registers' account (their tables' retention is set with the others).
    const kinds: DiagnosticKind[] = [...args.diagnostics.map((d) => d.kind), ...(args.flowLogs?.targets.length ? ["storageAccount" as const] : [])];
    const workspace = this.workspace(retentionDays, kinds, args.connect !== undefined);
    this.workspaceId = workspace.id;
    this.workspaceName = workspace.name;
    if (args.connect !== undefined) {
      const { scope, scopedWorkspace } = monitorPrivateLinkScope(name, context, workspace.id, { parent: this });
      const endpoint = args.connect("monitor", { resourceId: scope.id, groupId: "azuremonitor" });
      this.prove("log-analytics-private-only", workspace.id, scope.id, scopedWorkspace.id, endpoint.id);
    }

    const flowLogs = (args.flowLogs?.targets ?? []).map((target) => {
      const placement: FlowLogPlacement = {
        ...args.flowLogs!,
        context,
        workspace: { id: workspace.id, customerId: workspace.customerId, region: context.location },
        propagationWait: this.propagationWait,
        connect: args.connect,
      };
      const flow = vnetFlowLog(name, target, placement, this);
      this.prove("vnet-flow-logs", ...flow.ids);
      return flow;
    });

    for (const target of [
      ...args.diagnostics,
      ...flowLogs.map((f) => ({ ...f.locks[0], kind: "storageAccount" as const })),
      { name: "workspace", resourceId: workspace.id, kind: "logAnalyticsWorkspace" as const },
    ]) {
      this.diagnosticSettings(target, workspace.id);
    }
    // The activity log (role, lock and policy changes) keeps 90 days in Azure; exported, it keeps
    // as long as the workspace.
    const activityExport = new monitor.SubscriptionDiagnosticSetting(
      `${name}-activity-log`,
      {
        name: pulumi.interpolate`embassy-activity-${workspace.name}`,
        workspaceId: workspace.id,
        logs: activityLogCategories.map((category) => ({ category, enabled: true })),
      },
      { parent: this },
    );
    this.prove("log-retention", workspace.id, activityExport.id);
    // It saves no queries: nothing of it rests in Microsoft-managed query storage (docs/auditor-guide.md, section 5).
    this.prove("saved-queries-customer-storage", workspace.id);

    for (const target of [...args.locks, ...flowLogs.flatMap((f) => f.locks), { name: "workspace", resourceId: workspace.id }]) {
      this.lock(target);
    }

    if (args.defenderPlans !== undefined) {
      const plans = defenderPlans(name, context.subscriptionId, args.defenderPlans, this);
      if (plans.length > 0) this.prove("defender-plans", ...plans);
    }

    this.roles(args, workspace.id);
    this.policies(
      args,
      workspace.id,
      flowLogs.map((f) => f.account.id),
    );
    this.actionGroupId = this.alerts(args.alertEmails, workspace.id);
    const keyExpirySteps = pulumi.all(args.keyStores.map((store) => this.keyExpiryAlerts(store, this.actionGroupId))).apply((steps) => steps.flat());

    this.evidence = pulumi.output(Object.fromEntries(this.proof)) as pulumi.Output<Record<string, string[]>>;
    this.accessReview = pulumi.output(this.grants.map((g) => ({ ...g })));
    const hsms = args.keyStores.filter((store) => store.kind === "managedHsm").map((store) => store.name);
    this.manualSteps = pulumi
      .all([pulumi.all(hsms), keyExpirySteps])
      .apply(([hsmNames, expirySteps]) => [
        ...hsmNames.flatMap((hsmName) =>
          args.principals.auditors.map(
            (id) =>
              `Let auditor ${id} read key metadata in the Managed HSM (local RBAC, not reachable through Azure Resource Manager): az keyvault role assignment create --hsm-name ${hsmName} --role "Managed HSM Crypto Auditor" --scope /keys --assignee-object-id ${id}`,
          ),
        ),
        ...expirySteps,
      ]);

    this.registerOutputs({
      workspaceId: this.workspaceId,
      actionGroupId: this.actionGroupId,
      evidence: this.evidence,
      accessReview: this.accessReview,
      manualSteps: this.manualSteps,
    });
  }

  /** Records `ids` as evidence for a catalog control. */
  private prove(control: string, ...ids: pulumi.Input<string>[]): void {
    this.proof.set(control, [...(this.proof.get(control) ?? []), ...ids]);
  }

  /**
   * The audit trail's home. Protected like the data it describes. Local (shared-key) auth is off,
   * so only Entra identities with a role can write or read. Public ingestion is closed: "Logs and
   * metrics sent to a workspace from a diagnostic setting are over a secure private Microsoft
   * channel and aren't controlled by these settings"
   * (https://learn.microsoft.com/azure/azure-monitor/logs/private-link-design), so every diagnostic
   * setting and the activity-log export still land; no agent in the embassy sends logs. Public query
   * is closed too when the workspace sits in the embassy's Private Only link scope (`private`):
   * auditors then query from a network that resolves the embassy's private DNS
   * (monitorPrivateLink.ts). No daily cap: a cap silently drops audit logs once reached.
   */
  private workspace(retentionDays: number, diagnosticKinds: readonly DiagnosticKind[], isPrivate: boolean): operationalinsights.Workspace {
    const { context } = this;
    const workspace = new operationalinsights.Workspace(
      `${this.resourcePrefix}-workspace`,
      {
        workspaceName: context.namer.name("logAnalyticsWorkspace"),
        resourceGroupName: context.resourceGroupName,
        location: context.location,
        tags: context.tags,
        sku: { name: "PerGB2018" },
        retentionInDays: Math.min(retentionDays, maxInteractiveRetentionDays),
        features: { disableLocalAuth: true },
        publicNetworkAccessForIngestion: "Disabled",
        publicNetworkAccessForQuery: isPrivate ? "Disabled" : "Enabled",
      },
      statefulOptions(context.protect, { parent: this }),
    );
    if (retentionDays > maxInteractiveRetentionDays) {
      // A workspace keeps data interactively for at most 730 days; longer retention is per table.
      const kinds: DiagnosticKind[] = [...diagnosticKinds, "logAnalyticsWorkspace"];
      const tables = new Set([activityLogTable, ...kinds.flatMap((k) => diagnosticProfiles[k].flatMap((p) => p.tables))]);
      for (const table of [...tables].sort()) {
        new operationalinsights.Table(
          `${this.resourcePrefix}-table-${table}`,
          { resourceGroupName: context.resourceGroupName, workspaceName: workspace.name, tableName: table, totalRetentionInDays: retentionDays },
          // Azure's own tables cannot be deleted: dropping the override leaves the retention as is.
          { parent: this, retainOnDelete: true },
        );
      }
    }
    return workspace;
  }

  /** The diagnostic settings of one target (a storage account gets a second one for its blob service). */
  private diagnosticSettings(target: { name: string; resourceId: pulumi.Input<string>; kind: DiagnosticKind }, workspaceId: pulumi.Output<string>): void {
    for (const { setting, profile } of diagnosticSettings(this.resourcePrefix, target, workspaceId, this)) {
      if (target.kind === "keyVault" || target.kind === "managedHsm") this.prove("kv-audit-logs", setting.id);
      if (profile.subResource === "/blobServices/default") this.prove("blob-logging", setting.id);
    }
  }

  /**
   * One `CanNotDelete` lock per stateful resource rather than one on the resource group: a lock
   * also blocks deleting role assignments, diagnostic settings and policy assignments beneath it,
   * so a group lock would force a lock lift for every routine revocation or network change. The
   * group itself cannot be deleted while anything in it is locked. The lock is protected like its
   * target, so Pulumi never lifts it on its own; see docs/auditor-guide.md to lift one deliberately.
   */
  private lock(target: LockTarget): void {
    const lock = deleteLock(this.resourcePrefix, target, this.context.protect, this);
    this.prove("delete-locks", lock.id);
  }

  /** Grants `role` to a principal on `scope` and records it for the access review. */
  private grant(
    logicalName: string,
    grant: { principalId: string; duty: AccessGrant["duty"]; role: string; roleDefinitionId: pulumi.Input<string>; scope: pulumi.Input<string> },
    dependsOn: pulumi.Resource[] = [],
  ): authorization.RoleAssignment {
    const assignment = new authorization.RoleAssignment(
      logicalName,
      {
        principalId: grant.principalId,
        roleDefinitionId: grant.roleDefinitionId,
        scope: grant.scope,
        description: `Data embassy ${grant.duty}: ${grant.role}`,
      },
      { parent: this, dependsOn },
    );
    this.grants.push({ principalId: grant.principalId, duty: grant.duty, role: grant.role, scope: pulumi.output(grant.scope) });
    this.prove("no-privileged-roles", assignment.id);
    if (grant.duty === "auditor") this.prove("auditor-read-only", assignment.id);
    return assignment;
  }

  /**
   * A custom role, assignable in the embassy's resource group only, with a GUID stable per group,
   * and the wait after it: custom-role reads are eventually consistent, so an assignment made right
   * after the definition can fail (audit F23). Assign it only after `effective`.
   */
  private customRole(role: CustomRole): { definition: authorization.RoleDefinition; effective: pulumi.Resource; id: pulumi.Output<string> } {
    const { context } = this;
    const definition = new authorization.RoleDefinition(
      `${this.resourcePrefix}-role-${role.key}`,
      {
        roleDefinitionId: pulumi.output(context.resourceGroupId).apply((group) => stableGuid(`${group.toLowerCase()}/${role.key}`)),
        // Custom role names are unique per tenant: the group id tells this stack's apart.
        roleName: pulumi.interpolate`${role.roleName} (${context.resourceGroupId})`,
        description: role.description,
        permissions: [{ actions: [...role.actions], notActions: [], dataActions: [...role.dataActions], notDataActions: [] }],
        assignableScopes: [context.resourceGroupId],
        scope: context.resourceGroupId,
      },
      { parent: this },
    );
    this.prove("no-privileged-roles", definition.id);
    const effective = propagationWait(`${this.resourcePrefix}-role-${role.key}-effective`, { roleDefinition: definition }, this.propagationWait, {
      parent: this,
    });
    return {
      definition,
      effective,
      id: pulumi.interpolate`/subscriptions/${context.subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/${definition.name}`,
    };
  }

  /**
   * Least privilege per duty. Auditors: Reader (configuration, role assignments, locks, policy
   * assignments and compliance states), Key Vault Reader on the vault (key metadata, never key
   * material or secret values), Log Analytics Reader on the workspace. Operators: Reader plus the
   * operator role. Ingest: write-only on each register container. None of them gets a data action
   * that reads register contents. Recovery readers are only *eligible* to read them (below).
   */
  private roles(args: EmbassyGovernanceArgs, workspaceId: pulumi.Output<string>): void {
    const { context, resourcePrefix: prefix } = this;
    const { operators, auditors, dataIngestPrincipals } = args.principals;
    const group = context.resourceGroupId;
    const builtIn = (guid: string) => roleDefinitionId(context.subscriptionId, guid);

    for (const principalId of auditors) {
      this.grant(`${prefix}-auditor-reader-${principalId}`, {
        principalId,
        duty: "auditor",
        role: "Reader",
        roleDefinitionId: builtIn(builtInRoles.reader),
        scope: group,
      });
      for (const store of args.keyStores.filter((k) => k.kind === "keyVault")) {
        this.grant(`${prefix}-auditor-kv-reader-${store.label === undefined ? "" : `${store.label}-`}${principalId}`, {
          principalId,
          duty: "auditor",
          role: "Key Vault Reader",
          roleDefinitionId: builtIn(builtInRoles.keyVaultReader),
          scope: store.id,
        });
      }
      this.grant(`${prefix}-auditor-log-reader-${principalId}`, {
        principalId,
        duty: "auditor",
        role: "Log Analytics Reader",
        roleDefinitionId: builtIn(builtInRoles.logAnalyticsReader),
        scope: workspaceId,
      });
    }

    if (operators.length > 0) {
      const operator = this.customRole(operatorRole);
      for (const principalId of operators) {
        this.grant(`${prefix}-operator-reader-${principalId}`, {
          principalId,
          duty: "operator",
          role: "Reader",
          roleDefinitionId: builtIn(builtInRoles.reader),
          scope: group,
        });
        this.grant(
          `${prefix}-operator-${principalId}`,
          { principalId, duty: "operator", role: operatorRole.roleName, roleDefinitionId: operator.id, scope: group },
          [operator.definition, operator.effective],
        );
      }
    }

    const containers = Object.entries(args.ingestScopes);
    if (dataIngestPrincipals.length > 0 && containers.length > 0) {
      const writer = this.customRole(registerWriterRole);
      this.registerWriterRoleId = pulumi.all([writer.id, writer.effective.urn]).apply(([id]) => id);
      for (const principalId of dataIngestPrincipals) {
        for (const [register, scope] of containers) {
          this.grant(
            `${prefix}-ingest-${principalId}-${register}`,
            { principalId, duty: "dataIngest", role: registerWriterRole.roleName, roleDefinitionId: writer.id, scope },
            [writer.definition, writer.effective],
          );
        }
      }
    }
    this.recoveryReaders(args);
  }

  /** Recovery readers: eligible, never active, to read the register copies (recoveryReaders.ts). */
  private recoveryReaders(args: EmbassyGovernanceArgs): void {
    if (args.recoveryRead === undefined) return;
    const eligible = recoveryReaderEligibility(
      this.resourcePrefix,
      { subscriptionId: this.context.subscriptionId, readers: args.principals.recoveryReaders ?? [], ...args.recoveryRead },
      this,
    );
    for (const { principalId, scope } of eligible) {
      this.grants.push({ principalId, duty: "recoveryReader", role: "Storage Blob Data Reader (eligible through PIM)", scope });
    }
  }

  /** The baseline, one assignment per built-in, on the resource group. */
  private policies(args: EmbassyGovernanceArgs, workspaceId: pulumi.Output<string>, flowLogAccountIds: readonly pulumi.Output<string>[]): void {
    const { context } = this;
    const enforcement = args.policy.enforcement ?? embassyGovernanceDefaults.enforcement;
    const inputs: BaselineInputs = {
      approvedRegions: args.policy.approvedRegions,
      keyRotationDays: args.policy.keyRotationDays ?? embassyGovernanceDefaults.keyRotationDays,
      lockedBackupImmutability: args.policy.lockedBackupImmutability,
      workspaceId,
      blobDiagnosticSettingName: diagnosticSettingName,
      privateWorkspace: args.connect !== undefined,
      flowLogAccountIds,
    };
    for (const definition of policyBaseline.filter((d) => d.onlyIf?.(inputs) ?? true)) {
      const extra = definition.parameters?.(inputs) ?? {};
      const parameters = Object.fromEntries(
        [[definition.effectParameter ?? "effect", effectFor(definition, enforcement)], ...Object.entries(extra)].map(([key, value]) => [key, { value }]),
      );
      const assignment = new authorization.PolicyAssignment(
        `${this.resourcePrefix}-policy-${definition.key}`,
        {
          policyAssignmentName: `embassy-${definition.key}`,
          displayName: `Data embassy: ${definition.assignmentName ?? definition.displayName}`,
          scope: context.resourceGroupId,
          policyDefinitionId: builtInPolicyId(definition),
          definitionVersion: definition.definitionVersion,
          enforcementMode: "Default",
          parameters,
          notScopes: definition.exemptFlowLogAccounts && flowLogAccountIds.length > 0 ? [...flowLogAccountIds] : undefined,
          nonComplianceMessages: [{ message: `Data embassy baseline, control ${controlOf(definition)} (docs/policies.md).` }],
        },
        { parent: this },
      );
      this.prove(controlOf(definition), assignment.id);
    }
    if (args.allowedResourceTypes !== undefined) {
      const assignment = assignAllowedResourceTypes(`${this.resourcePrefix}-policy-allowed-resource-types`, context, args.allowedResourceTypes, enforcement, {
        parent: this,
      });
      this.prove("allowed-resource-types-assignment", assignment.id);
    }
  }

  /** Action group, one activity-log alert per watched operation, and the key-operations log alert. */
  private alerts(emails: readonly string[], workspaceId: pulumi.Output<string>): pulumi.Output<string> {
    const { context, resourcePrefix: prefix } = this;
    if (emails.length === 0) {
      pulumi.log.warn("No alertEmails: security alerts fire, but nobody is notified. Set alertEmails.", this);
    }
    const actionGroup = new monitor.ActionGroup(
      `${prefix}-action-group`,
      {
        actionGroupName: context.namer.localName("actionGroup"),
        resourceGroupName: context.resourceGroupName,
        location: "Global",
        // Shown in notifications; Azure allows 12 characters.
        groupShortName: context.namer.localName("actionGroup").replace(/^ag-/, "").slice(0, 12),
        enabled: true,
        emailReceivers: emails.map((emailAddress, i) => ({ name: `email-${i + 1}`, emailAddress, useCommonAlertSchema: true })),
        tags: context.tags,
      },
      { parent: this },
    );
    const subscription = pulumi.interpolate`/subscriptions/${context.subscriptionId}`;
    for (const { concern, operation, scope } of alertedOperations) {
      const alert = new monitor.ActivityLogAlert(
        `${prefix}-${alertName(operation)}`,
        {
          activityLogAlertName: alertName(operation),
          resourceGroupName: context.resourceGroupName,
          location: "Global",
          description: `Data embassy (${concern}): ${operation} happened. Expected only during an announced deployment or procedure.`,
          enabled: true,
          scopes: [scope === "subscription" ? subscription : context.resourceGroupId],
          condition: {
            allOf: [
              { field: "category", equals: "Administrative" },
              { field: "operationName", equals: operation },
            ],
          },
          actions: { actionGroups: [{ actionGroupId: actionGroup.id }] },
          tags: context.tags,
        },
        { parent: this },
      );
      this.prove("activity-log-alerts", alert.id);
    }
    const keyAlert = new monitor.ScheduledQueryRule(
      `${prefix}-key-operations-alert`,
      {
        ruleName: "embassy-key-disable-delete",
        resourceGroupName: context.resourceGroupName,
        location: context.location,
        kind: "LogAlert",
        displayName: "Data embassy: a key was disabled, deleted or purged",
        description: "Key Vault / Managed HSM audit log shows KeyUpdate (e.g. disable), KeyDelete or KeyPurge, successful or not.",
        severity: 1,
        enabled: true,
        scopes: [workspaceId],
        evaluationFrequency: "PT5M",
        windowSize: "PT5M",
        criteria: {
          allOf: [
            {
              query: keyOperationsQuery,
              timeAggregation: "Count",
              operator: "GreaterThan",
              threshold: 0,
              failingPeriods: { numberOfEvaluationPeriods: 1, minFailingPeriodsToAlert: 1 },
            },
          ],
        },
        // Every event is worth a notification; none "resolves" itself.
        autoMitigate: false,
        // AzureDiagnostics exists only once the first vault log arrives; validation would fail before.
        skipQueryValidation: true,
        actions: { actionGroups: [actionGroup.id] },
        tags: context.tags,
      },
      { parent: this },
    );
    this.prove("activity-log-alerts", keyAlert.id, actionGroup.id);
    return actionGroup.id;
  }

  /** Key near-expiry and expiry of `keyStore` reach the action group (keyExpiry.ts). */
  private keyExpiryAlerts(keyStore: GovernedKeyStore, actionGroupId: pulumi.Output<string>): pulumi.Output<string[]> {
    const alerts = keyExpiryAlerts(this.resourcePrefix, this.context, keyStore, actionGroupId, {
      parent: this,
      keyOutputs: "storageKeyUri, backupKeyUri and registerKeyUris",
    });
    if (alerts.ids.length > 0) this.prove("keys-rotation", ...alerts.ids);
    return alerts.manualSteps;
  }
}
