package com.connectbest.chat.common;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What a bot account may do on the TCP bot bridge: which {@code bot.actions} it may take, and which channels it may
 * hear. Set by a site admin (createBot, updateBotPermissions), stored by the auth service on the bot's user document
 * ({@code bot_permissions}), enforced by each node's bot bridge. Hearing also needs membership: a channel listed
 * here that the bot is not a member of stays silent.
 *
 * @param actions      the bridge actions it may take (a subset of {@link #ACTIONS})
 * @param hearChannels the channel ids it may register for, or null for every channel it is a member of
 */
public record BotPermissions(Set<String> actions, List<String> hearChannels) {

  public static final String SEND_MESSAGE = "sendMessage";
  public static final String REPLY = "reply";
  public static final String SEND_DIRECT_MESSAGE = "sendDirectMessage";
  /** Every action of {@link Addresses#BOT_ACTIONS}. */
  public static final List<String> ACTIONS = List.of(SEND_MESSAGE, REPLY, SEND_DIRECT_MESSAGE);
  /** The most channels one explicit list may name. */
  public static final int MAX_CHANNELS = 500;
  /**
   * A bot made without permissions (and every bot made before they existed): what the bridge allowed then, posting
   * and replying in, and hearing, every channel it is a member of. Direct messages must be granted.
   */
  public static final BotPermissions DEFAULT = new BotPermissions(Set.of(SEND_MESSAGE, REPLY), null);

  public BotPermissions {
    actions = Set.copyOf(actions);
    hearChannels = hearChannels == null ? null : List.copyOf(hearChannels);
  }

  public boolean mayTake(String action) {
    return actions.contains(action);
  }

  public boolean mayHear(String channelId) {
    return hearChannels == null || hearChannels.contains(channelId);
  }

  /** {@code {actions: [...], hear_channels: [...]|null}}, actions in {@link #ACTIONS} order. */
  public JsonObject toJson() {
    return new JsonObject()
        .put("actions", new JsonArray(ACTIONS.stream().filter(actions::contains).toList()))
        .put("hear_channels", hearChannels == null ? null : new JsonArray(hearChannels));
  }

  /** As stored (trusted): a missing or unreadable value is {@link #DEFAULT}. */
  public static BotPermissions fromJson(Object stored) {
    try {
      return stored instanceof JsonObject json ? parse(json) : DEFAULT;
    } catch (ApiException unreadable) {
      return DEFAULT;
    }
  }

  /**
   * An admin's {@code {actions, hear_channels?}} (a missing {@code hear_channels} is null: every member channel);
   * 400 naming the field for anything else.
   */
  public static BotPermissions parse(JsonObject json) {
    if (!(json.getValue("actions") instanceof JsonArray given)) {
      throw invalid("permissions.actions", "permissions.actions must be a list of " + ACTIONS);
    }
    Set<String> actions = new LinkedHashSet<>();
    for (Object action : given) {
      if (!(action instanceof String name) || !ACTIONS.contains(name)) {
        throw invalid("permissions.actions", "Unknown bot action " + action + " (known: " + ACTIONS + ")");
      }
      actions.add(name);
    }
    Object hear = json.getValue("hear_channels");
    if (hear == null) {
      return new BotPermissions(actions, null);
    }
    if (!(hear instanceof JsonArray channels) || channels.size() > MAX_CHANNELS) {
      throw invalid("permissions.hear_channels",
          "permissions.hear_channels must be null or a list of at most " + MAX_CHANNELS + " channel ids");
    }
    List<String> ids = new ArrayList<>();
    for (Object channel : channels) {
      if (!Ids.isObjectId(channel)) {
        throw invalid("permissions.hear_channels", "permissions.hear_channels holds an invalid channel id");
      }
      String id = ((String) channel).toLowerCase(Locale.ROOT);
      if (!ids.contains(id)) {
        ids.add(id);
      }
    }
    return new BotPermissions(actions, ids);
  }

  private static ApiException invalid(String field, String message) {
    return ApiException.validation(message, new JsonObject().put("field", field));
  }
}
