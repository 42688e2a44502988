/**
 * Small building blocks of the keeper's and the signaling server's limits:
 * room-name patterns, origin lists, per-address connection counts and rates, a
 * token bucket for message rates, and the client address behind a proxy.
 *
 * @module
 */
import type { IncomingMessage } from 'node:http';

/**
 * Compiles glob patterns (`*` any run of characters, `?` one character,
 * everything else literal) into one predicate. No pattern: everything matches.
 *
 * @example
 * roomMatcher(['eastside-*'])('eastside-tenants') // true
 */
export function roomMatcher(patterns: readonly string[]): (name: string) => boolean {
  if (patterns.length === 0) return () => true;
  const source = patterns
    .map((pattern) =>
      [...pattern].map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\/-]/g, '\\$&'))).join(''),
    )
    .join('|');
  const regex = new RegExp(`^(?:${source})$`, 's');
  return (name) => regex.test(name);
}

/** Splits a comma-separated list (flags, environment variables), dropping empty items. */
export function splitList(text: string | undefined): string[] {
  return (text ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
}

/**
 * Whether a WebSocket upgrade's `Origin` is allowed. An empty list allows all.
 * A request without `Origin` is not from a web page (browsers always send it
 * on WebSocket requests), so the list cannot apply and it is allowed.
 */
export function originAllowed(origins: readonly string[], origin: string | undefined): boolean {
  if (origins.length === 0 || origin === undefined) return true;
  return origins.includes(origin.replace(/\/$/, ''));
}

/**
 * The client's address: the socket's peer, or with `trustProxy` the last
 * address of `X-Forwarded-For` (the one the proxy in front of us added).
 */
export function clientAddress(req: IncomingMessage, trustProxy = false): string {
  if (trustProxy) {
    const forwarded = req.headers['x-forwarded-for'];
    const last = (Array.isArray(forwarded) ? forwarded.join(',') : forwarded ?? '').split(',').pop()?.trim();
    if (last) return last;
  }
  return req.socket.remoteAddress ?? 'unknown';
}

/** Open connections per address, capped. */
export class AddressCounter {
  private readonly counts = new Map<string, number>();
  constructor(readonly max: number) {}

  /** Counts one more connection from `address`; undefined (and nothing counted) when it is at the cap. */
  acquire(address: string): (() => void) | undefined {
    const count = this.counts.get(address) ?? 0;
    if (count >= this.max) return undefined;
    this.counts.set(address, count + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.counts.get(address) ?? 1) - 1;
      if (left <= 0) this.counts.delete(address);
      else this.counts.set(address, left);
    };
  }

  count(address: string): number {
    return this.counts.get(address) ?? 0;
  }
}

/**
 * A rate per address: each address has a {@link TokenBucket} of `rate` per second and bursts of
 * `burst`. Buckets that have filled up again are forgotten (swept at most once a minute), so the
 * memory held is bounded by the addresses active in the last minute or so.
 */
export class AddressRate {
  private readonly buckets = new Map<string, TokenBucket>();
  private swept: number;
  constructor(
    readonly rate: number,
    readonly burst: number,
    private readonly now: () => number = Date.now,
  ) {
    this.swept = now();
  }

  /** Counts one event from `address`; false (nothing counted) when it is over the rate. */
  take(address: string): boolean {
    const time = this.now();
    if (time - this.swept > 60_000) {
      this.swept = time;
      for (const [key, bucket] of this.buckets) if (bucket.full()) this.buckets.delete(key);
    }
    let bucket = this.buckets.get(address);
    if (!bucket) this.buckets.set(address, (bucket = new TokenBucket(this.rate, this.burst, this.now)));
    return bucket.take();
  }

  /** Addresses remembered. */
  get size(): number {
    return this.buckets.size;
  }
}

/** A token bucket: `rate` per second on average, bursts of up to `burst`. */
export class TokenBucket {
  private tokens: number;
  private last: number;
  constructor(
    private readonly rate: number,
    private readonly burst: number,
    private readonly now: () => number = Date.now,
  ) {
    this.tokens = burst;
    this.last = now();
  }

  /** Takes one token; false when the bucket is empty. */
  take(): boolean {
    this.refill();
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  /** Whether the bucket has filled up again (as if never used). */
  full(): boolean {
    this.refill();
    return this.tokens >= this.burst;
  }

  private refill(): void {
    const time = this.now();
    this.tokens = Math.min(this.burst, this.tokens + ((time - this.last) / 1000) * this.rate);
    this.last = time;
  }
}
