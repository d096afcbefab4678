// Association acceptance policy of the DIMSE listener: which calling AE titles may associate, from
// which addresses, and which of them may store (C-STORE) or query/retrieve (C-FIND/C-MOVE/C-GET).
// A calling AE outside the list gets A-ASSOCIATE-RJ "calling-AE-title-not-recognized" (PS3.8
// 9.3.4, Table 9-21); a DIMSE operation outside the peer's rights gets 0124H "Refused: Not
// authorized" (PS3.7 Annex C.5). AE titles are not authenticators: the address binding (and the
// client certificate under DICOM TLS) is what makes the list mean something.

import { BlockList, isIP } from 'node:net';

/** An AE title, optionally bound to an IPv4/IPv6 address or CIDR network ("10.1.2.0/24"). */
export interface AeGrant {
  aeTitle: string;
  from?: string | undefined;
}

/** Grants, or 'any': every AE (calling list) / every accepted AE (store and query lists). */
export type AeGrants = readonly (AeGrant | string)[] | 'any';

/** "::ffff:10.1.2.3" (an IPv4 peer on a dual-stack socket) → "10.1.2.3". */
function normalizeAddress(address: string): string {
  const m = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  return m?.[1] ?? address;
}

export class AeAccessList {
  /** Per AE title: null = from anywhere, else the addresses/networks it may connect from. */
  private readonly byTitle: Map<string, BlockList | null> | 'any';

  constructor(grants: AeGrants) {
    if (grants === 'any') {
      this.byTitle = 'any';
      return;
    }
    this.byTitle = new Map();
    for (const g of grants) {
      const grant = typeof g === 'string' ? { aeTitle: g } : g;
      const title = grant.aeTitle.trim();
      const current = this.byTitle.get(title);
      if (current === null) continue; // already allowed from anywhere
      if (grant.from === undefined) {
        this.byTitle.set(title, null);
        continue;
      }
      const list = current ?? new BlockList();
      const [address = '', prefix] = grant.from.split('/');
      const family = isIP(address) === 6 ? 'ipv6' : 'ipv4';
      if (isIP(address) === 0) throw new RangeError(`not an IP address: "${grant.from}"`);
      if (prefix === undefined) list.addAddress(address, family);
      else list.addSubnet(address, Number(prefix), family);
      this.byTitle.set(title, list);
    }
  }

  /** True when `aeTitle` is listed and `remoteAddress` is one it may connect from. */
  allows(aeTitle: string, remoteAddress: string | undefined): boolean {
    if (this.byTitle === 'any') return true;
    const entry = this.byTitle.get(aeTitle.trim());
    if (entry === undefined) return false;
    if (entry === null) return true;
    if (remoteAddress === undefined) return false;
    const address = normalizeAddress(remoteAddress);
    const family = isIP(address);
    return family !== 0 && entry.check(address, family === 6 ? 'ipv6' : 'ipv4');
  }
}

/** The three lists of one listener. */
export interface DimseAccessPolicy {
  calling: AeAccessList;
  store: AeAccessList;
  query: AeAccessList;
}

/** What one accepted association may do (decided once, at A-ASSOCIATE). */
export interface AssociationRights {
  store: boolean;
  query: boolean;
}

export function rightsOf(policy: DimseAccessPolicy, aeTitle: string, remote: string | undefined): AssociationRights {
  return { store: policy.store.allows(aeTitle, remote), query: policy.query.allows(aeTitle, remote) };
}
