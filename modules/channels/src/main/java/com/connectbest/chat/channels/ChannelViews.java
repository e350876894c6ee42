package com.connectbest.chat.channels;

import com.connectbest.chat.common.MongoDocs;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** The JSON shapes of the contract, built from stored documents. */
final class ChannelViews {

  private ChannelViews() {
  }

  /** Millisecond precision: what a BSON date keeps, so that an answer equals what was stored. */
  static Instant now() {
    return Instant.now().truncatedTo(ChronoUnit.MILLIS);
  }

  static boolean isDm(JsonObject channel) {
    String name = channel.getString("name");
    return "dm".equals(channel.getString("type")) || (name != null && name.startsWith(ChannelRules.DM_PREFIX));
  }

  static String type(JsonObject channel) {
    return isDm(channel) ? "dm" : channel.getString("type", "public");
  }

  static JsonObject channel(JsonObject doc) {
    return new JsonObject()
        .put("id", MongoDocs.id(doc))
        .put("name", doc.getString("name"))
        .put("description", description(doc))
        .put("type", type(doc))
        .put("created_by", MongoDocs.hex(doc.getValue("created_by")))
        .put("created_at", MongoDocs.iso(doc.getValue("created_at")));
  }

  private static String description(JsonObject doc) {
    Object description = doc.getValue("description");
    return description instanceof String text ? text : "";
  }

  static JsonObject member(JsonObject membership, JsonObject user) {
    String userId = membership.getString("user_id");
    return new JsonObject()
        .put("id", userId)
        .put("user_id", userId)
        .put("name", user.getString("name"))
        .put("email", user.getString("email"))
        .put("role", membership.getString("role", MembershipStore.MEMBER))
        .put("joined_at", MongoDocs.iso(membership.getValue("joined_at")));
  }

  /** An entry of the administrators' list of every channel. */
  static JsonObject adminEntry(JsonObject doc, long memberCount) {
    return new JsonObject()
        .put("id", MongoDocs.id(doc))
        .put("name", doc.getString("name"))
        .put("description", description(doc))
        .put("type", type(doc))
        .put("memberCount", memberCount)
        .put("createdAt", MongoDocs.iso(doc.getValue("created_at")))
        .put("created_by", MongoDocs.hex(doc.getValue("created_by")));
  }
}
