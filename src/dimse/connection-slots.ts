// Slots of the DIMSE listener, counted per raw TCP connection from the moment it is accepted
// (before any TLS handshake or A-ASSOCIATE-RQ), so half-open or idle connections take a slot and
// cannot pile up: a global cap and a cap per remote address, so one address cannot take them all.

/** The remote address a slot is counted under: IPv4-mapped IPv6 (`::ffff:10.1.2.3`) as IPv4. */
export function slotAddress(remote: string | undefined): string {
  const a = (remote ?? '').toLowerCase();
  return a.startsWith('::ffff:') && a.includes('.') ? a.slice(7) : a;
}

/** Why a connection got no slot: the global cap or its address's cap is reached. */
export type SlotRefusal = 'global' | 'address';

export class ConnectionSlots {
  private total = 0;
  private readonly byAddress = new Map<string, number>();

  constructor(
    readonly max: number,
    readonly maxPerAddress: number,
  ) {}

  /** Takes a slot for `remote`, or says which cap refuses it. Every success needs one release(). */
  acquire(remote: string | undefined): SlotRefusal | null {
    const key = slotAddress(remote);
    const held = this.byAddress.get(key) ?? 0;
    if (this.total >= this.max) return 'global';
    if (held >= this.maxPerAddress) return 'address';
    this.total += 1;
    this.byAddress.set(key, held + 1);
    return null;
  }

  release(remote: string | undefined): void {
    const key = slotAddress(remote);
    const held = this.byAddress.get(key) ?? 0;
    if (held === 0) return;
    this.total -= 1;
    if (held === 1) this.byAddress.delete(key);
    else this.byAddress.set(key, held - 1);
  }

  get inUse(): number {
    return this.total;
  }

  heldBy(remote: string | undefined): number {
    return this.byAddress.get(slotAddress(remote)) ?? 0;
  }
}
