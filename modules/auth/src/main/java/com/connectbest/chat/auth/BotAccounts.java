package com.connectbest.chat.auth;

import com.connectbest.chat.common.Addresses;
import com.connectbest.chat.common.ApiException;
import com.connectbest.chat.common.BotPermissions;
import com.connectbest.chat.common.BotTokens;
import com.connectbest.chat.common.HttpUrls;
import com.connectbest.chat.common.Ids;
import com.connectbest.chat.common.MongoDocs;
import com.connectbest.chat.common.Names;
import com.connectbest.chat.common.Principal;
import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.UUID;

/**
 * Bot accounts: user documents marked {@code is_bot: true} with no password (sign-in refuses them, as it refuses a
 * wrong password), so memberships, permissions and message authorship work for them exactly as for people. The
 * e-mail is a unique placeholder under the reserved {@code .invalid} domain (the e-mail index is unique).
 *
 * <p>Two kinds: the bot of an incoming hook (made by the channels service, {@code createBotUser}), and bots an admin
 * makes over REST ({@code createBot}), which get a {@value BotTokens#BOT_PREFIX} token of their own, stored as its
 * SHA-256 ({@code bot_token_hash}) and shown once. Revoking one removes the hash and publishes
 * {@code events.account.revoked} (reason {@code removed}), so every gateway drops it and closes its sockets.
 *
 * <p>A REST bot's {@link BotPermissions} ({@code bot_permissions}) say what it may do on the TCP bot bridge; the
 * bridge reads them at every registration and action ({@code botPermissions}), and a change publishes
 * {@code events.user.changed}, on which bridges close the bot's connections hearing channels it may no longer hear.
 */
final class BotAccounts {

  static final int MAX_NAME = 64;

  static final int MAX_LIST = 1_000;
  static final String BOT_NOT_FOUND = "Bot not found";

  private final UserStore users;
  private final EventBus bus;

  BotAccounts(UserStore users, EventBus bus) {
    this.users = users;
    this.bus = bus;
  }

  /**
   * {@code createBot} (site admins): {@code {name, avatar_url?, permissions?}} → {@code {bot, token}}, the token only
   * here; without permissions the bot gets {@link BotPermissions#DEFAULT}.
   */
  Future<JsonObject> createBot(Principal caller, JsonObject body) {
    BotPermissions permissions;
    try {
      permissions = body.getValue("permissions") == null ? BotPermissions.DEFAULT
          : BotPermissions.parse(permissionsOf(body));
    } catch (ApiException invalid) {
      return Future.failedFuture(invalid);
    }
    String token = BotTokens.newToken(BotTokens.BOT_PREFIX);
    JsonObject bot = new JsonObject().put("name", body.getValue("name")).put("avatar", body.getValue("avatar_url"))
        .put("created_by", caller.id());
    return newBot(bot, new JsonObject().put("bot_owner", caller.id()).put("bot_token_hash", BotTokens.hash(token))
            .put("bot_permissions", permissions.toJson()))
        .map(user -> new JsonObject().put("bot", view(user)).put("token", token));
  }

  /** {@code listBots} (site admins): the bots made over REST, revoked ones included, without secrets. */
  Future<JsonObject> listBots() {
    return users.restBots(MAX_LIST).map(found -> new JsonObject()
        .put("bots", new JsonArray(found.stream().map(BotAccounts::view).toList())));
  }

  /**
   * {@code updateBotPermissions} (site admins): replaces the bot's permissions ({@code {actions, hear_channels?}})
   * → {@code {bot}}. {@code events.user.changed} tells every bridge, which closes the bot's connections hearing a
   * channel it may no longer hear; actions are checked against the stored permissions at every frame anyway.
   */
  Future<JsonObject> updatePermissions(Object botIdParam, JsonObject body) {
    String botId = Ids.requireObjectId(botIdParam, "botId");
    BotPermissions permissions = BotPermissions.parse(body);
    return restBot(botId)
        .compose(user -> users.update(botId, new JsonObject().put("bot_permissions", permissions.toJson()), null))
        .map(updated -> {
          bus.publish(Addresses.USER_CHANGED, new JsonObject().put("user_id", botId));
          return new JsonObject().put("bot", view(updated));
        });
  }

