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
  /** channels: {} → {@code {count}}. */
  public static final String COUNT_CHANNELS = "countChannels";
  /** messages: {} → {@code {count}}. */
  public static final String COUNT_MESSAGES = "countMessages";

  private InternalActions() {
  }
}
