/**
 * A room's link to its keeper (`gather serve`'s `/sync`): Hocuspocus's own provider over one
 * WebSocket, on the same Y.Doc as y-webrtc, so data flows by whichever path works — peers and the
 * keeper at once. WebrtcRoom loads this module with a dynamic `import()` only when the page names a
 * keeper: it and `@hocuspocus/provider` are a chunk of their own, not part of the embed.
 *
 * What the link reports (see RoomStatus.keeper, .unsaved):
 * - `unsaved` is the provider's `unsyncedChanges`: updates sent and not yet answered by the keeper,
 *   which answers only once an update is on its disk. The provider sets it to 1 while a (re)sync is
 *   under way, so `synced` with `unsaved === 0` means: everything this browser holds is stored.
 * - `synced` once, on a connection, the keeper has sent its state and confirmed this browser's
 *   (`unsaved` back to 0); it stays so until the connection closes.
 * - `offline` after any failed or closed connection until the next sync (the provider keeps
 *   retrying, 1 s to 10 s apart), and for good when the keeper refuses the room (`refusal`).
 *
 * @module
 */
import { HocuspocusProvider, HocuspocusProviderWebsocket } from '@hocuspocus/provider';
import { ObservableV2 } from 'lib0/observable';
import type * as Y from 'yjs';
import { expectedBytes } from '../keeper/hint.js';
import { keeperToken } from '../keeper/token.js';
import { explainOnce, noteRefusedConnections } from './endpoint-check.js';
import { warnOnce } from './options.js';
import type { KeeperRefusal, KeeperState } from './types.js';

/** Options of a {@link KeeperLink}. */
export interface KeeperLinkOptions {
  /** The keeper's `/sync` (ws:// or wss://). */
  readonly url: string;
  /** The room's name: the keeper's name for the document (what its `--rooms` patterns match). */
  readonly room: string;
  /** The room's password: the link shows the keeper a token derived from it, never the password. */
  readonly password: string | null;
  /** Shortest and longest wait between two connection attempts, in ms. Default 1 000 and 10 000. */
  readonly minDelay?: number;
  readonly maxDelay?: number;
  /** After a `too-many-rooms` refusal, try again after this long (ms). Default 60 000. */
  readonly retryRefusedMs?: number;
  /**
   * Whether the keeper may be asked for the room's state now (its sync step 1 sent): false while a
   * WebRTC peer's answer to the same question is on its way, so that a new visitor is not sent the
   * room twice at once. Then {@link KeeperLink.ask} asks it later. Always, if left out.
   */
  readonly mayAsk?: () => boolean;
}

/** What a {@link KeeperLink} reports. */
export interface KeeperLinkStatus {
  readonly state: Exclude<KeeperState, 'none'>;
  /** Changes sent to the keeper and not yet confirmed as stored (see the module's notes). */
  readonly unsaved: number;
  readonly refusal?: KeeperRefusal;
}

export interface KeeperLinkEvents {
  status: (status: KeeperLinkStatus) => void;
  /** The keeper's state has come, on a connection (its sync step 2): before `status` says so. */
  state: () => void;
  /**
   * The keeper said that its answer to this new visitor (the whole room) is on its way, and about
   * how large it is: at most `bytes` (src/keeper/hint.ts).
   */
  expecting: (bytes: number) => void;
}

/** Close codes of the keeper (src/server/keeper.ts KeeperCloseCode). */
const MALFORMED = 4400;
const ROOM_TOO_LARGE = 4413;
const RATE_LIMITED = 4429;

const REFUSALS: readonly string[] = ['permission-denied', 'room-not-allowed', 'too-many-rooms'] satisfies KeeperRefusal[];

const isBrowserOffline = (): boolean => typeof navigator !== 'undefined' && navigator.onLine === false;

