/** IPv4 CIDR arithmetic for validating the embassy's address plan. */

/** A parsed IPv4 CIDR block. */
export interface CidrBlock {
  /** Network address as an unsigned 32-bit integer. */
  readonly network: number;
  readonly prefixLength: number;
}

/** Parses `a.b.c.d/n`; returns a reason string when the block is invalid. */
export function parseCidr(text: string): CidrBlock | string {
  const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(text.trim());
  if (match === null) {
    return `"${text}" is not an IPv4 CIDR block such as 10.60.0.0/24`;
  }
  const octets = match.slice(1, 5).map(Number);
  const prefixLength = Number(match[5]);
  if (octets.some((o) => o > 255) || prefixLength > 32) {
    return `"${text}" has an octet above 255 or a prefix length above 32`;
  }
  const address = octets.reduce((acc, o) => acc * 256 + o, 0);
  const size = 2 ** (32 - prefixLength);
  if (address % size !== 0) {
    const network = address - (address % size);
    return `"${text}" has host bits set; the block starts at ${formatAddress(network)}/${prefixLength}`;
  }
  return { network: address, prefixLength };
}

function formatAddress(value: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256).join(".");
}

function lastAddress(block: CidrBlock): number {
  return block.network + 2 ** (32 - block.prefixLength) - 1;
}

/** True when `inner` lies entirely inside `outer`. */
export function cidrContains(outer: CidrBlock, inner: CidrBlock): boolean {
  return inner.network >= outer.network && lastAddress(inner) <= lastAddress(outer);
}

/** True when the two blocks share any address. */
export function cidrsOverlap(a: CidrBlock, b: CidrBlock): boolean {
  return a.network <= lastAddress(b) && b.network <= lastAddress(a);
}
