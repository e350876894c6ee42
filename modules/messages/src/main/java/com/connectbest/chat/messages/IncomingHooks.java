package com.connectbest.chat.messages;

import com.connectbest.chat.common.Addresses;
import com.connectbest.chat.common.ApiException;
import com.connectbest.chat.common.BotTokens;
import com.connectbest.chat.common.HttpUrls;
import com.connectbest.chat.common.InternalActions;
import com.connectbest.chat.common.Principal;
import com.connectbest.chat.common.ServiceClient;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * {@code postIncomingHook}: a Slack/Mattermost payload {@code {text, username?, icon_url?, channel?}} posted to a
 * hook's secret URL becomes a message of the hook's bot account in the hook's channel. The channels service owns
 * hooks and resolves the token (by its SHA-256); the message is then sent as any member's would be
 * ({@link MessageService#send}), so membership and content rules apply unchanged.
 */
final class IncomingHooks {

  static final String UNKNOWN_HOOK = "Unknown hook";
  static final String OTHER_CHANNEL = "This hook posts only to its own channel";
  static final int MAX_USERNAME = 64;

  private final ServiceClient services;
  private final MessageService messages;

  IncomingHooks(ServiceClient services, MessageService messages) {
    this.services = services;
    this.messages = messages;
  }

  Future<JsonObject> post(Object tokenParam, JsonObject body) {
    String content = MessageRules.content(body.getValue("text"));
    String username = username(body.getValue("username"));
    String iconUrl = HttpUrls.optional(body.getValue("icon_url"), "icon_url");
    Object channel = body.getValue("channel");
    if (channel != null && !(channel instanceof String)) {
      throw ApiException.validation("channel must be a string", new JsonObject().put("field", "channel"));
    }
    if (!(tokenParam instanceof String token) || !BotTokens.looksLike(token, BotTokens.HOOK_PREFIX)) {
      return Future.failedFuture(ApiException.notFound(UNKNOWN_HOOK));
    }
    return services.call(Addresses.CHANNELS, InternalActions.RESOLVE_HOOK,
        new JsonObject().put("token_hash", BotTokens.hash(token))).compose(hook -> {
          if (!hook.getBoolean("found", false)) {
            return Future.failedFuture(ApiException.notFound(UNKNOWN_HOOK));
          }
          String channelId = hook.getString("channel_id");
          if (channel != null && !sameChannel((String) channel, channelId, hook.getString("channel_name"))) {
            return Future.failedFuture(ApiException.validation(OTHER_CHANNEL, new JsonObject().put("field", "channel")));
          }
          String name = username != null ? username : hook.getString("name");
          Principal bot = new Principal(hook.getString("bot_user_id"), null, name, Principal.BOT);
          JsonObject mark = new JsonObject().put("name", name)
              .put("icon_url", iconUrl != null ? iconUrl : hook.getString("icon_url"))
              .put("hook_id", hook.getString("hook_id"));
          return messages.send(bot, channelId, new JsonObject().put("content", content), null, mark);
        })
        .map(sent -> new JsonObject().put("ok", true).put("message_id", sent.message().getString("id")));
  }

  /** Slack sends {@code #name} or an id; a name or id of the hook's own channel is accepted. */
  private static boolean sameChannel(String given, String channelId, String channelName) {
    String text = given.trim();
    String name = text.startsWith("#") ? text.substring(1) : text;
    return text.isEmpty() || text.equalsIgnoreCase(channelId) || name.equalsIgnoreCase(channelName);
  }

  private static String username(Object value) {
    return value == null ? null : com.connectbest.chat.common.Names.required(value, "username", MAX_USERNAME);
  }
}
