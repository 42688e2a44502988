/**
 * The server's metrics in the Prometheus text format (prom-client), served at
 * `/metrics`: open connections, rooms in memory, bytes on disk, updates
 * stored, and messages or connections refused, by reason.
 *
 * @module
 */
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';

/** Where the gauges read their values when scraped. */
export interface MetricSources {
  syncConnections?(): number;
  signalingConnections?(): number;
  rooms?(): number;
  /** Bytes stored on disk (the data directory). */
  storageBytes?(): Promise<number>;
}

/** The counters the keeper and the server increment, and the registry behind `/metrics`. */
export class Metrics {
  readonly registry = new Registry();
  readonly updates = new Counter({ name: 'gather_updates_stored_total', help: 'Yjs updates written to disk', registers: [this.registry] });
  readonly updateBytes = new Counter({ name: 'gather_update_bytes_stored_total', help: 'Bytes of Yjs updates written to disk', registers: [this.registry] });
  readonly compactions = new Counter({ name: 'gather_compactions_total', help: 'Rooms compacted on disk', registers: [this.registry] });
  readonly rejected = new Counter({
    name: 'gather_rejected_total',
    help: 'Messages, connections and rooms refused, by reason',
    labelNames: ['reason'] as const,
    registers: [this.registry],
  });
  private sources: MetricSources = {};

  constructor({ defaults = true }: { defaults?: boolean } = {}) {
    if (defaults) collectDefaultMetrics({ register: this.registry, prefix: 'gather_' });
    const sources = () => this.sources;
    new Gauge({
      name: 'gather_sync_connections',
      help: 'Open WebSocket connections at /sync',
      registers: [this.registry],
      collect() {
        this.set(sources().syncConnections?.() ?? 0);
      },
    });
    new Gauge({
      name: 'gather_signaling_connections',
      help: 'Open WebSocket connections at /signal',
      registers: [this.registry],
      collect() {
        this.set(sources().signalingConnections?.() ?? 0);
      },
    });
    new Gauge({
      name: 'gather_rooms_loaded',
      help: 'Rooms held in memory (rooms with no client are unloaded; they stay on disk)',
      registers: [this.registry],
      collect() {
        this.set(sources().rooms?.() ?? 0);
      },
    });
    new Gauge({
      name: 'gather_storage_bytes',
      help: 'Bytes in the data directory',
      registers: [this.registry],
      async collect() {
        this.set((await sources().storageBytes?.()) ?? 0);
      },
    });
  }

  /** Adds (or replaces) sources of the gauges. */
  observe(sources: MetricSources): void {
    this.sources = { ...this.sources, ...sources };
  }

  /** Counts one refusal. */
  reject(reason: string): void {
    this.rejected.inc({ reason });
  }

  /** An HTTP handler answering with the metrics. */
  handler(): (req: IncomingMessage, res: ServerResponse) => void {
    return (_req, res) => {
      this.registry.metrics().then(
        (text) => {
          res.writeHead(200, { 'Content-Type': this.registry.contentType, 'Cache-Control': 'no-store' });
          res.end(text);
        },
        () => {
          res.writeHead(500).end();
        },
      );
    };
  }
}

/** Total size of the files in a directory (not recursive: LevelDB keeps its files flat). */
export async function directoryBytes(directory: string): Promise<number> {
  let total = 0;
  for (const name of await readdir(directory).catch(() => [] as string[])) {
    const info = await stat(path.join(directory, name)).catch(() => undefined);
    if (info?.isFile()) total += info.size;
  }
  return total;
}
