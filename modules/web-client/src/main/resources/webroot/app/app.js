// The /app chat page: sign in, channel list, history (newest-first REST pages) with live events appended in seq
// order, send, typing. `?transport=xhr-polling` (or websocket, xhr-streaming, eventsource) forces a SockJS transport.
import { ApiError, ChatClient } from './chat-client.js';

const $ = (id) => document.getElementById(id);
const params = new URLSearchParams(location.search);
const transport = params.get('transport');
const client = new ChatClient({ sockjs: transport ? { transports: [transport] } : {} });
globalThis.chat = client; // for the console (and the browser tests)

let current = null; // {id, name, sub, oldest, shown: Map<messageId, li>}
const typers = new Map(); // userId -> {name, timer}
let typingSent = 0;
let typingStop = null;

$('login').addEventListener('submit', async (e) => {
  e.preventDefault();
  $('login-error').textContent = '';
  try {
    await client.login($('email').value, $('password').value);
    sessionStorage.setItem('chat.session', JSON.stringify({ token: client.token, user: client.user }));
    await start();
  } catch (err) {
    $('login-error').textContent = err instanceof ApiError ? err.message : String(err);
  }
});

async function start() {
  $('login').hidden = true;
  $('chat').hidden = false;
  $('me').textContent = client.user.name;
  client.onStatus(({ connected, live }) => {
    $('status').dataset.live = String(live);
    $('status').textContent = live ? 'live' : connected ? 'connecting…' : 'offline, reconnecting…';
  });
  client.onError((err) => {
    // Missed events are no longer kept: the library continues from the log's end; reload the newest page.
    if (err.failureType === 'GONE' && current) reloadHistory(current);
    if (err.failureType === 'TOKEN_REVOKED') signOut();
  });
  await client.connect();
  const channels = await client.listMyChannels();
  const list = $('channels');
  list.replaceChildren(...channels.map((channel) => {
    const li = document.createElement('li');
    li.dataset.id = channel.id;
    const button = document.createElement('button');
    button.type = 'button';
    button.textContent = `# ${channel.name}`;
    button.addEventListener('click', () => openChannel(channel.id, channel.name));
    li.append(button);
    return li;
  }));
  const wanted = channels.find((c) => c.id === params.get('channel')) ?? channels[0];
  if (wanted) await openChannel(wanted.id, wanted.name);
}

function signOut() {
  sessionStorage.removeItem('chat.session');
  client.close();
  location.reload();
}

async function openChannel(id, name) {
  if (current) current.sub.unsubscribe();
  typers.forEach((t) => clearTimeout(t.timer));
  typers.clear();
  renderTyping();
  document.querySelectorAll('#channels li').forEach((li) => li.classList.toggle('active', li.dataset.id === id));
  $('channel-name').textContent = `# ${name}`;
  $('messages').replaceChildren();
  const view = { id, name, sub: null, oldest: null, shown: new Map() };
  current = view;
  const page = await client.listMessages(id, { limit: 50 });
  if (current !== view) return;
  page.messages.slice().reverse().forEach((message) => show(view, message, false));
  view.oldest = page.messages.at(-1)?.id ?? null;
  $('older').hidden = !page.has_more;
  const newest = page.messages.reduce((max, m) => Math.max(max, m.seq ?? 0), 0);
  // Every event after the newest message shown; earlier ones are in the page (a send is listed once its event is
  // published, so nothing falls between the page and the subscription).
  view.sub = client.subscribeChannel(id, (event) => onEvent(view, event), { afterSeq: newest });
  $('messages').dataset.channel = id;
}

