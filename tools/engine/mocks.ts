import { createHash } from "crypto";
import type * as pulumi from "@pulumi/pulumi";
import { armTypes, fillTemplate } from "./armIds";
import { types } from "../../catalog/resourceTypes";
import type { Diagnostic } from "./capture";

/** Type token of `pulumi.StackReference` (a read of another stack's outputs). */
export const stackReferenceType = "pulumi:pulumi:StackReference";

/** Subscription id used when the stack config names none (`azure-native:subscriptionId`). */
export const offlineSubscriptionId = "00000000-0000-4000-8000-000000000000";

/**
 * Mocks that answer like Azure would: realistic ARM ids, explicit names, computed endpoints and
 * identities, and stable random values. Everything derives deterministically from the stack name
 * and inputs, so two stacks get different suffixes and repeated plans are identical.
 */
export class EmbassyMocks implements pulumi.runtime.Mocks {
  constructor(
    private readonly stack: string,
    private readonly subscriptionId: string,
    private readonly diagnostics: Diagnostic[],
    /** Outputs of the stacks the program may reference (`pulumi.StackReference`), by the name it gives. */
    private readonly stackReferences: Readonly<Record<string, Readonly<Record<string, unknown>>>> = {},
  ) {}

  /** Deterministic GUID for a seed. */
  guid(seed: string): string {
    const h = createHash("sha256").update(`${this.stack}/${seed}`).digest("hex");
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
  }

  private chars(seed: string, length: number, alphabet: string): string {
    const bytes = createHash("sha256").update(`${this.stack}/${seed}`).digest();
    return Array.from({ length }, (_, i) => alphabet[bytes[i % bytes.length] % alphabet.length]).join("");
  }

  newResource(args: pulumi.runtime.MockResourceArgs): { id: string | undefined; state: Record<string, unknown> } {
    if (!args.custom) {
      return { id: undefined, state: {} };
    }
    if (args.type === stackReferenceType) {
      // A StackReference reads the referenced stack's outputs: offline, those of its plan.
      const name = String(args.inputs.name ?? args.id ?? args.name);
      const outputs = this.stackReferences[name];
      if (outputs === undefined) {
        throw new Error(
          `offline engine: StackReference "${name}": no outputs of that stack were given; plan it first and pass its plan (npm run plan -- --stack-reference ${name}=<plan.json>)`,
        );
      }
      return { id: name, state: { name, outputs, secretOutputNames: [] } };
    }
    if (args.type === "random:index/randomString:RandomString") {
      const alphabet = (args.inputs.lower === false ? "" : "abcdefghijklmnopqrstuvwxyz") + (args.inputs.numeric === false ? "" : "0123456789");
      const result = this.chars(args.name, Number(args.inputs.length), alphabet);
      return { id: result, state: { ...args.inputs, result } };
    }
    if (args.type === types.sleep) {
      // Not an ARM resource: the time provider keeps its inputs as state and waits createDuration.
      const id = `${String(args.inputs.createDuration ?? "")},${String(args.inputs.destroyDuration ?? "")}`;
      return { id, state: { ...args.inputs } };
    }
    const arm = armTypes[args.type];
    if (arm === undefined) {
      this.diagnostics.push({ severity: "warning", message: `offline engine: no ARM id rule for ${args.type} (${args.name}); using a generic id` });
      const id = `/subscriptions/${this.subscriptionId}/providers/offline/${args.type}/${args.name}`;
      return { id, state: { ...args.inputs, id, name: args.name } };
    }
    const explicit = args.inputs[arm.nameInput];
    const name =
      typeof explicit === "string" && explicit !== ""
        ? explicit
        : /roleAssignmentName|roleDefinitionId|objectReplicationPolicyId/.test(arm.nameInput)
          ? this.guid(`${args.type}/${args.name}`)
          : `${args.name}${this.chars(args.name, 8, "0123456789abcdef")}`;
    const { id, missing } = fillTemplate(arm.id, { ...args.inputs, sub: this.subscriptionId, name });
    if (missing.length > 0) {
      this.diagnostics.push({ severity: "warning", message: `offline engine: ${args.type} ${args.name} lacks ${missing.join(", ")} for its ARM id` });
    }
    const computed = arm.state?.({ name, id, inputs: args.inputs, guid: (seed) => this.guid(seed) }) ?? {};
    return { id, state: { ...args.inputs, name, id, ...computed } };
  }

  call(args: pulumi.runtime.MockCallArgs): Record<string, unknown> {
    if (args.token === "azure-native:authorization:getClientConfig") {
      return {
        clientId: this.guid("client"),
        objectId: this.guid("deployer"),
        subscriptionId: this.subscriptionId,
        tenantId: this.guid("tenant"),
      };
    }
    throw new Error(`offline engine: no mock for function ${args.token}; add one in tools/engine/mocks.ts`);
  }
}
