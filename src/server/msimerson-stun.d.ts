/** The part of `@msimerson/stun` (CommonJS, no bundled types) that `stun.ts` uses. */
declare module '@msimerson/stun' {
  import type { EventEmitter } from 'node:events';
  import type { Socket, RemoteInfo } from 'node:dgram';

  interface StunMessage {
    readonly type: number;
    readonly transactionId: Buffer;
  }
  interface StunRequest extends StunMessage {
    addXorAddress(address: string, port: number): unknown;
    addSoftware(software: string): unknown;
  }
  interface StunServer extends EventEmitter {
    send(message: StunRequest, port: number, address: string, callback?: (error: Error | null) => void): boolean;
    close(): void;
  }
  const stun: {
    createServer(options: { type: 'udp4' | 'udp6'; socket?: Socket }): StunServer;
    createMessage(type: number, transactionId?: Buffer): StunRequest;
    constants: {
      STUN_BINDING_REQUEST: number;
      STUN_BINDING_RESPONSE: number;
      STUN_EVENT_BINDING_REQUEST: string;
    };
  };
  export default stun;
  export type { RemoteInfo };
}
