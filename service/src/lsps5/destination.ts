/**
 * Where a webhook may send: the LSP's guard against a webhook becoming a way into the operator's network
 * (server-side request forgery). A URL names a host; what matters is the address the LSP connects to, so the
 * delivery shell checks every address the name resolves to, and connects to the one it checked (a second DNS
 * answer, "rebinding", never reaches the socket).
 *
 * Allowed: global unicast addresses only. Refused: loopback, private (RFC 1918, unique local fc00::/7),
 * link-local (which holds the cloud metadata service 169.254.169.254), carrier-grade NAT (where Alibaba's
 * metadata service lives), unspecified, multicast, broadcast and reserved ranges; IPv6 forms that embed an
 * IPv4 address (mapped, NAT64, 6to4) are judged by that address. `allowLoopback` (tests only) lets loopback
 * through and nothing else.
 */
import ipaddr from 'ipaddr.js';

export type AddressClass =
  | 'public'
  | 'loopback'
  | 'private'
  | 'link_local'
  | 'metadata'
  | 'carrier_grade_nat'
  | 'unspecified'
  | 'multicast'
  | 'reserved'
  | 'invalid';

/** Cloud metadata endpoints (AWS/GCP/Azure/OpenStack, AWS IPv6, Alibaba), named for the logs. */
const METADATA_ADDRESSES = new Set(['169.254.169.254', 'fd00:ec2::254', '100.100.100.200']);

const V4_CLASSES: Record<string, AddressClass> = {
  unicast: 'public',
  loopback: 'loopback',
  private: 'private',
  linkLocal: 'link_local',
  carrierGradeNat: 'carrier_grade_nat',
  unspecified: 'unspecified',
  multicast: 'multicast',
  broadcast: 'reserved',
  reserved: 'reserved',
};

const V6_CLASSES: Record<string, AddressClass> = {
  unicast: 'public',
  loopback: 'loopback',
  uniqueLocal: 'private',
  linkLocal: 'link_local',
  unspecified: 'unspecified',
  multicast: 'multicast',
};

/** What kind of address `ip` (a literal IPv4 or IPv6 address) is. */
export function classifyAddress(ip: string): AddressClass {
  if (!ipaddr.isValid(ip)) return 'invalid';
  const addr = ipaddr.parse(ip);
  if (METADATA_ADDRESSES.has(addr.toNormalizedString()) || METADATA_ADDRESSES.has(addr.toString())) return 'metadata';
  if (addr.kind() === 'ipv4') return V4_CLASSES[addr.range()] ?? 'reserved';
  const v6 = addr as ipaddr.IPv6;
  const range = v6.range();
  if (range === 'ipv4Mapped') return classifyAddress(v6.toIPv4Address().toString());
  const embedded = embeddedIpv4(v6, range);
  if (embedded !== undefined) return classifyAddress(embedded);
  // Global unicast is 2000::/3; ipaddr.js calls everything it has no range for "unicast".
  if (range === 'unicast' && (v6.parts[0]! & 0xe000) !== 0x2000) return 'reserved';
  return V6_CLASSES[range] ?? 'reserved';
}

/** The IPv4 address inside a NAT64 (64:ff9b::/96) or 6to4 (2002::/16) address. */
function embeddedIpv4(v6: ipaddr.IPv6, range: string): string | undefined {
  const p = v6.parts;
  if (range === 'rfc6052') return `${p[6]! >> 8}.${p[6]! & 0xff}.${p[7]! >> 8}.${p[7]! & 0xff}`;
  if (range === '6to4') return `${p[1]! >> 8}.${p[1]! & 0xff}.${p[2]! >> 8}.${p[2]! & 0xff}`;
  return undefined;
}

export interface DestinationPolicy {
  /** Tests only (`JITLSP_LSPS5_ALLOW_LOCAL_WEBHOOKS`): loopback addresses are allowed. */
  allowLoopback: boolean;
}

/** Why `ip` may not be contacted, or undefined when it may. */
export function refuseAddress(ip: string, policy: DestinationPolicy): AddressClass | undefined {
  const c = classifyAddress(ip);
  if (c === 'public') return undefined;
  if (c === 'loopback' && policy.allowLoopback) return undefined;
  return c;
}

/**
 * The check at registration, before any DNS: a host that is an address literal is judged now, and `localhost`
 * names (RFC 6761: they always resolve to loopback) too. Other names are judged at delivery.
 */
export function refuseHost(hostname: string, policy: DestinationPolicy): string | undefined {
  const host = hostname.startsWith('[') && hostname.endsWith(']') ? hostname.slice(1, -1) : hostname;
  const lower = host.toLowerCase().replace(/\.$/, '');
  if (lower === 'localhost' || lower.endsWith('.localhost'))
    return policy.allowLoopback ? undefined : 'webhook host: a localhost name (loopback)';
  if (!ipaddr.isValid(host)) return undefined;
  const refused = refuseAddress(host, policy);
  return refused === undefined ? undefined : `webhook host: a ${refused.replace(/_/g, '-')} address`;
}
