// ConnectBest Chat browser client: REST with a bearer token, and live events over the official vert.x event-bus
// bridge client, with re-registration after every reconnect and gap-free resume by seq (docs/event-bus.md,
// "Reconnect recipe"). Event shapes: events.d.ts (docs/asyncapi.yaml is the contract).

/** @typedef {import('./events').ChatEvent} ChatEvent */
/** @typedef {import('./events').LoginResponse} LoginResponse */

const VENDOR = ['vendor/sockjs.min.js', 'vendor/vertx-eventbus.js'];
const PAGE = 500; // the events endpoint's default page

/** An HTTP answer that was not 2xx: `status` and the server's standard error body. */
export class ApiError extends Error {
  constructor(status, body) {
    super((body && body.message) || `HTTP ${status}`);
    this.status = status;
    this.body = body;
  }
}

/**
 * The official client is a classic script that sets the global `EventBus` (it needs the global `SockJS`); load the
 * vendored copies next to this module once, unless the page already did.
 */
let loading = null;
function officialEventBus() {
  if (globalThis.EventBus) return Promise.resolve(globalThis.EventBus);
  loading ??= VENDOR.reduce((previous, file) => previous.then(() => new Promise((resolve, reject) => {
    const script = document.createElement('script');
    script.src = new URL(file, import.meta.url).href;
    script.onload = resolve;
    script.onerror = () => reject(new Error(`cannot load ${file}`));
    document.head.appendChild(script);
  })), Promise.resolve()).then(() => globalThis.EventBus);
  return loading;
}

/**
 * One address's registration. Events are handed to `onEvent` once each, in seq order: live events that arrive while
 * a catch-up runs wait for it, and every event whose seq was already handed on is dropped. `typing` (no seq) passes
 * straight through.
 */
class Subscription {
  constructor(client, address, resumePath, onEvent, afterSeq) {
    this.client = client;
    this.address = address;
    this.resumePath = resumePath;
    this.onEvent = onEvent;
    /** The highest seq handed on; null until known. */
    this.lastSeq = afterSeq ?? null;
    this.live = false;
    this.catchingUp = null;
    this.held = [];
    this.closed = false;
    this.callback = (err, msg) => this.#frame(err, msg);
  }

  unsubscribe() {
    if (this.closed) return;
    this.closed = true;
    if (this.client.subscriptions.get(this.address) === this) this.client.subscriptions.delete(this.address);
    const bus = this.client.bus;
    if (bus && bus.state === 1) bus.unregisterHandler(this.address, this.client.authHeaders(), this.callback);
  }

  /** Called in every onopen: the server forgot this socket's registrations with the old socket. */
  register(bus) {
    this.live = false;
    bus.registerHandler(this.address, this.client.authHeaders(), this.callback);
  }

