import { spawnSync } from "child_process";
import { randomBytes } from "crypto";
import * as fs from "fs";
import * as https from "https";
import type { IncomingMessage, ServerResponse } from "http";
import type { AddressInfo } from "net";
import * as os from "os";
import * as path from "path";

/**
 * A local stand-in for Azure Resource Manager, for the seal's tests. It serves the REST paths and
 * api-versions the seal's SDK clients call and enforces the rules that make sealing dangerous:
 *
 * - a container policy's lock, extend and delete need `If-Match` with its current ETag (412 when stale);
 * - a container policy goes Unlocked → Locked only; a Locked one can only be extended (PUT, delete → 409);
 * - the account's WORM policy is created Disabled/Unlocked, goes Unlocked → Locked and never back;
 * - the backup vault's immutability goes Unlocked → Locked and never back (PATCH answered 202 + polling);
 * - every request needs a bearer token shaped like a JWT.
 *
 * It counts writes, so a test can show that a second seal writes nothing. It listens on HTTPS on
 * 127.0.0.1 with a throw-away certificate made by `openssl` at start, because Azure's bearer-token
 * policy refuses to send a token over plain HTTP whatever `allowInsecureConnection` says.
 */

/** Api-versions the fake answers (the seal pins these: tools/seal/armSealer.ts). */
export const fakeApiVersions = { storage: "2025-08-01", dataProtection: "2025-01-01" } as const;

type AccountPolicyState = "Disabled" | "Unlocked" | "Locked";

interface AccountState {
  readonly id: string;
  readonly name: string;
  worm?: { state: AccountPolicyState; period: number; appendWrites: boolean };
}

interface ContainerPolicy {
  state: "Unlocked" | "Locked";
  period: number;
  appendWrites: boolean;
  etag: string;
  extensions: number;
}

interface VaultState {
  readonly id: string;
  state: "Disabled" | "Unlocked" | "Locked";
}

/** One request the fake answered. */
export interface FakeRequest {
  readonly method: string;
  readonly path: string;
  readonly ifMatch?: string;
  readonly status: number;
}

class ArmError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const newEtag = () => `"8d${randomBytes(7).toString("hex")}"`;

