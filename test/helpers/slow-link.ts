// A slow link to one server: a TCP proxy on 127.0.0.1 whose answers (the server's bytes to the
// client) leave at a bounded rate, are held until the test releases them, or stop after a number of
// bytes; what the client sends goes on at once. It counts the bytes each way. For a page's keeper
// (its WebSocket) on a slow mobile link, in real Chromium.
import net from 'node:net';

export interface SlowLink {
  /** The proxy's port on 127.0.0.1. */
  readonly port: number;
  /** The server's bytes received so far, over every connection (sent on or waiting their turn). */
  readonly received: number;
  /** The server's bytes sent on to the client so far. */
  readonly sent: number;
  /** The clients' bytes sent on to the server so far. */
  readonly uploaded: number;
  /** Lets the server's bytes through, from now on (see {@link SlowLinkOptions.held}). */
  release(): void;
  close(): Promise<void>;
}

export interface SlowLinkOptions {
  /** The server's bytes per second to the client, sent every 10 ms. */
  readonly bytesPerSecond: number;
  /**
   * After this many of the server's bytes on a connection, or after its HTTP response's head
   * (`'head'`: a WebSocket opens, and then nothing comes), nothing more reaches the client: a
   * server that stops answering.
   */
  readonly stopAfter?: number | 'head';
  /** Nothing of the server's reaches a client until {@link SlowLink.release} (a connection that takes long to open). */
  readonly held?: boolean;
}

/** A proxy to `port` on 127.0.0.1 (see the module's notes). */
export async function slowLink(port: number, { bytesPerSecond, stopAfter = Infinity, held = false }: SlowLinkOptions): Promise<SlowLink> {
  const sockets = new Set<net.Socket>();
  let received = 0;
  let sent = 0;
  let uploaded = 0;
  let holding = held;
  const step = Math.max(1, Math.round(bytesPerSecond / 100));
  const server = net.createServer((client) => {
    const upstream = net.connect(port, '127.0.0.1');
    sockets.add(client).add(upstream);
    client.on('data', (chunk: Buffer) => {
      uploaded += chunk.length;
      upstream.write(chunk);
    });
    const queue: Buffer[] = [];
    let allowed = stopAfter === 'head' ? Infinity : stopAfter;
    let head = Buffer.alloc(0); // the server's first bytes, until its response's head has ended
    let forwarded = 0;
    const timer = setInterval(() => {
      let budget = holding ? 0 : Math.min(step, allowed);
      while (budget > 0 && queue.length > 0) {
        const first = queue[0]!;
        const part = first.subarray(0, budget);
        if (part.length === first.length) queue.shift();
        else queue[0] = first.subarray(part.length);
        budget -= part.length;
        allowed -= part.length;
        sent += part.length;
        forwarded += part.length;
        client.write(part);
      }
    }, 10);
    upstream.on('data', (chunk: Buffer) => {
      received += chunk.length;
      queue.push(chunk);
      if (stopAfter === 'head' && allowed === Infinity) {
        head = Buffer.concat([head, chunk]);
        const end = head.indexOf('\r\n\r\n');
        if (end >= 0) allowed = end + 4 - forwarded;
      }
    });
    const end = (): void => {
      clearInterval(timer);
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    for (const socket of [client, upstream]) {
      socket.on('close', end);
      socket.on('error', end);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    get received() {
      return received;
    },
    get sent() {
      return sent;
    },
    get uploaded() {
      return uploaded;
    },
    release: () => void (holding = false),
    close: () => {
      for (const socket of sockets) socket.destroy();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
