// Reply matching rules for the host link (pure): request -> response MTI, TID+STAN keys, bounded books.

/** The response MTI for a request or advice MTI: function digit + 1, origin digit 0 (0200 -> 0210, 0401 -> 0410). */
export function responseMtiFor(mti: string): string {
  if (typeof mti !== 'string' || !/^\d{4}$/.test(mti)) throw new TypeError(`request.mti: expected 4 digits, got ${JSON.stringify(mti)}`);
  const fn = Number(mti[2]);
  if (fn !== 0 && fn !== 2) throw new TypeError(`request.mti: expected a request or advice MTI (xx0x or xx2x), got ${mti}`);
  return `${mti.slice(0, 2)}${fn + 1}0`;
}

/** A field value as text (binary fields as latin1), '' when absent. */
export function fieldText(value: string | Buffer | Uint8Array | undefined): string {
  if (value === undefined) return '';
  return typeof value === 'string' ? value : Buffer.from(value).toString('latin1');
}

/** The key a reply is matched on: terminal id, STAN and the MTI the answer carries. */
export function matchKey(tid: string, stan: string, responseMti: string): string {
  return `${tid}\u0000${stan}\u0000${responseMti}`;
}

/** Insertion-ordered map that forgets its oldest entry past `capacity`. */
export class BoundedMap<K, V> {
  private readonly map = new Map<K, V>();
  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`capacity: expected a positive integer, got ${capacity}`);
  }
  get size(): number {
    return this.map.size;
  }
  /** Stores (or refreshes) an entry; returns the entry evicted to make room, if any. */
  set(key: K, value: V): [K, V] | undefined {
    this.map.delete(key);
    this.map.set(key, value);
    if (this.map.size <= this.capacity) return undefined;
    const [oldKey, oldValue] = this.map.entries().next().value as [K, V];
    this.map.delete(oldKey);
    return [oldKey, oldValue];
  }
  /** Removes and returns the entry for `key`. */
  take(key: K): V | undefined {
    const value = this.map.get(key);
    this.map.delete(key);
    return value;
  }
}