/** The console message for the site owner when the keeper refuses a room: what happened and the fix. */
function refusalMessage(refusal: KeeperRefusal, url: string, room: string, password: string | null): string {
  const head = `gather: the keeper ${url} refused room "${room}"`;
  const after = 'Until then, changes are kept on this device and reach other visitors over WebRTC only.';
  switch (refusal) {
    case 'permission-denied':
      return password === null
        ? `${head}: it keeps that room with a password. Fix: give the page the room's password (password="…" on <gather-room> or the widget), or use another room name. ${after}`
        : `${head}: it keeps that room with another password, or with none (the room's first visitor fixed it). Fix: use the password the room was first opened with, or another room name. ${after}`;
    case 'room-not-allowed':
      return `${head}: the name matches none of its --rooms patterns. Fix: add a pattern for it to the keeper's --rooms (GATHER_ROOMS), or use a room name it keeps. ${after}`;
    case 'too-many-rooms':
      return `${head}: it has --max-rooms rooms open already. Fix: raise the keeper's --max-rooms (GATHER_MAX_ROOMS). It is tried again in a minute. ${after}`;
    case 'room-too-large':
      return `${head}: the room is larger than its --max-doc-bytes. Fix: raise the keeper's --max-doc-bytes (GATHER_MAX_DOC_BYTES), or start a new room. ${after}`;
  }
}

/**
 * One room's connection to its keeper. Emits `status` when what it reports changes; `destroy()`
 * closes the connection for good.
 */
export class KeeperLink extends ObservableV2<KeeperLinkEvents> {
  readonly url: string;
  readonly room: string;
  readonly #doc: Y.Doc;
  readonly #password: string | null;
  readonly #minDelay: number;
  readonly #maxDelay: number;
  readonly #retryRefusedMs: number;

  #socket: HocuspocusProviderWebsocket | null = null;
  #provider: HocuspocusProvider | null = null;
  #token: Promise<string> | null = null;
  /** The keeper has sent its state on this connection (sync step 2). */
  #gotState = false;
  /** When this connection asked the keeper for its state, while it has not come (ms; see {@link askedAt}). */
  #askedAt: number | null = null;
  readonly #mayAsk: () => boolean;
  /** This connection's sync step 1, held back while the keeper may not be asked (see {@link ask}). */
  #heldSync: (() => void) | null = null;
  /**
   * Synced on this connection: the keeper has sent its state and confirmed this browser's once
   * (`unsaved` reached 0), so the first sync of every visit does not flash "1 change waiting".
   */
  #synced = false;
  /** A connection attempt failed or a connection closed since the last sync. */
  #failed = false;
  /** Whether the keeper was ever reached (for the one console hint when it never is). */
  #reached = false;
  /** The page's WebSocket class, watched (made once per link: {@link #watchedWebSocket}). */
  #WatchedWebSocket: typeof WebSocket | undefined;
  #unsaved = 0;
  #refusal: KeeperRefusal | undefined;
  #retry: ReturnType<typeof setTimeout> | undefined;
  #destroyed = false;
  #status: KeeperLinkStatus = Object.freeze({ state: 'connecting', unsaved: 0 });