  #frame(err, msg) {
    if (this.closed) return;
    if (err) {
      // The official client keeps a refused handler; drop it so that a later register sends a new frame.
      const bus = this.client.bus;
      if (bus && bus.state === 1) bus.unregisterHandler(this.address, this.client.authHeaders(), this.callback);
      this.live = false;
      this.client.emitError({ address: this.address, ...err });
      // 503/504: the check could not be made now (a node restarting, a reconnect storm); retry with jitter, so that
      // thousands of clients refused together do not come back together
      if ((err.failureCode === 503 || err.failureCode === 504) && bus) {
        setTimeout(() => !this.closed && bus.state === 1 && this.register(bus), 1000 + Math.random() * 2000);
      }
      return;
    }
    if (msg.headers && msg.headers.bridge === 'registered') {
      this.live = true;
      this.client.emitStatus();
      this.#catchUp();
      return;
    }
    this.#offer(msg.body);
  }

  #offer(event) {
    if (typeof event?.seq !== 'number') {
      this.onEvent(event);
      return;
    }
    if (this.catchingUp) {
      this.held.push(event);
      return;
    }
    if (this.lastSeq !== null && event.seq <= this.lastSeq) return;
    if (this.lastSeq !== null && event.seq > this.lastSeq + 1) {
      // Possibly missed something (a seq can also be unused): let the log decide.
      this.held.push(event);
      this.#catchUp();
      return;
    }
    this.#deliver(event);
  }

  #deliver(event) {
    if (this.lastSeq !== null && event.seq <= this.lastSeq) return;
    this.lastSeq = event.seq;
    this.onEvent(event);
  }

  /** Fetches what was published after lastSeq (every page), then releases the held live events. */
  #catchUp() {
    if (this.catchingUp) return this.catchingUp;
    this.catchingUp = (async () => {
      try {
        if (this.lastSeq === null) {
          // Nothing held yet: start from the current end of the log (after_seq beyond it answers latest_seq).
          const head = await this.client.api('GET', `${this.resumePath}?after_seq=${Number.MAX_SAFE_INTEGER}&limit=1`);
          this.lastSeq = head.latest_seq;
          return;
        }
        for (;;) {
          const page = await this.client.api('GET', `${this.resumePath}?after_seq=${this.lastSeq}&limit=${PAGE}`);
          page.events.forEach((event) => this.#deliver(event));
          if (!page.has_more || this.closed) break;
        }
      } catch (e) {
        if (e instanceof ApiError && e.status === 410) {
          this.client.emitError({ address: this.address, failureCode: 410, failureType: 'GONE', message: e.message });
          this.lastSeq = e.body?.details?.latest_seq ?? this.lastSeq;
        } else {
          this.client.emitError({ address: this.address, failureType: 'RESUME_FAILED', message: String(e) });
        }
      }
    })().finally(() => {
      this.catchingUp = null;
      const held = this.held.sort((a, b) => a.seq - b.seq);
      this.held = [];
      held.forEach((event) => this.#deliver(event));
    });
    return this.catchingUp;
  }
}

/**
 * A signed-in user's connection to the server.
 *
 *   const client = new ChatClient({baseUrl: location.origin});
 *   await client.login(email, password);
 *   client.connect();
 *   const sub = client.subscribeChannel(channelId, (event) => ..., {afterSeq: newestSeqOfTheHistoryShown});
 */
export class ChatClient {
  /**
   * @param {object} [options]
   * @param {string} [options.baseUrl] the server, e.g. `http://localhost:5001` (default: the page's origin)
   * @param {string} [options.token] a bearer token from an earlier sign-in
   * @param {object} [options.sockjs] SockJS options, e.g. `{transports: ['xhr-streaming']}`
   * @param {Function} [options.EventBus] the official client's constructor (default: the vendored copy)
   */
  constructor(options = {}) {
    this.baseUrl = (options.baseUrl ?? globalThis.location?.origin ?? '').replace(/\/$/, '');
    this.token = options.token ?? null;
    /** @type {import('./events').User | null} */
    this.user = null;
    this.sockjs = options.sockjs ?? {};
    this.EventBusClass = options.EventBus ?? null;
    this.bus = null;
    /** @type {Map<string, Subscription>} */
    this.subscriptions = new Map();
    this.listeners = { status: new Set(), error: new Set() };
    this.connected = false;
  }

  setToken(token) {
    this.token = token;
  }

  authHeaders() {
    return this.token ? { Authorization: `Bearer ${this.token}` } : {};
  }

