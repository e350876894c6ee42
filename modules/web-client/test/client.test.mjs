// The library's resume logic without a browser or server: a fake official client and a fake events endpoint.
// Run by modules/app's BrowserClientTest (node --test test/client.test.mjs); needs only Node.
import assert from 'node:assert/strict';
import test from 'node:test';
import { ChatClient } from '../src/main/resources/webroot/app/chat-client.js';

/** Speaks like the official client: handlers per address, a register frame on the first one, state 1 = open. */
class FakeBus {
  static last = null;
  constructor(url, options) {
    this.url = url;
    this.options = options;
    this.state = 0;
    this.handlers = {};
    this.frames = [];
    FakeBus.last = this;
  }
  enableReconnect() {}
  open() {
    this.state = 1;
    this.handlers = {}; // the official client forgets its handlers on every (re)connect
    this.onopen();
  }
  drop() {
    this.state = 3;
    this.onclose({ code: 1006 });
  }
  registerHandler(address, headers, callback) {
    if (!this.handlers[address]) {
      this.handlers[address] = [];
      this.frames.push({ type: 'register', address, headers });
    }
    this.handlers[address].push(callback);
  }
  unregisterHandler(address, headers, callback) {
    const list = this.handlers[address];
    if (!list) return;
    list.splice(list.indexOf(callback), 1);
    if (list.length === 0) {
      delete this.handlers[address];
      this.frames.push({ type: 'unregister', address });
    }
  }
  deliver(address, frame) {
    (this.handlers[address] ?? []).forEach((h) => (frame.type === 'err' ? h(frame) : h(null, frame)));
  }
  ack(address) {
    this.deliver(address, { type: 'rec', address, headers: { bridge: 'registered' }, body: { type: 'registered' } });
  }
  event(address, body) {
    this.deliver(address, { type: 'rec', address, body });
  }
  close() {
    this.state = 3;
  }
}

const channel = 'c1';
const address = `chat.channel.${channel}`;
const message = (seq) => ({ type: 'new_message', channelId: channel, seq, content: `m${seq}` });

/** A fake events endpoint holding `log`; each answer waits for `gate` so a test can send live events meanwhile. */
function serve(log, { gate = Promise.resolve(), requests = [] } = {}) {
  globalThis.fetch = async (url, init) => {
    requests.push({ url, init });
    await gate;
    const after = Number(new URL(url).searchParams.get('after_seq'));
    const events = log.filter((e) => e.seq > after);
    const latest = log.at(-1)?.seq ?? 0;
    return new Response(JSON.stringify({ events, has_more: false, latest_seq: latest }), { status: 200 });
  };
  return requests;
}

async function connected(received) {
  const client = new ChatClient({ baseUrl: 'http://chat.test', token: 't0k', EventBus: FakeBus });
  await client.connect();
  const bus = FakeBus.last;
  bus.open();
  const sub = client.subscribeChannel(channel, (e) => received.push(e.seq ?? e.type), { afterSeq: 2 });
  return { client, bus, sub };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 10));

test('after a reconnect, the missed events come from the log, then live ones, each once and in order', async () => {
  const received = [];
  const log = [1, 2, 3, 4, 5, 6, 7].map(message);
  let open;
  const requests = serve(log, { gate: new Promise((resolve) => { open = resolve; }) });
  const { bus } = await connected(received);
  assert.deepEqual(bus.frames[0], { type: 'register', address, headers: { Authorization: 'Bearer t0k' } });
  bus.ack(address);
  bus.event(address, message(3)); // live while the first catch-up runs: held
  open();
  await settle();
  assert.deepEqual(received, [3, 4, 5, 6, 7]);

  bus.drop();
  bus.open(); // re-registers
  assert.equal(bus.frames.filter((f) => f.type === 'register').length, 2);
  log.push(message(8)); // 9 and 10 are not in the log yet when it is read
  let release;
  serve(log, { gate: new Promise((resolve) => { release = resolve; }), requests });
  bus.ack(address);
  bus.event(address, message(10)); // live events that overlap the catch-up, out of order
  bus.event(address, message(9));
  bus.event(address, { type: 'typing', channelId: channel, userId: 'u', typing: true });
  release();
  await settle();
  assert.deepEqual(received, [3, 4, 5, 6, 7, 'typing', 8, 9, 10]);
  assert.match(requests.at(-1).url, /after_seq=7/);
});

test('a live event that skips a seq makes the log fill the gap', async () => {
  const received = [];
  const log = [1, 2, 3, 4, 5].map(message);
  serve(log);
  const { bus } = await connected(received);
  bus.ack(address);
  await settle();
  bus.event(address, message(5)); // 3 and 4 never arrived live
  await settle();
  bus.event(address, message(5));
  await settle();
  assert.deepEqual(received, [3, 4, 5]);
});

test('a refused registration is dropped from the official client, so that registering again sends a frame', async () => {
  const received = [];
  serve([]);
  const errors = [];
  const { client, bus } = await connected(received);
  client.onError((e) => errors.push(e));
  bus.deliver(address, { type: 'err', address, failureCode: 403, failureType: 'REFUSED', message: 'Not a member' });
  assert.equal(errors[0].failureType, 'REFUSED');
  assert.equal(bus.handlers[address], undefined);
  client.subscribeChannel(channel, () => {}, { afterSeq: 0 });
  assert.equal(bus.frames.filter((f) => f.type === 'register').length, 2);
});

test('when the missed events are no longer kept (410), it says GONE and continues from the log\'s end', async () => {
  const received = [];
  globalThis.fetch = async () => new Response(JSON.stringify({ error: 'GONE', message: 'reload the history',
    details: { after_seq: 2, latest_seq: 20, retention_hours: 24 } }), { status: 410 });
  const errors = [];
  const { client, bus } = await connected(received);
  client.onError((e) => errors.push(e));
  bus.ack(address);
  await settle();
  bus.event(address, message(20));
  bus.event(address, message(21));
  await settle();
  assert.equal(errors[0].failureType, 'GONE');
  assert.deepEqual(received, [21]);
});