/** Shows the newest page again, keeping live messages newer than it (they may have arrived during the request). */
async function reloadHistory(view) {
  const page = await client.listMessages(view.id, { limit: 50 });
  if (current !== view) return;
  const newest = page.messages.reduce((max, m) => Math.max(max, m.seq ?? 0), 0);
  const later = [...view.shown.values()].filter((li) => Number(li.dataset.seq) > newest);
  view.shown.clear();
  $('messages').replaceChildren();
  page.messages.slice().reverse().forEach((message) => show(view, message, false));
  later.forEach((li) => {
    view.shown.set(li.dataset.id, li);
    $('messages').append(li);
  });
  view.oldest = page.messages.at(-1)?.id ?? null;
  $('older').hidden = !page.has_more;
}

$('older').addEventListener('click', async () => {
  const view = current;
  if (!view || !view.oldest) return;
  const page = await client.listMessages(view.id, { limit: 50, before: view.oldest });
  page.messages.forEach((message) => show(view, message, true));
  view.oldest = page.messages.at(-1)?.id ?? view.oldest;
  $('older').hidden = !page.has_more;
});

function onEvent(view, event) {
  if (current !== view) return;
  switch (event.type) {
    case 'new_message':
      show(view, event.message, false);
      if (typers.has(event.userId)) stopTyper(event.userId);
      break;
    case 'message_updated':
      view.shown.get(event.messageId)?.querySelector('.text')?.replaceChildren(event.content);
      break;
    case 'message_deleted': {
      const li = view.shown.get(event.messageId);
      if (li) li.querySelector('.text').replaceChildren('(deleted)');
      break;
    }
    case 'typing':
      if (event.userId === client.user.id) break;
      if (event.typing) {
        clearTimeout(typers.get(event.userId)?.timer);
        // a missed "stopped typing" must not leave the indicator on
        typers.set(event.userId, { name: event.name, timer: setTimeout(() => stopTyper(event.userId), 6000) });
        renderTyping();
      } else {
        stopTyper(event.userId);
      }
      break;
    default:
      break;
  }
}

function stopTyper(userId) {
  clearTimeout(typers.get(userId)?.timer);
  typers.delete(userId);
  renderTyping();
}

function renderTyping() {
  const names = [...typers.values()].map((t) => t.name);
  $('typing').textContent = names.length === 0 ? '' : `${names.join(', ')} ${names.length === 1 ? 'is' : 'are'} typing…`;
}

/** Adds a message once (a top-level one: replies live in threads), at the bottom or, for older pages, the top. */
function show(view, message, older) {
  if (message.parent_message_id || view.shown.has(message.id)) return;
  const li = document.createElement('li');
  li.dataset.id = message.id;
  if (message.seq != null) li.dataset.seq = String(message.seq);
  const author = document.createElement('span');
  author.className = 'author';
  author.textContent = message.user?.name ?? message.user_id;
  const text = document.createElement('span');
  text.className = 'text';
  text.textContent = message.is_deleted ? '(deleted)' : message.content;
  li.append(author, text);
  view.shown.set(message.id, li);
  const list = $('messages');
  if (older) {
    list.prepend(li);
  } else {
    list.append(li);
    list.scrollTop = list.scrollHeight;
  }
}

$('composer').addEventListener('submit', async (e) => {
  e.preventDefault();
  const content = $('content').value.trim();
  if (!content || !current) return;
  $('content').value = '';
  clearTimeout(typingStop);
  typingSent = 0;
  try {
    await client.sendMessage(current.id, content);
  } catch (err) {
    $('content').value = content;
    alert(err.message);
  }
});

$('content').addEventListener('input', () => {
  if (!current) return;
  const now = Date.now();
  if (now - typingSent > 3000) {
    typingSent = now;
    client.setTyping(current.id, true).catch(() => {});
  }
  clearTimeout(typingStop);
  const channel = current.id;
  typingStop = setTimeout(() => {
    typingSent = 0;
    client.setTyping(channel, false).catch(() => {});
  }, 4000);
});

const saved = sessionStorage.getItem('chat.session');
if (saved) {
  const session = JSON.parse(saved);
  client.setToken(session.token);
  client.user = session.user;
  start().catch(() => signOut());
}
