package com.connectbest.chat.common;

import io.vertx.core.json.JsonObject;

/**
 * The authenticated caller, as resolved from the database by the auth service (never from a token's claims).
 *
 * @param signature the gateway's {@link EnvelopeSignature} of this caller for the current operation, or null; a
 *                  service acting on the caller's behalf sends it on unchanged. Never part of {@link #toJson()}.
 */
public record Principal(String id, String email, String name, String role, String signature) {

  public static final String ADMIN = "admin";
  /** The role of bot accounts (bots and incoming hooks): never an admin; their messages carry {@code is_bot}. */
  public static final String BOT = "bot";

  public Principal(String id, String email, String name, String role) {
    this(id, email, name, role, null);
  }

  /** The same caller with this signature. */
  public Principal withSignature(String token) {
    return new Principal(id, email, name, role, token);
  }

  public boolean isBot() {
    return BOT.equals(role);
  }

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
