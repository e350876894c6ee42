package com.connectbest.chat.common;

/**
 * Service-to-service actions that are not HTTP operations. HTTP operations use their OpenAPI operationId
 * as action name; these are documented in docs/event-bus.md beside them.
 */
public final class InternalActions {

  /** auth: {@code {user_id}} → {@code {found, principal}}. */
  public static final String RESOLVE_PRINCIPAL = "resolvePrincipal";
  /** auth: {@code {user_ids: [..]}} → {@code {users: [{id, name, email, avatar, status}]}} (unknown ids omitted). */
  public static final String LOOKUP_USERS = "lookupUsers";
  /**
   * channels: {@code {channel_id, user_id}} → {@code {exists, type, member, member_role}}: type public|private|dm,
   * member_role admin|member|null. Callers may cache the answer until {@link Addresses#MEMBERSHIP_CHANGED}.
   */
  public static final String CHECK_ACCESS = "checkAccess";
  /** channels: {@code {user_id}} → {@code {channel_ids: [..]}}: every channel (DMs included) the user belongs to. */
  public static final String MEMBER_CHANNELS = "memberChannels";
  /** channels: {@code {channel_id}} → {@code {reads: [{user_id, last_read_at}]}}: read state of current members. */
  public static final String CHANNEL_READ_STATES = "channelReadStates";
  /**
   * messages: {@code {user_id, channels: [{channel_id, last_read_at|null}]}} →
   * {@code {activity: {<channel_id>: {last_message, last_message_at, unread_count}}}}; unread counts messages by
   * others after last_read_at (all when null), not deleted, not thread replies.
   */
  public static final String CHANNEL_ACTIVITY = "channelActivity";
  /** channels: {@code {user_ids: [a, b]}} → {@code {channel_id, created}}: the DM channel of two users, made on first use. */
  public static final String ENSURE_DM_CHANNEL = "ensureDmChannel";
  /** channels: {} → {@code {count}}. */
  public static final String COUNT_CHANNELS = "countChannels";
  /** messages: {} → {@code {count}}. */
  public static final String COUNT_MESSAGES = "countMessages";

  private InternalActions() {
  }
}
