// Answers of list reads, kept as JSON text per org version and request URL: the same page asked again while nothing
// changed is a lookup, not a filter, a sort and the serialisation of 500 rows on the event loop (which delays every
// other request, health included). Bounded by bytes; the least recently used answers go first.
export class ResponseCache {
  private readonly entries = new Map<string, string>();
  private bytes = 0;
  private readonly maxBytes: number;

  constructor(maxBytes = 32 << 20) {
    this.maxBytes = maxBytes;
  }

  /** The JSON of `build()` for `key`, built once while it stays cached. */
  json(key: string, build: () => unknown): string {
    const hit = this.entries.get(key);
    if (hit !== undefined) {
      // Most recently used last.
      this.entries.delete(key);
      this.entries.set(key, hit);
      return hit;
    }
    const text = JSON.stringify(build());
    if (text.length * 2 > this.maxBytes / 4) return text;
    this.entries.set(key, text);
    this.bytes += text.length * 2;
    for (const [k, v] of this.entries) {
      if (this.bytes <= this.maxBytes) break;
      this.entries.delete(k);
      this.bytes -= v.length * 2;
    }
    return text;
  }
}