  /** Any REST call: JSON in and out, the token as bearer; a non-2xx answer throws an {@link ApiError}. */
  async api(method, path, body) {
    const response = await fetch(this.baseUrl + path, {
      method,
      headers: { ...this.authHeaders(), ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    const json = text ? JSON.parse(text) : null;
    if (!response.ok) throw new ApiError(response.status, json);
    return json;
  }

  /** Signs in and keeps the token. @returns {Promise<LoginResponse>} */
  async login(email, password) {
    const answer = await this.api('POST', '/api/auth/login', { email, password });
    this.token = answer.token;
    this.user = answer.user;
    return answer;
  }

  /** Opens the event bus; it reconnects by itself, and every subscription is registered again and resumed. */
  async connect() {
    const EventBus = this.EventBusClass ?? await officialEventBus();
    if (this.bus) return;
    const bus = new EventBus(`${this.baseUrl}/eventbus`, this.sockjs);
    this.bus = bus;
    bus.enableReconnect(true);
    bus.onopen = () => {
      this.connected = true;
      this.subscriptions.forEach((sub) => sub.register(bus));
      this.emitStatus();
    };
    bus.onclose = (e) => {
      this.connected = false;
      this.subscriptions.forEach((sub) => { sub.live = false; });
      if (e && e.code === 4401) {
        bus.enableReconnect(false); // the token was revoked: sign in again
        this.emitError({ failureCode: 401, failureType: 'TOKEN_REVOKED', message: e.reason });
      }
      this.emitStatus();
    };
    bus.onerror = (err) => this.emitError({ failureType: 'BRIDGE', ...err });
  }

  /** Closes the event bus for good (no reconnect). */
  close() {
    if (this.bus) this.bus.close();
    this.bus = null;
    this.connected = false;
  }

  /**
   * Receives a bridge address's events once each, in seq order, across reconnects.
   * @param {string} address `chat.channel.<id>` or `chat.user.<id>`
   * @param {string} resumePath the events endpoint of that address
   * @param {(event: ChatEvent) => void} onEvent
   * @param {{afterSeq?: number}} [options] the highest seq already shown (e.g. from the history loaded over REST)
   */
  subscribe(address, resumePath, onEvent, options = {}) {
    this.subscriptions.get(address)?.unsubscribe();
    const sub = new Subscription(this, address, resumePath, onEvent, options.afterSeq);
    this.subscriptions.set(address, sub);
    if (this.bus && this.bus.state === 1) sub.register(this.bus);
    return sub;
  }

  /** A channel's events (`chat.channel.<id>`). */
  subscribeChannel(channelId, onEvent, options) {
    return this.subscribe(`chat.channel.${channelId}`, `/api/chat/channels/${encodeURIComponent(channelId)}/events`,
      onEvent, options);
  }

  /** The signed-in user's own events (`chat.user.<id>`): direct messages, read markers, membership. */
  subscribeUser(onEvent, options) {
    if (!this.user) throw new Error('sign in first');
    return this.subscribe(`chat.user.${this.user.id}`, '/api/users/me/events', onEvent, options);
  }

  /** True when the socket is open and every subscription is acknowledged by the server. */
  isLive() {
    return this.connected && [...this.subscriptions.values()].every((sub) => sub.live);
  }

  /** `listener({connected, live})` after every open, close and acknowledgement. */
  onStatus(listener) {
    this.listeners.status.add(listener);
    return () => this.listeners.status.delete(listener);
  }

  /** `listener({address?, failureCode?, failureType, message})` for refusals, revocations and failed resumes. */
  onError(listener) {
    this.listeners.error.add(listener);
    return () => this.listeners.error.delete(listener);
  }

  emitStatus() {
    const status = { connected: this.connected, live: this.isLive() };
    this.listeners.status.forEach((listener) => listener(status));
  }

  emitError(error) {
    this.listeners.error.forEach((listener) => listener(error));
  }

  // Convenience calls of the REST API that the chat page uses.

  listMyChannels() {
    return this.api('GET', '/api/chat/channels').then((answer) => answer.channels);
  }

  /** One page, newest first; pass the oldest id held as `before` for the next, older page. */
  listMessages(channelId, { limit = 50, before } = {}) {
    const query = new URLSearchParams({ limit: String(limit), ...(before ? { before } : {}) });
    return this.api('GET', `/api/chat/channels/${encodeURIComponent(channelId)}/messages?${query}`);
  }

  sendMessage(channelId, content) {
    return this.api('POST', `/api/chat/channels/${encodeURIComponent(channelId)}/messages/send`, { content })
      .then((answer) => answer.message);
  }

  setTyping(channelId, typing) {
    return this.api('POST', `/api/chat/channels/${encodeURIComponent(channelId)}/typing`, { typing });
  }
}
