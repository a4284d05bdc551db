// Answers of list reads, kept as encoded JSON per org version and request URL: the same page asked again while
// nothing changed is a lookup, not a filter, a sort, the serialisation of 500 rows and the hashing of megabytes for an
// ETag on the event loop (which delays every other request, health included). Bounded by bytes; the least recently
// used answers go first.
import { createHash, randomUUID } from 'node:crypto';

// Org versions restart with the process: the ETag must not match an answer a previous process gave.
const PROCESS = randomUUID();

export interface CachedAnswer {
  body: Buffer;
  /** A weak ETag naming the org version and URL the answer was built for: conditional GETs get a 304. */
  etag: string;
}

export class ResponseCache {
  private readonly entries = new Map<string, CachedAnswer>();
  private bytes = 0;
  private readonly maxBytes: number;

  constructor(maxBytes = 32 << 20) {
    this.maxBytes = maxBytes;
  }

  /** The answer for `key` (built by `build` once while it stays cached). */
  answer(key: string, build: () => unknown): CachedAnswer {
    const hit = this.entries.get(key);
    if (hit) {
      // Most recently used last.
      this.entries.delete(key);
      this.entries.set(key, hit);
      return hit;
    }
    const answer = { body: Buffer.from(JSON.stringify(build())), etag: `W/"${createHash('sha1').update(PROCESS).update(key).digest('base64url')}"` };
    // One answer may take at most a quarter of the cache; a larger one is sent but not kept.
    if (answer.body.length > this.maxBytes / 4) return answer;
    this.entries.set(key, answer);
    this.bytes += answer.body.length;
    for (const [k, v] of this.entries) {
      if (this.bytes <= this.maxBytes) break;
      this.entries.delete(k);
      this.bytes -= v.body.length;
    }
    return answer;
  }
}
