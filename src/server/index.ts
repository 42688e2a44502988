/**
 * Gather's Node server as a library (`gather-widgets/server`): the demo
 * server of `gather serve`, the signaling server and the keeper to mount on
 * an HTTP server of your own, the keeper's store and room files, the static
 * file handler, and the command line itself.
 *
 * @example
 * import { startServer } from 'gather-widgets/server';
 * const running = await startServer({ root: process.cwd(), port: 8080 });
 * console.log(running.url, running.signalingUrl);
 *
 * @module
 */
export { run, type RunOptions, type RunOutput } from './cli.js';
export {
  SIGNALING_PATH,
  startServer,
  type RequestHandler,
  type RunningServer,
  type ServeOptions,
  type UpgradeHandler,
} from './serve.js';
export {
  CloseCode,
  PROTOCOL_REFUSALS,
  SignalingServer,
  createSignalingServer,
  refuseUpgrade,
  type RefusalReason,
  type SignalingEvents,
  type SignalingOptions,
} from './signaling.js';
export {
  CONTENT_TYPES,
  createStaticHandler,
  projectMounts,
  type StaticHandler,
  type StaticMount,
} from './static.js';
export { Keeper, KeeperCloseCode, createKeeper, tokenHash, type KeeperOptions } from './keeper.js';
export { RoomStore, StoreLockedError, type LoadedRoom, type RoomRecord, type RoomStoreOptions } from './store.js';
export { exportRoom, importRoom, parseRoomFile, type RoomFile } from './room-file.js';
export { Metrics, directoryBytes, type MetricSources } from './metrics.js';
export { createLog, silentLog, type Log, type LogOutput } from './log.js';
export { startStun, type StunOptions, type StunResponder } from './stun.js';
export { AddressCounter, TokenBucket, clientAddress, originAllowed, roomMatcher, splitList } from './limits.js';
