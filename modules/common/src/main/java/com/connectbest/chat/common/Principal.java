package com.connectbest.chat.common;

import io.vertx.core.json.JsonObject;

/** The authenticated caller, as resolved from the database by the auth service (never from a token's claims). */
public record Principal(String id, String email, String name, String role) {

  public static final String ADMIN = "admin";

  public boolean isAdmin() {
    return ADMIN.equals(role);
  }

  public JsonObject toJson() {
    return new JsonObject().put("id", id).put("email", email).put("name", name).put("role", role);
  }

  public static Principal fromJson(JsonObject json) {
    if (json == null) {
      return null;
    }
    return new Principal(json.getString("id"), json.getString("email"), json.getString("name"),
        json.getString("role", "user"));
  }
}
