/**
 * A STUN responder (RFC 5389/8489 binding requests only) on UDP, so that
 * pages can name the group's own server in `data-ice-servers`
 * (`stun:keeper.example.org:3478`) instead of a third party. Built on
 * `@msimerson/stun` (the maintained fork of `stun`, 9 packages, without the
 * `ip` package that `stun` 2.1.0 drags in with CVE-2024-29415).
 *
 * It answers binding requests with XOR-MAPPED-ADDRESS and ignores everything
 * else (other methods, indications, responses, non-STUN datagrams). A
 * response is barely larger than its request, so it is a poor amplifier.
 *
 * @module
 */
import { createSocket } from 'node:dgram';
import type { AddressInfo } from 'node:net';
import stun from '@msimerson/stun';
import { silentLog, type Log } from './log.js';

/** A listening STUN responder. */
export interface StunResponder {
  readonly port: number;
  close(): Promise<void>;
}

/** Options of {@link startStun}. */
export interface StunOptions {
  /** UDP port; 0 picks a free one. */
  port: number;
  /** Address to bind. Default `127.0.0.1`; `0.0.0.0` or `::` to answer the network. */
  host?: string;
  log?: Log;
}

/** Starts answering STUN binding requests on UDP. */
export async function startStun({ port, host = '127.0.0.1', log = silentLog }: StunOptions): Promise<StunResponder> {
  const socket = createSocket({ type: host.includes(':') ? 'udp6' : 'udp4', reuseAddr: false });
  const server = stun.createServer({ type: host.includes(':') ? 'udp6' : 'udp4', socket });
  const { STUN_BINDING_REQUEST, STUN_BINDING_RESPONSE, STUN_EVENT_BINDING_REQUEST } = stun.constants;
  // Undecodable datagrams are reported as 'error' events: ignore them (an unhandled 'error' would crash).
  server.on('error', () => {});
  socket.on('error', (error) => log('error', { during: 'stun', message: error.message }));
  server.on(STUN_EVENT_BINDING_REQUEST, (request: { type: number; transactionId: Buffer }, rinfo: { address: string; port: number }) => {
    if (request.type !== STUN_BINDING_REQUEST) return; // the library reports every request method here
    const response = stun.createMessage(STUN_BINDING_RESPONSE, request.transactionId);
    response.addXorAddress(rinfo.address, rinfo.port);
    server.send(response, rinfo.port, rinfo.address);
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(port, host, () => {
      socket.off('error', reject);
      resolve();
    });
  });
  return {
    port: (socket.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        socket.close(() => resolve());
        server.close();
      }),
  };
}
