/**
 * Gather's Node server as a library (`gather-widgets/server`): the demo
 * server of `gather serve`, the signaling server to mount on an HTTP server
 * of your own, the static file handler, and the command line itself.
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
  type RunningServer,
  type ServeOptions,
  type UpgradeHandler,
} from './serve.js';
export {
  CloseCode,
  SignalingServer,
  createSignalingServer,
  refuseUpgrade,
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
