package com.connectbest.chat.common;

/**
 * Service-to-service actions that are not HTTP operations. HTTP operations use their OpenAPI operationId
 * as action name; these are documented in docs/event-bus.md beside them.
 */
public final class InternalActions {

  /** auth: {@code {user_id}} → {@code {found, principal}}. */
  /** any service: {} → {} once the service can serve (its store answers a ping); a failure otherwise. */
  public static final String PING = "ping";
  /** uploads: {} → {@code {files, bytes}}: what the bucket holds, from the {@code message_files} records. */
  public static final String STORAGE_USAGE = "storageUsage";
  public static final String RESOLVE_PRINCIPAL = "resolvePrincipal";
  /** auth: {@code {user_ids: [..]}} → {@code {users: [{id, name, email, avatar, status}]}} (unknown ids omitted). */
  public static final String LOOKUP_USERS = "lookupUsers";
  /**
   * channels: {@code {channel_id, user_id}} → {@code {exists, type, member, member_role}}: type public|private|dm,
   * member_role admin|member|null. Callers may cache the answer until {@link Addresses#MEMBERSHIP_CHANGED}.
   */
  public static final String CHECK_ACCESS = "checkAccess";
  /**
   * channels: {@code {user_id, channel_ids: [..]}} (at most {@link #CHECK_ACCESS_MANY_LIMIT} ids) → {@code {access:
   * {<channel_id>: {exists, type, member, member_role}}}}: {@link #CHECK_ACCESS} for many channels of one user in two
   * store reads (the bridge asks it for a socket's burst of registrations); the same rules for caching the answers.
   */
  public static final String CHECK_ACCESS_MANY = "checkAccessMany";
  public static final int CHECK_ACCESS_MANY_LIMIT = 1000;
  /** channels: {@code {user_id}} → {@code {channel_ids: [..]}}: every channel (DMs included) the user belongs to. */
  public static final String MEMBER_CHANNELS = "memberChannels";
  /** channels: {@code {channel_id}} → {@code {reads: [{user_id, last_read_at}]}}: read state of current members. */
  public static final String CHANNEL_READ_STATES = "channelReadStates";
  /**
   * channels: {@code {channel_ids: [..]}} (at most {@link #MEMBER_REMOVALS_LIMIT}) → {@code {removals: {<id>: n}}}:
   * how many members each channel has lost so far, read from the store. The bridge asks it every recheck and reads a
   * channel's member list only when its count moved.
   */
  public static final String MEMBER_REMOVALS = "memberRemovals";
  public static final int MEMBER_REMOVALS_LIMIT = 1000;
  /**
   * channels: {@code {channel_id, messages: [{id, created_at, user_id}]}} → {@code {counts: {<id>: n}}}: for each
   * message, the current members other than its author whose last_read_at is at or after created_at. A page needs
   * these numbers only, not every member's read position (thousands in a large channel).
   */
  public static final String READ_COUNTS = "readCounts";
  /** channels: {@code {user_id}} → {@code {dms: [{channel_id, last_read_at|null}]}}: the user's DM conversations. */
  public static final String DM_READ_STATES = "dmReadStates";
  /**
   * messages: {@code {user_id, channels: [{channel_id, last_read_at|null}]}} →
   * {@code {activity: {<channel_id>: {last_message, last_message_at, unread_count}}}}; unread counts messages by
   * others after last_read_at (all when null), not deleted, not thread replies.
   */
  public static final String CHANNEL_ACTIVITY = "channelActivity";
  /**
   * messages, sent (not awaited) by the channels service after it stored a read mark (channels and DMs):
   * {@code {channel_id, user_id, last_read_at}} → {@code {}}. The messages service sets the member's read counter to the channel's
   * message count, so that {@link #CHANNEL_ACTIVITY} subtracts instead of counting. A lost notice costs one recount
   * at the next channel list (the read position it is given differs from the counter's).
   */
  public static final String READ_MARKED = "readMarked";
  /** channels: {@code {user_ids: [a, b]}} → {@code {channel_id, created}}: the DM channel of two users, made on first use. */
  public static final String ENSURE_DM_CHANNEL = "ensureDmChannel";
  /**
   * auth: {@code {name, avatar|null, created_by}} → {@code {user_id}}: a bot account (a user document with
   * {@code is_bot: true} and no password, so it can never sign in), the identity of an incoming hook.
   */
  public static final String CREATE_BOT_USER = "createBotUser";
  /**
   * auth: {@code {token_hash}} → {@code {found, principal}}: the bot account whose {@code cbb_} token has that
   * SHA-256 (see {@link BotTokens}); a revoked bot is not found. Gateways ask it for bot bearer tokens.
   */
  public static final String RESOLVE_BOT_TOKEN = "resolveBotToken";
  /**
   * auth: {@code {bot_id}} → {@code {found, permissions: {actions, hear_channels}}} ({@link BotPermissions}): what a
   * bot made over REST may do on the bot bridge; a revoked or unknown bot is not found. The bridge asks at every
   * registration and action (no cache), so a change applies to the next frame on every node.
   */
  public static final String BOT_PERMISSIONS = "botPermissions";
  /**
   * channels: {@code {token_hash}} → {@code {found, hook_id, channel_id, channel_name, bot_user_id, name,
   * icon_url}}: the incoming hook whose token has that SHA-256 (see {@link BotTokens}).
   */
  public static final String RESOLVE_HOOK = "resolveHook";
  /** channels: {} → {@code {count}}. */
  public static final String COUNT_CHANNELS = "countChannels";
  /**
   * messages: a live event {@code {type, channelId, ..., at}} for {@code chat.channel.<channelId>} → {}: the messages
   * service numbers it ({@code seq}), logs it for resuming and publishes it in order with the channel's other events.
   */
  public static final String APPEND_CHANNEL_EVENT = "appendChannelEvent";
  /**
   * messages: {@code {user_ids: [..], event: {type, channelId, ..., at}}} → {}: the same for {@code chat.user.<id>}
   * (DMs, read positions, membership): each user's copy gets that user's own {@code seq}.
   */
  public static final String APPEND_USER_EVENT = "appendUserEvent";
  /** messages: {} → {@code {count}}. */
  public static final String COUNT_MESSAGES = "countMessages";
  /**
   * messages: {} → {@code {last_hour, active_senders_last_hour, peak_hour, capped}}: messages sent in the last hour,
   * their distinct senders, and the UTC hour ({@code "HH:00"}) of the last 24 with the most messages.
   */
  public static final String MESSAGE_STATS = "messageStats";
  /** auth: {@code {since}} (ISO-8601) → {@code {count}}: accounts registered since then. */
  public static final String COUNT_USERS = "countUsers";
  /**
   * messages: {@code {key, user_id}} → {@code {visible}}: true when a non-deleted message of a channel (or DM) the
   * user may read carries the stored file in its attachments (by {@code key}, or by a url ending in
   * {@code /api/files/<key>}).
   */
  public static final String FILE_VISIBILITY = "fileVisibility";
  /**
   * uploads, sent with the caller's principal: {@code {operation, original_name, size}} → {@code {session,
   * chunk_size}}: opens an upload session whose address takes the file's bytes (see {@link #UPLOAD_HEADER}).
   * {@code operation} is the HTTP operation the file came with (uploadAvatar, uploadMessageFile, setMyAvatar).
   */
  public static final String BEGIN_UPLOAD = "beginUpload";
  /**
   * Delivery header of the messages sent to an upload session's address: {@value #UPLOAD_CHUNK} (body: a Buffer,
   * reply {@code {received}}; send the next only after the reply), {@value #UPLOAD_COMPLETE} (no body; the reply is
   * the operation's ServiceReply, or a failure with the standard error body) or {@value #UPLOAD_ABORT} (no reply).
   */
  public static final String UPLOAD_HEADER = "upload";
  public static final String UPLOAD_CHUNK = "chunk";
  public static final String UPLOAD_COMPLETE = "complete";
  public static final String UPLOAD_ABORT = "abort";

  private InternalActions() {
  }
}
