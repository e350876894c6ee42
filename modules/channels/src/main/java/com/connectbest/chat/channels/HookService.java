package com.connectbest.chat.channels;

import com.connectbest.chat.common.Addresses;
import com.connectbest.chat.common.ApiException;
import com.connectbest.chat.common.BotTokens;
import com.connectbest.chat.common.HttpUrls;
import com.connectbest.chat.common.Ids;
import com.connectbest.chat.common.InternalActions;
import com.connectbest.chat.common.MongoDocs;
import com.connectbest.chat.common.Principal;
import com.connectbest.chat.common.ServiceClient;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Incoming webhooks (Slack/Mattermost style). A channel admin (or a site admin) creates one; it gets its own bot
 * account (made by the auth service) which joins the channel as an ordinary member, so a post through the hook is an
 * ordinary message of that member and passes the messages service's usual rules. The secret URL is shown once.
 */
final class HookService {

  static final String NOT_CHANNEL_ADMIN = "Only channel admins can manage the channel's hooks";
  static final String HOOK_NOT_FOUND = "Hook not found";
  static final int MAX_NAME = 64;

  private final HookStore hooks;
  private final MembershipStore members;
  private final ChannelGuard guard;
  private final ChannelEvents events;
  private final ServiceClient services;

  HookService(HookStore hooks, MembershipStore members, ChannelGuard guard, ChannelEvents events,
              ServiceClient services) {
    this.hooks = hooks;
    this.members = members;
    this.guard = guard;
    this.events = events;
    this.services = services;
  }

  /** {@code createIncomingHook}: {@code {name, icon_url?}} → {@code {hook, token, url}} (the token only here). */
  Future<JsonObject> create(Principal caller, String channelId, JsonObject body) {
    String name = name(body.getValue("name"), "name");
    String icon = HttpUrls.optional(body.getValue("icon_url"), "icon_url");
    return requireChannelAdmin(caller, channelId)
        .compose(channel -> services.call(Addresses.AUTH, InternalActions.CREATE_BOT_USER, new JsonObject()
            .put("name", name).put("avatar", icon).put("created_by", caller.id())))
        .compose(bot -> {
          String botId = bot.getString("user_id");
          return members.add(channelId, botId, MembershipStore.MEMBER, ChannelViews.now()).map(added -> {
            events.joined(channelId, botId);
            return botId;
          });
        })
        .compose(botId -> {
          String token = BotTokens.newToken(BotTokens.HOOK_PREFIX);
          JsonObject hook = new JsonObject().put("channel_id", channelId).put("token_hash", BotTokens.hash(token))
              .put("bot_user_id", botId).put("name", name).put("icon_url", icon).put("created_by", caller.id())
              .put("created_at", MongoDocs.date(ChannelViews.now()));
          return hooks.insert(hook).map(id -> new JsonObject()
              .put("hook", view(hook.put("_id", id)))
              .put("token", token)
              .put("url", "/hooks/" + token));
        });
  }

  /** {@code listIncomingHooks}: the channel's hooks, without their secrets. */
  Future<JsonObject> list(Principal caller, String channelId) {
    return requireChannelAdmin(caller, channelId)
        .compose(channel -> hooks.ofChannel(channelId))
        .map(found -> new JsonObject().put("hooks", new JsonArray(found.stream().map(HookService::view).toList())));
  }

  /** {@code revokeIncomingHook}: the URL stops working at once (404), and the hook's bot leaves the channel. */
  Future<JsonObject> revoke(Principal caller, String channelId, Object hookIdParam) {
    String hookId = Ids.requireObjectId(hookIdParam, "hookId");
    return requireChannelAdmin(caller, channelId)
        .compose(channel -> hooks.remove(channelId, hookId))
        .compose(removed -> {
          if (removed == null) {
            return Future.failedFuture(ApiException.notFound(HOOK_NOT_FOUND));
          }
          String botId = removed.getString("bot_user_id");
          return members.remove(channelId, botId).map(left -> {
            if (left) {
              events.left(channelId, botId);
            }
            return new JsonObject().put("message", "Hook revoked");
          });
        });
  }

  /** {@link InternalActions#RESOLVE_HOOK}. */
  Future<JsonObject> resolve(JsonObject body) {
    Object hash = body.getValue("token_hash");
    if (!(hash instanceof String tokenHash)) {
      return Future.succeededFuture(new JsonObject().put("found", false));
    }
    return hooks.byTokenHash(tokenHash).compose(hook -> {
      if (hook == null) {
        return Future.succeededFuture(new JsonObject().put("found", false));
      }
      return guard.channel(hook.getString("channel_id")).map(channel -> new JsonObject()
          .put("found", true)
          .put("hook_id", MongoDocs.id(hook))
          .put("channel_id", hook.getString("channel_id"))
          .put("channel_name", channel.getString("name"))
          .put("bot_user_id", hook.getString("bot_user_id"))
          .put("name", hook.getString("name"))
          .put("icon_url", hook.getString("icon_url")))
          // a hook of a deleted channel is as good as unknown
          .recover(err -> err instanceof ApiException api && api.status() == 404
              ? Future.succeededFuture(new JsonObject().put("found", false)) : Future.failedFuture(err));
    });
  }

  private Future<JsonObject> requireChannelAdmin(Principal caller, String channelId) {
    return guard.channel(channelId).compose(channel -> caller.isAdmin()
        ? Future.succeededFuture(channel)
        : members.find(channelId, caller.id()).compose(membership -> membership != null
            && MembershipStore.ADMIN.equals(membership.getString("role"))
            ? Future.succeededFuture(channel)
            : Future.failedFuture(ApiException.forbidden(NOT_CHANNEL_ADMIN))));
  }

  private static JsonObject view(JsonObject hook) {
    return new JsonObject()
        .put("id", MongoDocs.id(hook))
        .put("channel_id", hook.getString("channel_id"))
        .put("name", hook.getString("name"))
        .put("icon_url", hook.getString("icon_url"))
        .put("bot_user_id", hook.getString("bot_user_id"))
        .put("created_by", hook.getString("created_by"))
        .put("created_at", MongoDocs.iso(hook.getValue("created_at")));
  }

  static String name(Object value, String field) {
    return com.connectbest.chat.common.Names.required(value, field, MAX_NAME);
  }
}
