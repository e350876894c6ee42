package com.connectbest.chat.auth;

import com.connectbest.chat.common.ApiException;
import com.connectbest.chat.common.Ids;
import com.connectbest.chat.common.MongoDocs;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.UUID;

/**
 * Bot accounts: user documents marked {@code is_bot: true} with no password (sign-in refuses them, as it refuses a
 * wrong password), so memberships, permissions and message authorship work for them exactly as for people. The
 * e-mail is a unique placeholder under the reserved {@code .invalid} domain (the e-mail index is unique).
 */
final class BotAccounts {

  static final int MAX_NAME = 64;

  private final UserStore users;

  BotAccounts(UserStore users) {
    this.users = users;
  }

  /** {@code createBotUser}: {@code {name, avatar, created_by}} → {@code {user_id}}. */
  Future<JsonObject> create(JsonObject body) {
    String name = body.getValue("name") instanceof String text ? text.trim() : "";
    if (name.isEmpty() || name.length() > MAX_NAME) {
      return Future.failedFuture(ApiException.validation("name must be 1 to " + MAX_NAME + " characters",
          new JsonObject().put("field", "name")));
    }
    String handle = "bot-" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    Instant now = Instant.now();
    Object createdBy = body.getValue("created_by");
    JsonObject user = new JsonObject()
        .put("email", handle + "@bots.invalid")
        .put("username", handle)
        .put("full_name", name)
        .put("avatar", body.getValue("avatar") instanceof String avatar ? avatar : null)
        .put("role", "user")
        .put("is_bot", true)
        .put("created_by", Ids.isObjectId(createdBy) ? createdBy : null)
        .put("status", "online")
        .put("status_message", null)
        .put("email_verified", true)
        .put("two_factor_enabled", false)
        .put("created_at", MongoDocs.date(now))
        .put("updated_at", MongoDocs.date(now));
    return users.insert(user).map(id -> new JsonObject().put("user_id", id));
  }
}
