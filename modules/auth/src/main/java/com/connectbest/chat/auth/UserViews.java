package com.connectbest.chat.auth;

import com.connectbest.chat.common.MongoDocs;
import com.connectbest.chat.common.Principal;
import io.vertx.core.json.JsonObject;

/**
 * The only ways a user document leaves this service: whitelisted projections, so that password hashes,
 * 2FA secrets, backup codes and verification tokens can never reach a response.
 */
final class UserViews {

  private UserViews() {
  }

  static String displayName(JsonObject user) {
    String name = user.getString("full_name");
    if (name == null || name.isBlank()) {
      name = user.getString("username");
    }
    return name == null || name.isBlank() ? user.getString("email") : name;
  }

  /** The caller's own profile ({@code GET /api/auth/me}). */
  static JsonObject profile(JsonObject user) {
    String avatar = user.getString("avatar");
    return new JsonObject()
        .put("id", MongoDocs.id(user))
        .put("email", user.getString("email"))
        .put("username", user.getString("username", ""))
        .put("name", displayName(user))
        .put("full_name", user.getString("full_name", displayName(user)))
        .put("role", user.getString("role", "user"))
        .put("avatar", avatar)
        .put("picture", avatar)
        .put("phone", user.getString("phone"))
        .put("status", user.getString("status", "offline"))
        .put("status_message", user.getString("status_message"))
        .put("google_id", user.getString("google_id"))
        .put("oauth_provider", user.getString("oauth_provider"))
        .put("email_verified", user.getBoolean("email_verified", false))
        .put("two_factor_enabled", user.getBoolean("two_factor_enabled", false))
        .put("created_at", createdAt(user))
        .put("last_login", MongoDocs.iso(user.getValue("last_login")));
  }

  /** What other signed-in users may see (directory, search). */
  static JsonObject summary(JsonObject user) {
    return new JsonObject()
        .put("id", MongoDocs.id(user))
        .put("name", displayName(user))
        .put("email", user.getString("email"))
        .put("username", user.getString("username", ""))
        .put("role", user.getString("role", "user"))
        .put("status", user.getString("status", "offline"))
        .put("avatar", user.getString("avatar"))
        .put("status_message", user.getString("status_message"));
  }

  static JsonObject registered(JsonObject user) {
    return new JsonObject()
        .put("id", MongoDocs.id(user))
        .put("email", user.getString("email"))
        .put("username", user.getString("username"))
        .put("full_name", user.getString("full_name"))
        .put("role", user.getString("role", "user"))
        .put("email_verified", user.getBoolean("email_verified", false));
  }

  static Principal principal(JsonObject user) {
    // A bot acts with the role "bot": never an admin, and its messages are marked as a bot's.
    String role = user.getBoolean("is_bot", false) ? Principal.BOT : user.getString("role", "user");
    return new Principal(MongoDocs.id(user), user.getString("email"), displayName(user), role);
  }

  private static String createdAt(JsonObject user) {
    String created = MongoDocs.iso(user.getValue("created_at"));
    return created != null ? created : "1970-01-01T00:00:00Z";
  }
}
