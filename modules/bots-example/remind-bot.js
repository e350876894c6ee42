#!/usr/bin/env node
// A reminder bot for ConnectBest Chat, in plain Node.js: no Vert.x library, only the `net` module and the bot
// bridge's documented frames (docs/event-bus.md, "Bot bridge"): a 4-byte big-endian length, then UTF-8 JSON.
//
// In a channel it is a member of, "/remind me in 10s stretch" is answered 10 seconds later with
// "⏰ Reminder for <name>: stretch" (units s, m, h; at most 24h).
//
// Settings (environment): BOT_BRIDGE_HOST (127.0.0.1), BOT_BRIDGE_PORT, BOT_TOKEN (cbb_…), CHANNEL_IDS (comma
// separated), BOT_BRIDGE_TLS=1 to connect with TLS (BOT_BRIDGE_CA: a PEM file to trust).
'use strict';

const net = require('net');
const tls = require('tls');
const fs = require('fs');

const host = process.env.BOT_BRIDGE_HOST || '127.0.0.1';
const port = Number(process.env.BOT_BRIDGE_PORT);
const token = process.env.BOT_TOKEN;
const channels = (process.env.CHANNEL_IDS || '').split(',').map((id) => id.trim()).filter(Boolean);
const TRIGGER = /^\/remind me in (\d+)\s*(s|m|h)\b\s*(.*)$/i;
const UNIT_MS = { s: 1000, m: 60000, h: 3600000 };
const MAX_DELAY_MS = 24 * 3600000;

if (!port || !token || channels.length === 0) {
  console.error('usage: BOT_BRIDGE_PORT=… BOT_TOKEN=cbb_… CHANNEL_IDS=<id>[,<id>] node remind-bot.js');
  process.exit(2);
}

const headers = { Authorization: `Bearer ${token}` };
const socket = process.env.BOT_BRIDGE_TLS === '1'
  ? tls.connect({ host, port, ca: process.env.BOT_BRIDGE_CA ? fs.readFileSync(process.env.BOT_BRIDGE_CA) : undefined })
  : net.connect({ host, port });
let pending = Buffer.alloc(0);
let replies = 0;

function write(frame) {
  const json = Buffer.from(JSON.stringify(frame), 'utf8');
  const length = Buffer.alloc(4);
  length.writeUInt32BE(json.length, 0);
  socket.write(Buffer.concat([length, json]));
}

function onFrame(frame) {
  if (frame.type === 'err') {
    console.error(`bridge error: ${frame.message}`);
    return;
  }
  if (frame.type !== 'message') {
    return;
  }
  if (frame.headers && frame.headers.bridge === 'registered') {
    console.log(`registered ${frame.address}`);
    return;
  }
  const event = frame.body;
  if (!event || event.type !== 'new_message' || !event.message) {
    if (frame.body && frame.body.status >= 400) {
      console.error(`action refused: ${JSON.stringify(frame.body)}`);
    }
    return;
  }
  const message = event.message;
  if (message.is_bot) {
    return; // never answer bots (ourselves included)
  }
  const match = TRIGGER.exec((message.content || '').trim());
  if (!match) {
    return;
  }
  const delay = Math.min(Number(match[1]) * UNIT_MS[match[2].toLowerCase()], MAX_DELAY_MS);
  const what = match[3] || 'this';
  const who = message.user && message.user.name ? message.user.name : 'you';
  console.log(`reminding ${who} in ${delay} ms`);
  setTimeout(() => write({
    type: 'send',
    address: 'bot.actions',
    replyAddress: `reply-${++replies}`,
    headers,
    body: { action: 'sendMessage', channel_id: message.channel_id, content: `⏰ Reminder for ${who}: ${what}` },
  }), delay);
}

socket.on('data', (chunk) => {
  pending = Buffer.concat([pending, chunk]);
  while (pending.length >= 4) {
    const length = pending.readUInt32BE(0);
    if (pending.length < 4 + length) {
      break;
    }
    const json = pending.subarray(4, 4 + length).toString('utf8');
    pending = pending.subarray(4 + length);
    try {
      onFrame(JSON.parse(json));
    } catch (e) {
      console.error(`bad frame: ${e.message}`);
    }
  }
});

socket.on(process.env.BOT_BRIDGE_TLS === '1' ? 'secureConnect' : 'connect', () => {
  for (const id of channels) {
    write({ type: 'register', address: `chat.channel.${id}`, headers });
  }
  // the bridge closes idle connections: ping well within its idle timeout
  setInterval(() => write({ type: 'ping' }), 30000).unref();
});
socket.on('close', () => {
  console.log('bridge closed');
  process.exit(0);
});
socket.on('error', (e) => {
  console.error(`bridge connection failed: ${e.message}`);
  process.exit(1);
});