function makeCertificate(): { key: string; cert: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "fake-arm-"));
  try {
    const run = spawnSync(
      "openssl",
      [
        "req",
        "-x509",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:prime256v1",
        "-nodes",
        "-days",
        "1",
        "-subj",
        "/CN=127.0.0.1",
        "-addext",
        "subjectAltName=IP:127.0.0.1",
        "-keyout",
        path.join(dir, "key.pem"),
        "-out",
        path.join(dir, "cert.pem"),
      ],
      { encoding: "utf8" },
    );
    if (run.error !== undefined || run.status !== 0) {
      throw new Error(`fake ARM needs openssl to make its test certificate: ${run.error?.message ?? run.stderr}`);
    }
    return { key: fs.readFileSync(path.join(dir, "key.pem"), "utf8"), cert: fs.readFileSync(path.join(dir, "cert.pem"), "utf8") };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** A fake ARM endpoint holding storage accounts, container policies and backup vaults. */
export class FakeArm {
  /** Every request, in order. */
  readonly requests: FakeRequest[] = [];
  private readonly accounts = new Map<string, AccountState>();
  private readonly policies = new Map<string, ContainerPolicy>();
  private readonly vaults = new Map<string, VaultState>();
  private readonly staleAfterRead = new Set<string>();
  private readonly operations = new Set<string>();

  private constructor(
    private readonly server: https.Server,
    /** The certificate to trust (pass as `tlsOptions.ca`). */
    readonly ca: string,
  ) {}

  /** Starts a fake on a free port of 127.0.0.1. */
  static async start(): Promise<FakeArm> {
    const { key, cert } = makeCertificate();
    const server = https.createServer({ key, cert });
    const fake = new FakeArm(server, cert);
    server.on("request", (req: IncomingMessage, res: ServerResponse) => fake.handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    return fake;
  }

  /** `https://127.0.0.1:<port>` */
  get endpoint(): string {
    return `https://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** Stops the server. */
  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** Requests that change state (anything but GET). */
  get writes(): FakeRequest[] {
    return this.requests.filter((r) => r.method !== "GET");
  }

  /** Adds a storage account, its version-level WORM policy in `state` (as ARM created it). */
  addAccount(id: string, worm: { state: AccountPolicyState; period: number } | undefined): void {
    const name = id.split("/").pop() as string;
    this.accounts.set(id.toLowerCase(), { id, name, worm: worm === undefined ? undefined : { ...worm, appendWrites: false } });
  }

  /** Gives a container (by its ARM id) an immutability policy, as `pulumi up` creates it. */
  addContainerPolicy(containerId: string, policy: { state: "Unlocked" | "Locked"; period: number }): void {
    this.policies.set(containerId.toLowerCase(), { ...policy, appendWrites: false, etag: newEtag(), extensions: 0 });
  }

  /** Adds a backup vault with its immutability state. */
  addVault(id: string, state: VaultState["state"]): void {
    this.vaults.set(id.toLowerCase(), { id, state });
  }

  /** Simulates someone else changing a container policy right after the next read of it (its ETag moves on). */
  changeAfterNextRead(containerId: string): void {
    this.staleAfterRead.add(containerId.toLowerCase());
  }

  /** Current state of an account's WORM policy. */
  accountWorm(id: string): AccountState["worm"] {
    return this.accounts.get(id.toLowerCase())?.worm;
  }

  /** Current state of a container's policy. */
  containerPolicy(containerId: string): ContainerPolicy | undefined {
    return this.policies.get(containerId.toLowerCase());
  }

  /** Current immutability state of a vault. */
  vaultState(id: string): VaultState["state"] | undefined {
    return this.vaults.get(id.toLowerCase())?.state;
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const raw = req.url ?? "/";
      // Parsed against the endpoint: a path starting "//" would otherwise be read as a host name.
      const url = new URL(raw.startsWith("//") ? `/double-slash${raw}` : raw, this.endpoint);
      const ifMatch = req.headers["if-match"] as string | undefined;
      const method = req.method ?? "GET";
      let status = 500;
      let headers: Record<string, string> = {};
      let body: unknown;
      try {
        this.authorize(req.headers.authorization);
        const text = Buffer.concat(chunks).toString("utf8");
        const result = this.route(method, url, ifMatch, text === "" ? {} : (JSON.parse(text) as Record<string, unknown>));
        ({ status } = result);
        headers = result.headers ?? {};
        body = result.body;
      } catch (err) {
        if (!(err instanceof ArmError)) throw err;
        status = err.status;
        body = { error: { code: err.code, message: err.message } };
      }
      this.requests.push({ method, path: url.pathname, ifMatch, status });
      res.writeHead(status, { "content-type": "application/json", "x-ms-request-id": randomBytes(8).toString("hex"), ...headers });
      res.end(body === undefined ? "" : JSON.stringify(body));
    });
  }

  private authorize(header: string | undefined): void {
    const token = /^Bearer (\S+)$/.exec(header ?? "")?.[1];
    const parts = token?.split(".") ?? [];
    let claims: { oid?: unknown } | undefined;
    try {
      claims = parts.length === 3 ? (JSON.parse(Buffer.from(parts[1], "base64url").toString("utf8")) as { oid?: unknown }) : undefined;
    } catch {
      claims = undefined;
    }
    if (typeof claims?.oid !== "string") throw new ArmError(401, "AuthenticationFailed", "Authentication failed: no bearer JWT with an oid claim.");
  }

  private route(
    method: string,
    url: URL,
    ifMatch: string | undefined,
    body: Record<string, unknown>,
  ): { status: number; headers?: Record<string, string>; body?: unknown } {
    const p = url.pathname.toLowerCase();
    const apiVersion = url.searchParams.get("api-version");
    const expect = (version: string) => {
      if (apiVersion !== version) throw new ArmError(400, "InvalidApiVersionParameter", `The fake answers api-version ${version} here, not ${apiVersion}.`);
    };
    const policyMatch = /^(.*\/blobservices\/default\/containers\/[^/]+)\/immutabilitypolicies\/default(\/lock|\/extend)?$/.exec(p);
    if (policyMatch !== null) {
      expect(fakeApiVersions.storage);
      return this.containerPolicyRequest(method, policyMatch[1], policyMatch[2], ifMatch, body, url.pathname);
    }
    if (/\/providers\/microsoft\.storage\/storageaccounts\/[^/]+$/.test(p)) {
      expect(fakeApiVersions.storage);
      return this.accountRequest(method, p, body);
    }
    if (/\/providers\/microsoft\.dataprotection\/backupvaults\/[^/]+$/.test(p)) {
      expect(fakeApiVersions.dataProtection);
      return this.vaultRequest(method, p, body);
    }
    const operation = /\/providers\/microsoft\.dataprotection\/locations\/[^/]+\/operationstatus\/([^/]+)$/.exec(p);
    if (operation !== null && method === "GET" && this.operations.has(operation[1])) {
      return { status: 200, body: { id: url.pathname, name: operation[1], status: "Succeeded" } };
    }
    throw new ArmError(404, "ResourceNotFound", `The fake has no ${url.pathname}.`);
  }

  private containerPolicyRequest(
    method: string,
    containerKey: string,
    action: string | undefined,
    ifMatch: string | undefined,
    body: Record<string, unknown>,
    displayPath: string,
  ): { status: number; headers?: Record<string, string>; body?: unknown } {
    const policy = this.policies.get(containerKey);
    const view = (p: ContainerPolicy) => ({
      status: 200,
      headers: { etag: p.etag },
      body: {
        id: displayPath.replace(/\/(lock|extend)$/i, ""),
        name: "default",
        type: "Microsoft.Storage/storageAccounts/blobServices/containers/immutabilityPolicies",
        etag: p.etag,
        properties: { immutabilityPeriodSinceCreationInDays: p.period, state: p.state, allowProtectedAppendWrites: p.appendWrites },
      },
    });
    const requireEtag = (p: ContainerPolicy) => {
      if (ifMatch === undefined || ifMatch === "")
        throw new ArmError(400, "MissingRequiredHeader", "If-Match with the policy's ETag is required for this operation.");
      if (ifMatch !== "*" && ifMatch !== p.etag)
        throw new ArmError(412, "ContainerImmutabilityPolicyFailure", "Operation not allowed on immutability policy with incorrect etag.");
    };
    const props = (body.properties ?? {}) as { immutabilityPeriodSinceCreationInDays?: number; allowProtectedAppendWrites?: boolean };

    if (method === "GET" && action === undefined) {
      if (policy === undefined) throw new ArmError(404, "ContainerImmutabilityPolicyNotFound", "The container has no immutability policy.");
      const answer = view(policy);
      if (this.staleAfterRead.delete(containerKey)) policy.etag = newEtag(); // someone else's write lands after our read
      return answer;
    }
    if (method === "PUT" && action === undefined) {
      if (policy?.state === "Locked") {
        throw new ArmError(409, "ContainerImmutabilityPolicyFailure", "Operation not allowed on a locked immutability policy: it can only be extended.");
      }
      if (policy !== undefined && ifMatch !== undefined && ifMatch !== "*" && ifMatch !== policy.etag) {
        throw new ArmError(412, "ContainerImmutabilityPolicyFailure", "Operation not allowed on immutability policy with incorrect etag.");
      }
      const next: ContainerPolicy = {
        state: "Unlocked",
        period: props.immutabilityPeriodSinceCreationInDays ?? policy?.period ?? 0,
        appendWrites: props.allowProtectedAppendWrites ?? false,
        etag: newEtag(),
        extensions: 0,
      };
      this.policies.set(containerKey, next);
      return view(next);
    }
    if (policy === undefined) throw new ArmError(404, "ContainerImmutabilityPolicyNotFound", "The container has no immutability policy.");
    if (method === "DELETE" && action === undefined) {
      requireEtag(policy);
      if (policy.state === "Locked") throw new ArmError(409, "ContainerImmutabilityPolicyFailure", "Deleting a locked immutability policy is not allowed.");
      this.policies.delete(containerKey);
      return { status: 200, body: { name: "default", properties: { immutabilityPeriodSinceCreationInDays: 0 } } };
    }
    if (method === "POST" && action === "/lock") {
      requireEtag(policy);
      if (policy.state === "Locked") throw new ArmError(409, "ContainerImmutabilityPolicyFailure", "The immutability policy is already locked.");
      policy.state = "Locked";
      policy.etag = newEtag();
      return view(policy);
    }
    if (method === "POST" && action === "/extend") {
      requireEtag(policy);
      if (policy.state !== "Locked") throw new ArmError(409, "ContainerImmutabilityPolicyFailure", "Only a locked immutability policy can be extended.");
      const period = props.immutabilityPeriodSinceCreationInDays ?? 0;
      if (period <= policy.period)
        throw new ArmError(400, "ContainerImmutabilityPolicyFailure", "A locked immutability policy's period can only be increased.");
      if (policy.extensions >= 5) throw new ArmError(409, "ContainerImmutabilityPolicyFailure", "A locked policy can be extended at most five times.");
      policy.period = period;
      policy.extensions += 1;
      policy.etag = newEtag();
      return view(policy);
    }
    throw new ArmError(405, "MethodNotAllowed", `The fake does not answer ${method} here.`);
  }

  private accountRequest(method: string, key: string, body: Record<string, unknown>): { status: number; body?: unknown } {
    const account = this.accounts.get(key);
    if (account === undefined) throw new ArmError(404, "ResourceNotFound", "The storage account was not found.");
    const view = () => ({
      status: 200,
      body: {
        id: account.id,
        name: account.name,
        type: "Microsoft.Storage/storageAccounts",
        location: "germanywestcentral",
        kind: "StorageV2",
        sku: { name: "Standard_RAGZRS", tier: "Standard" },
        properties: {
          provisioningState: "Succeeded",
          immutableStorageWithVersioning:
            account.worm === undefined
              ? undefined
              : {
                  enabled: true,
                  immutabilityPolicy: {
                    immutabilityPeriodSinceCreationInDays: account.worm.period,
                    state: account.worm.state,
                    allowProtectedAppendWrites: account.worm.appendWrites,
                  },
                },
        },
      },
    });
    if (method === "GET") return view();
    if (method !== "PATCH") throw new ArmError(405, "MethodNotAllowed", `The fake does not answer ${method} here.`);
    const change = (body.properties as { immutableStorageWithVersioning?: { enabled?: boolean; immutabilityPolicy?: Record<string, unknown> } } | undefined)
      ?.immutableStorageWithVersioning;
    if (change !== undefined) {
      const worm = account.worm;
      if (worm === undefined)
        throw new ArmError(400, "InvalidRequestPropertyValue", "Version-level immutability can only be enabled when the account is created.");
      if (change.enabled === false) throw new ArmError(400, "InvalidRequestPropertyValue", "Version-level immutability cannot be disabled.");
      const policy = change.immutabilityPolicy ?? {};
      const state = (policy.state as AccountPolicyState | undefined) ?? worm.state;
      const period = (policy.immutabilityPeriodSinceCreationInDays as number | undefined) ?? worm.period;
      const appendWrites = (policy.allowProtectedAppendWrites as boolean | undefined) ?? worm.appendWrites;
      if (worm.state === "Locked") {
        if (state !== "Locked") throw new ArmError(409, "InvalidAccountImmutabilityPolicyState", "A Locked account immutability policy cannot be reverted.");
        if (period < worm.period) throw new ArmError(400, "InvalidAccountImmutabilityPolicyState", "A Locked policy's period can only be increased.");
        if (appendWrites !== worm.appendWrites)
          throw new ArmError(400, "InvalidAccountImmutabilityPolicyState", "allowProtectedAppendWrites cannot change on a Locked policy.");
      } else if (state === "Locked" && worm.state !== "Unlocked") {
        throw new ArmError(400, "InvalidAccountImmutabilityPolicyState", "Only a policy in an Unlocked state can transition to a Locked state.");
      }
      account.worm = { state, period, appendWrites };
    }
    return view();
  }

  private vaultRequest(method: string, key: string, body: Record<string, unknown>): { status: number; headers?: Record<string, string>; body?: unknown } {
    const vault = this.vaults.get(key);
    if (vault === undefined) throw new ArmError(404, "ResourceNotFound", "The backup vault was not found.");
    const view = () => ({
      status: 200,
      body: {
        id: vault.id,
        name: vault.id.split("/").pop(),
        type: "Microsoft.DataProtection/backupVaults",
        location: "germanywestcentral",
        properties: {
          provisioningState: "Succeeded",
          securitySettings: {
            softDeleteSettings: { state: "AlwaysOn", retentionDurationInDays: 180 },
            immutabilitySettings: { state: vault.state },
          },
        },
      },
    });
    if (method === "GET") return view();
    if (method !== "PATCH") throw new ArmError(405, "MethodNotAllowed", `The fake does not answer ${method} here.`);
    const security = (body.properties as { securitySettings?: Record<string, unknown> } | undefined)?.securitySettings;
    if (security !== undefined && Object.keys(security).some((k) => k !== "immutabilitySettings")) {
      throw new ArmError(400, "UserErrorUnexpectedSecuritySettings", "The fake expects the seal to send only immutabilitySettings.");
    }
    const state = (security?.immutabilitySettings as { state?: VaultState["state"] } | undefined)?.state;
    if (state !== undefined && state !== vault.state) {
      if (vault.state === "Locked") throw new ArmError(400, "UserErrorImmutabilityLocked", "Immutability is locked on this vault and cannot be changed.");
      if (state === "Locked" && vault.state !== "Unlocked")
        throw new ArmError(400, "UserErrorImmutabilityNotEnabled", "Enable immutability before locking it.");
      vault.state = state;
    }
    const operationId = randomBytes(6).toString("hex");
    this.operations.add(operationId);
    const subscription = vault.id.split("/")[2];
    const status = `${this.endpoint}/subscriptions/${subscription}/providers/Microsoft.DataProtection/locations/germanywestcentral/operationStatus/${operationId}?api-version=${fakeApiVersions.dataProtection}`;
    return { status: 202, headers: { "azure-asyncoperation": status, "retry-after": "0" } };
  }
}
