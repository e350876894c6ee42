package com.connectbest.chat.common;

import java.util.regex.Pattern;

public final class Ids {

  private static final Pattern OBJECT_ID = Pattern.compile("[0-9a-fA-F]{24}");
  private static final Pattern DM_CHANNEL = Pattern.compile("dm_[0-9a-f]{24}_[0-9a-f]{24}");

  private Ids() {
  }

  public static boolean isObjectId(Object value) {
    return value instanceof String text && OBJECT_ID.matcher(text).matches();
  }

  /** A direct-message conversation id {@code dm_<user id>_<user id>}, in canonical (lower-case) form. */
  public static boolean isDmChannel(Object value) {
    return value instanceof String text && DM_CHANNEL.matcher(text).matches();
  }

  /**
   * A path's channel id in canonical form: an ObjectId or {@code dm_<id>_<id>} in any letter case, lower-cased (ids
   * are case-insensitive hex everywhere); null when it is neither.
   */
  public static String canonicalChannel(Object value) {
    if (!(value instanceof String text)) {
      return null;
    }
    String lower = text.toLowerCase(java.util.Locale.ROOT);
    return isObjectId(lower) || isDmChannel(lower) ? lower : null;
  }

  /** The conversation id of two users (canonical hex ids): {@code dm_<smaller>_<larger>}, compared as strings. */
  public static String dmChannel(String userA, String userB) {
    return userA.compareTo(userB) <= 0 ? "dm_" + userA + "_" + userB : "dm_" + userB + "_" + userA;
  }

  /** The id in canonical (lower-case) form, or a 400 naming the field. */
  public static String requireObjectId(Object value, String field) {
    if (!isObjectId(value)) {
      throw ApiException.validation("Invalid " + field, new io.vertx.core.json.JsonObject().put("field", field)
          .put("reason", "must be a 24-character hexadecimal id"));
    }
    return ((String) value).toLowerCase();
  }
}