  constructor(doc: Y.Doc, { url, room, password, minDelay = 1000, maxDelay = 10_000, retryRefusedMs = 60_000, mayAsk = () => true }: KeeperLinkOptions) {
    super();
    // A CSP refusing the keeper is seen as it happens, to be named if it never opens (endpoint-check.ts).
    noteRefusedConnections();
    this.#mayAsk = mayAsk;
    this.#doc = doc;
    this.url = url;
    this.room = room;
    this.#password = password;
    this.#minDelay = minDelay;
    this.#maxDelay = maxDelay;
    this.#retryRefusedMs = retryRefusedMs;
    if (typeof window !== 'undefined') {
      window.addEventListener('online', this.#update);
      window.addEventListener('offline', this.#update);
    }
    void this.#connect();
  }

  get status(): KeeperLinkStatus {
    return this.#status;
  }

  /**
   * When (Date.now()) this connection asked the keeper for the room's state (the provider sends its
   * sync step 1 as the socket opens, unless held back: see {@link ask}), while that state is on its
   * way: null before, once it has come, and when the connection closes. The keeper answers with one
   * WebSocket message, whose progress a page cannot see: a WebRTC room holds back asking its peers
   * for the same state meanwhile (webrtc-room.ts).
   */
  get askedAt(): number | null {
    return this.#askedAt;
  }

  /**
   * Asks the keeper for the room's state now if this connection's sync step 1 was held back (the
   * options' `mayAsk` said no as the socket opened) and it may be asked now: its step 1 then names
   * what this browser holds by now, and the keeper answers with only what is missing.
   */
  ask(): void {
    if (this.#heldSync !== null && this.#mayAsk()) this.#heldSync();
  }

  async #connect(): Promise<void> {
    const password = this.#password;
    let token = '';
    if (password !== null) {
      if (typeof crypto === 'undefined' || !crypto.subtle) {
        warnOnce(`gather: room "${this.room}" has a password, and proving it to the keeper needs a secure context (https or localhost): the keeper is not used.`);
        this.#failed = true;
        this.#update();
        return;
      }
      try {
        token = await (this.#token ??= keeperToken(this.room, password));
      } catch (error) {
        warnOnce(`gather: could not derive the keeper token of room "${this.room}" (${String(error)}): the keeper is not used.`);
        this.#failed = true;
        this.#update();
        return;
      }
    }
    if (this.#destroyed) return;
    const socket = new HocuspocusProviderWebsocket({
      ...(typeof location !== 'undefined' && typeof WebSocket === 'function' ? { WebSocketPolyfill: this.#watchedWebSocket() } : {}),
      url: this.url,
      delay: this.#minDelay,
      minDelay: this.#minDelay,
      maxDelay: this.#maxDelay,
      factor: 2,
      jitter: true,
    });
    // Updates made while disconnected wait in the socket's queue and would be sent after the next
    // handshake, each answered by the keeper: those answers would count `unsaved` down to 0 before
    // the sync that carries everything has been answered. The sync on each connection sends all
    // the keeper lacks anyway, so the queue is dropped when a connection opens.
    socket.on('open', () => {
      (socket as unknown as { messageQueue: unknown[] }).messageQueue = [];
    });
    const provider = new HocuspocusProvider({ websocketProvider: socket, name: this.room, document: this.#doc, token });
    // Updates (a peer's state coming in, this visitor's vote) are not sent while the sync is held back:
    // the sync sends the keeper all it lacks then (it answers the sync step 1 with its own, and the
    // link with everything the keeper's does not name). A new visitor whose peer sent it the room
    // sent the keeper that whole copy of what it already had.
    const send = provider.send.bind(provider);
    provider.send = ((message: unknown, args: { update?: unknown }) => {
      if (this.#heldSync !== null && args?.update instanceof Uint8Array) return;
      send(message as Parameters<typeof send>[0], args as Parameters<typeof send>[1]);
    }) as typeof provider.send;
    // The provider sends its sync step 1 as the socket opens (after the token): held back while the keeper may not be asked.
    const startSync = provider.startSync.bind(provider);
    provider.startSync = () => {
      this.#heldSync = () => {
        this.#heldSync = null;
        this.#askedAt = Date.now();
        startSync();
      };
      this.ask();
    };
    provider.on('stateless', ({ payload }: { payload: unknown }) => {
      const bytes = expectedBytes(payload);
      if (bytes !== null && this.#askedAt !== null) this.emit('expecting', [bytes]);
    });
    provider.on('synced', () => {
      this.#askedAt = null;
      if (!this.#gotState) this.emit('state', []);
      this.#gotState = true;
      this.#reached = true;
      this.#syncedIfConfirmed();
    });
    provider.on('unsyncedChanges', ({ number }: { number: number }) => {
      this.#unsaved = number;
      this.#syncedIfConfirmed();
    });
    provider.on('disconnect', ({ event }: { event: { code?: number } }) => this.#onDisconnect(provider, event?.code));
    provider.on('authenticationFailed', ({ reason }: { reason: string }) => {
      // Emitted while the provider reads the message: tear it down once that is done.
      queueMicrotask(() => this.#onRefused(provider, REFUSALS.includes(reason) ? (reason as KeeperRefusal) : 'permission-denied'));
    });
    this.#socket = socket;
    this.#provider = provider;
    provider.attach();
  }

  #syncedIfConfirmed(): void {
    if (this.#gotState && this.#unsaved === 0) {
      this.#synced = true;
      this.#failed = false;
    }
    this.#update();
  }

  /**
   * The page's WebSocket, each one's failure to open explained (endpoint-check.ts) while the keeper
   * has never been reached: one the page's CSP refuses fires 'error' and never 'close' (Chromium),
   * so the provider never says 'disconnect' for it.
   */
  #watchedWebSocket(): typeof WebSocket {
    if (this.#WatchedWebSocket !== undefined) return this.#WatchedWebSocket;
    const link = this;
    return (this.#WatchedWebSocket = class extends WebSocket {
      constructor(url: string | URL, protocols?: string | string[]) {
        super(url, protocols);
        this.addEventListener('error', () => void (link.#reached || explainOnce('keeper', link.url)));
      }
    });
  }

  #onDisconnect(provider: HocuspocusProvider, code: number | undefined): void {
    if (provider !== this.#provider) return;
    this.#gotState = false;
    this.#askedAt = null;
    this.#heldSync = null;
    this.#synced = false;
    this.#failed = true;
    if (code === ROOM_TOO_LARGE) {
      // Reconnecting would send the same state and be closed again: stop.
      this.#onRefused(provider, 'room-too-large');
      return;
    }
    if (code === RATE_LIMITED) {
      warnOnce(`gather: the keeper ${this.url} closed room "${this.room}" for sending too fast (4429); reconnecting. Raise its --max-messages-per-second (GATHER_MAX_MESSAGES_PER_SECOND) if this recurs.`);
    } else if (code === MALFORMED) {
      warnOnce(`gather: the keeper ${this.url} closed room "${this.room}" as malformed (4400); reconnecting. Are this page's Gather and the keeper the same version?`);
    } else if (!this.#reached) {
      // Why, found by asking it over HTTP(S) (endpoint-check.ts): a failed WebSocket says nothing.
      explainOnce('keeper', this.url);
    }
    this.#update();
  }

  #onRefused(provider: HocuspocusProvider, refusal: KeeperRefusal): void {
    if (provider !== this.#provider || this.#destroyed) return;
    this.#refusal = refusal;
    this.#gotState = false;
    this.#askedAt = null;
    this.#heldSync = null;
    this.#synced = false;
    warnOnce(refusalMessage(refusal, this.url, this.room, this.#password));
    this.#close();
    if (refusal === 'too-many-rooms') {
      this.#retry = setTimeout(() => {
        this.#retry = undefined;
        this.#refusal = undefined;
        this.#failed = true;
        this.#update();
        void this.#connect();
      }, this.#retryRefusedMs);
    }
    this.#update();
  }

  /** Closes the provider and its socket, for good. */
  #close(): void {
    const socket = this.#socket;
    const provider = this.#provider;
    this.#socket = null;
    this.#provider = null;
    if (socket) {
      // HocuspocusProviderWebsocket 3.4.4: a close schedules `connect()` in a timer that destroy()
      // does not clear, so a socket destroyed within the reconnect delay reconnects, forever.
      socket.connect = () => Promise.resolve();
    }
    provider?.destroy();
    socket?.destroy();
  }

  readonly #update = (): void => {
    if (this.#destroyed) return;
    const state: KeeperLinkStatus['state'] =
      this.#refusal !== undefined || isBrowserOffline() ? 'offline' : this.#synced ? 'synced' : this.#failed ? 'offline' : 'connecting';
    const prev = this.#status;
    if (state === prev.state && this.#unsaved === prev.unsaved && this.#refusal === prev.refusal) return;
    this.#status = Object.freeze(this.#refusal !== undefined ? { state, unsaved: this.#unsaved, refusal: this.#refusal } : { state, unsaved: this.#unsaved });
    this.emit('status', [this.#status]);
  };

  /** Closes the connection; the doc is left alone. */
  override destroy(): void {
    if (this.#destroyed) return;
    this.#destroyed = true;
    if (this.#retry !== undefined) clearTimeout(this.#retry);
    if (typeof window !== 'undefined') {
      window.removeEventListener('online', this.#update);
      window.removeEventListener('offline', this.#update);
    }
    this.#close();
    super.destroy();
  }
}
