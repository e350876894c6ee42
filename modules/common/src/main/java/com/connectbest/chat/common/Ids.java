package com.connectbest.chat.common;

/** Ids as the API and the store spell them. Checked by hand, not by regex: they are checked several times a request. */
public final class Ids {

  private static final int OBJECT_ID_LENGTH = 24;
  private static final int DM_CHANNEL_LENGTH = 3 + 2 * OBJECT_ID_LENGTH + 1;

  private Ids() {
  }

  /** 24 hexadecimal digits, in either letter case. */
  public static boolean isObjectId(Object value) {
    return value instanceof String text && text.length() == OBJECT_ID_LENGTH && hex(text, 0, true);
  }

  /** A direct-message conversation id {@code dm_<user id>_<user id>}, in canonical (lower-case) form. */
  public static boolean isDmChannel(Object value) {
    return value instanceof String text && text.length() == DM_CHANNEL_LENGTH && text.startsWith("dm_")
        && text.charAt(3 + OBJECT_ID_LENGTH) == '_' && hex(text, 3, false) && hex(text, 4 + OBJECT_ID_LENGTH, false);
  }

  private static boolean hex(String text, int from, boolean upperToo) {
    for (int i = from; i < from + OBJECT_ID_LENGTH; i++) {
      char c = text.charAt(i);
      if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || upperToo && c >= 'A' && c <= 'F')) {
        return false;
      }
    }
    return true;
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

  /** Any channel's id: an ObjectId, or a direct-message id in canonical form. */
  public static boolean isChannel(Object value) {
    return isObjectId(value) || isDmChannel(value);
  }

  /**
   * Any channel's id in canonical form (hex in any letter case is accepted, and answered in lower case), or a 400
   * naming the field.
   */
  public static String requireChannel(Object value, String field) {
    String id = canonicalChannel(value);
    if (id == null) {
      throw ApiException.validation("Invalid " + field, new io.vertx.core.json.JsonObject().put("field", field)
          .put("reason", "must be a 24-character hexadecimal id or dm_<id>_<id>"));
    }
    return id;
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
