import type { TokenCredential } from "@azure/identity";
import { SealError } from "./errors";

/**
 * Who is sealing: the identity in the ARM access token the seal's writes are sent with. Read from
 * the token's own claims (the JWT payload, base64url JSON); the signature is Entra ID's business and
 * ARM's to check, not ours.
 */

/** The caller's identity as the evidence records it. */
export interface Caller {
  /** Entra object id of the user, service principal or managed identity. */
  readonly oid: string;
  /** User principal name (users only). */
  readonly upn?: string;
  /** Application (client) id the token was issued to. */
  readonly appid?: string;
  /** Tenant id. */
  readonly tid?: string;
  /** Display name, when the token carries one. */
  readonly name?: string;
}

function claim(payload: Record<string, unknown>, ...names: string[]): string | undefined {
  for (const name of names) {
    const value = payload[name];
    if (typeof value === "string" && value !== "") return value;
  }
  return undefined;
}

/**
 * Decodes the caller's claims from an access token.
 *
 * @throws SealError - the token is not a JWT or names no object id (`oid`)
 */
export function callerFromToken(token: string): Caller {
  const parts = token.split(".");
  let payload: Record<string, unknown> | undefined;
  if (parts.length === 3) {
    try {
      const parsed: unknown = JSON.parse(Buffer.from(parts[1], "base64url").toString("utf8"));
      if (parsed !== null && typeof parsed === "object" && !Array.isArray(parsed)) payload = parsed as Record<string, unknown>;
    } catch {
      payload = undefined;
    }
  }
  if (payload === undefined) throw new SealError("The Azure access token is not a JWT: cannot tell who is sealing, so nothing is sealed");
  const oid = claim(payload, "oid");
  if (oid === undefined) throw new SealError("The Azure access token has no oid claim: cannot tell who is sealing, so nothing is sealed");
  const caller: Caller = {
    oid,
    upn: claim(payload, "upn", "unique_name", "preferred_username"),
    appid: claim(payload, "appid", "azp"),
    tid: claim(payload, "tid"),
    name: claim(payload, "name"),
  };
  return Object.fromEntries(Object.entries(caller).filter(([, v]) => v !== undefined)) as unknown as Caller;
}

/**
 * Gets an ARM token from `credential` and returns its caller.
 *
 * @param scope - the ARM scope, e.g. `https://management.azure.com/.default`
 * @throws SealError - no token could be had (not logged in), or it does not say who the caller is
 */
export async function identifyCaller(credential: TokenCredential, scope: string): Promise<Caller> {
  let token: string | undefined;
  try {
    token = (await credential.getToken(scope))?.token;
  } catch (err) {
    const first = ((err as Error).message ?? String(err)).split("\n")[0];
    throw new SealError(`Cannot get an Azure token for ${scope} (az login, or a managed identity / OIDC in CI): ${first}`);
  }
  if (token === undefined) throw new SealError(`No Azure token for ${scope}: log in first (az login)`);
  return callerFromToken(token);
}