  /**
   * {@code botPermissions}: {@code {bot_id}} → {@code {found, permissions}}; hooks' bots, revoked and unknown bots
   * are not found (none of them can open the bridge).
   */
  Future<JsonObject> permissions(JsonObject body) {
    if (!Ids.isObjectId(body.getValue("bot_id"))) {
      return Future.succeededFuture(new JsonObject().put("found", false));
    }
    return users.findById(((String) body.getValue("bot_id")).toLowerCase()).map(user ->
        user == null || !user.getBoolean("is_bot", false) || user.getValue("bot_owner") == null
            || user.getValue("bot_revoked_at") != null
            ? new JsonObject().put("found", false)
            : new JsonObject().put("found", true)
                .put("permissions", BotPermissions.fromJson(user.getValue("bot_permissions")).toJson()));
  }

  /** A REST-made bot's user document, or a 404. */
  private Future<JsonObject> restBot(String botId) {
    return users.findById(botId).compose(user ->
        user == null || !user.getBoolean("is_bot", false) || user.getValue("bot_owner") == null
            ? Future.failedFuture(ApiException.notFound(BOT_NOT_FOUND))
            : Future.succeededFuture(user));
  }

  private static JsonObject permissionsOf(JsonObject body) {
    if (!(body.getValue("permissions") instanceof JsonObject permissions)) {
      throw ApiException.validation("permissions must be an object", new JsonObject().put("field", "permissions"));
    }
    return permissions;
  }

  /** {@code revokeBot} (site admins): its token stops working on every node, and its live connections close. */
  Future<JsonObject> revokeBot(Object botIdParam) {
    String botId = Ids.requireObjectId(botIdParam, "botId");
    Instant now = Instant.now();
    return restBot(botId).compose(user -> users.update(botId, new JsonObject()
            .put("bot_revoked_at", MongoDocs.date(now)).put("tokens_valid_after", MongoDocs.date(now)),
        new JsonObject().put("bot_token_hash", ""))).map(updated -> {
      ProfileService.revoked(bus, botId, now, "removed");
      return new JsonObject().put("message", "Bot revoked");
    });
  }

  /**
   * {@code resolveBotToken}: {@code {token_hash}} → {@code {found, principal}}: the gateway's question for a
   * {@value BotTokens#BOT_PREFIX} bearer token. A revoked bot has no hash any more, so it is simply not found.
   */
  Future<JsonObject> resolveToken(JsonObject body) {
    if (!(body.getValue("token_hash") instanceof String hash)) {
      return Future.succeededFuture(new JsonObject().put("found", false));
    }
    return users.findByBotTokenHash(hash).map(user -> user == null
        ? new JsonObject().put("found", false)
        : new JsonObject().put("found", true).put("principal", UserViews.principal(user).toJson()));
  }

  private static JsonObject view(JsonObject user) {
    return new JsonObject()
        .put("id", MongoDocs.id(user))
        .put("name", user.getString("full_name"))
        .put("avatar", user.getString("avatar"))
        .put("created_by", user.getString("bot_owner"))
        .put("created_at", MongoDocs.iso(user.getValue("created_at")))
        .put("revoked", user.getValue("bot_revoked_at") != null)
        .put("permissions", BotPermissions.fromJson(user.getValue("bot_permissions")).toJson());
  }

  /** {@code createBotUser}: {@code {name, avatar, created_by}} → {@code {user_id}}. */
  Future<JsonObject> create(JsonObject body) {
    return newBot(body, new JsonObject()).map(user -> new JsonObject().put("user_id", MongoDocs.id(user)));
  }

  private Future<JsonObject> newBot(JsonObject body, JsonObject extra) {
    String name;
    String avatar;
    try {
      name = Names.required(body.getValue("name"), "name", MAX_NAME);
      avatar = HttpUrls.optional(body.getValue("avatar"), "avatar_url");
    } catch (ApiException e) {
      return Future.failedFuture(e);
    }
    String handle = "bot-" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    Instant now = Instant.now();
    Object createdBy = body.getValue("created_by");
    JsonObject user = new JsonObject()
        .put("email", handle + "@bots.invalid")
        .put("username", handle)
        .put("full_name", name)
        .put("avatar", avatar)
        .put("role", "user")
        .put("is_bot", true)
        .put("created_by", Ids.isObjectId(createdBy) ? createdBy : null)
        .put("status", "online")
        .put("status_message", null)
        .put("email_verified", true)
        .put("two_factor_enabled", false)
        .put("created_at", MongoDocs.date(now))
        .put("updated_at", MongoDocs.date(now))
        .mergeIn(extra);
    return users.insert(user).map(id -> user.put("_id", id));
  }
}
