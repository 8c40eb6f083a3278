// Another Pulumi program reusing two embassy components on their own: a state-controlled HSM key
// store and a WORM, CMK-encrypted register store — e.g. for an archive that needs no embassy network.
import * as pulumi from "@pulumi/pulumi";
import * as authorization from "@pulumi/azure-native/authorization";
import * as resources from "@pulumi/azure-native/resources";
import { EmbassyContext, KeyCustody, Namer, registerSchema, SovereignStorage } from "../../components";

const config = new pulumi.Config();
const location = config.require("location");
const client = authorization.getClientConfigOutput();
// An example, not a deployment: its resources say so (`environment: dev`), which the policy pack reads
// (policy/rules/environment.ts) instead of holding an untagged stack to production rules.
const tags = { workload: "national-archive", environment: "dev" };
const group = new resources.ResourceGroup("archive-rg", { resourceGroupName: "rg-arc-emb-example", location, tags });

const context: EmbassyContext = {
  resourceGroupName: group.name,
  resourceGroupId: group.id,
  location,
  namer: new Namer({ prefix: "arc", environment: "dev" }, "x1y2z"),
  tags,
  protect: true,
  subscriptionId: client.subscriptionId,
  tenantId: client.tenantId,
};
const registers = [registerSchema.parse({ name: "archive", description: "National archive's digitised records", retentionDays: 36500 })];

const keys = new KeyCustody("archive-keys", { context, registers: registers.map((r) => r.name), keyCustodians: [config.require("custodian")] });
const store = new SovereignStorage("archive-storage", {
  context,
  registers,
  encryption: { identityId: keys.encryptionIdentity.id, keyVaultUri: keys.vaultUri, accountKey: keys.storageKey, registerKeys: keys.registerKeys },
});

export const keyVaultUri = keys.vaultUri;
export const storageAccountName = store.accountName;
export const redundancy = store.redundancy.sku;
