// Loopback judged by address: 127.0.0.0/8, ::1 and their v4-mapped forms, plus the reserved name `localhost`.
// Never a string prefix — "127.0.0.1.nip.io" is a public DNS name that happens to start with 127.
import { BlockList, isIP } from 'node:net';

const LOOPBACK = new BlockList();
LOOPBACK.addSubnet('127.0.0.0', 8, 'ipv4');
LOOPBACK.addAddress('::1', 'ipv6');

/** Names that always mean this machine (RFC 6761 reserves `localhost`). */
export const LOOPBACK_NAMES = new Set(['localhost']);

export const unbracket = (host: string): string => (host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host);

/** An IP address (v4, v6, v4-mapped v6) in a loopback range. Names other than localhost are not addresses. */
export const isLoopbackAddress = (address: string | undefined): boolean => {
  if (!address) return false;
  const a = unbracket(address);
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(a);
  if (mapped) return LOOPBACK.check(mapped[1]!, 'ipv4');
  const family = isIP(a);
  if (family === 4) return LOOPBACK.check(a, 'ipv4');
  if (family === 6) return LOOPBACK.check(a, 'ipv6');
  return false;
};

/** A HOST setting that binds to loopback only: a loopback address or `localhost`. */
export const isLoopbackHost = (host: string): boolean => LOOPBACK_NAMES.has(host.toLowerCase()) || isLoopbackAddress(host);

