package com.connectbest.chat.messages;

import com.connectbest.chat.common.ApiException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.regex.Pattern;

/**
 * Validation of message input. Lengths count Unicode code points (as the original Python service did), so an
 * emoji counts as one character.
 */
final class MessageRules {

  static final int MAX_CONTENT = 2000;
  static final int MAX_ATTACHMENTS = 10;
  static final int MAX_EMOJI = 10;
  static final int MAX_QUERY = 200;

  private static final Pattern ABSOLUTE_URL = Pattern.compile("^https?://[^\\s/?#]+[^\\s]*$", Pattern.CASE_INSENSITIVE);
  private static final Pattern FILES_PATH = Pattern.compile("^/api/files/[^\\s]+$");
  private static final Pattern EDGE_SPACE = Pattern.compile("^[ \\t\\n\\x0B\\f\\r]+|[ \\t\\n\\x0B\\f\\r]+$");

  private MessageRules() {
  }

  /** Trimmed content of 1-2000 characters. */
  static String content(Object value) {
    String text = value instanceof String s ? s.strip() : "";
    if (text.isEmpty()) {
      throw invalid("content", "Message content is required");
    }
    if (text.codePointCount(0, text.length()) > MAX_CONTENT) {
      throw invalid("content", "Message too long (max " + MAX_CONTENT + " characters)");
    }
    return text;
  }

  /**
   * At most ten attachments of {name, url, size?, type?, key?} (the contract's Attachment); unknown fields are
   * dropped. Null means none.
   */
  static JsonArray attachments(Object value) {
    if (value == null) {
      return new JsonArray();
    }
    if (!(value instanceof JsonArray list)) {
      throw invalid("attachments", "Attachments must be a list");
    }
    if (list.size() > MAX_ATTACHMENTS) {
      throw invalid("attachments", "Too many attachments (max " + MAX_ATTACHMENTS + ")");
    }
    JsonArray clean = new JsonArray();
    for (int i = 0; i < list.size(); i++) {
      clean.add(attachment(list.getValue(i), i));
    }
    return clean;
  }

  private static JsonObject attachment(Object value, int index) {
    if (!(value instanceof JsonObject item)) {
      throw invalidAttachment(index, null, "must be an object");
    }
    JsonObject clean = new JsonObject().put("name", text(item.getValue("name"), index, "name", 1, 255));
    Object size = item.getValue("size");
    if (size != null) {
      if (!(size instanceof Number number) || number.doubleValue() != Math.rint(number.doubleValue())
          || number.doubleValue() < 0 || number.doubleValue() > Long.MAX_VALUE) {
        throw invalidAttachment(index, "size", "must be a whole number of bytes");
      }
      clean.put("size", number.longValue());
    }
    if (item.getValue("type") != null) {
      clean.put("type", text(item.getValue("type"), index, "type", 0, 255));
    }
    String url = text(item.getValue("url"), index, "url", 1, 2048);
    if (!ABSOLUTE_URL.matcher(url).matches() && !FILES_PATH.matcher(url).matches()) {
      throw invalidAttachment(index, "url", "must be an http(s) URL or a /api/files/ path");
    }
    // A signed link (an upload's file_url) is its uploader's: store the plain address, views sign it per viewer.
    clean.put("url", com.connectbest.chat.common.FileLinks.keyOf(url) != null
        ? com.connectbest.chat.common.FileLinks.withoutQuery(url) : url);
    if (item.getValue("key") != null) {
      clean.put("key", text(item.getValue("key"), index, "key", 1, 1024));
    }
    return clean;
  }

  /**
   * An attachment's text field: at most {@code max} characters as given (code points, as the schema's maxLength),
   * trimmed of space, tab and line breaks, and (for {@code min} 1) not blank, as the contract's Attachment says.
   */
  private static String text(Object value, int index, String field, int min, int max) {
    if (!(value instanceof String raw)) {
      throw invalidAttachment(index, field, "is required");
    }
    String text = EDGE_SPACE.matcher(raw).replaceAll("");
    if (raw.codePointCount(0, raw.length()) > max || text.codePointCount(0, text.length()) < min) {
      throw invalidAttachment(index, field, "must be " + min + "-" + max + " characters");
    }
    return text;
  }

  /**
   * An emoji: 1-10 characters as given, no control characters, not only spaces; kept without surrounding spaces.
   * The contract's {@code Emoji} schema states the same rule.
   */
  static String emoji(Object value) {
    if (value != null && !(value instanceof String)) {
      throw invalid("emoji", "Invalid emoji");
    }
    String raw = value == null ? "" : (String) value;
    if (raw.codePointCount(0, raw.length()) > MAX_EMOJI || raw.codePoints().anyMatch(Character::isISOControl)) {
      throw invalid("emoji", "Invalid emoji");
    }
    String emoji = raw.replaceAll("^ +| +$", "");
    if (emoji.isEmpty()) {
      throw invalid("emoji", "Emoji is required");
    }
    return emoji;
  }

  /** A page size: absent means the default; outside 1..max is a 400 (never silently clamped). */
  static int limit(Object value, int fallback, int max) {
    if (value == null || (value instanceof String s && s.isBlank())) {
      return fallback;
    }
    long limit;
    if (value instanceof Number number && number.doubleValue() == Math.rint(number.doubleValue())) {
      limit = number.longValue();
    } else if (value instanceof String text && text.strip().matches("-?[0-9]{1,9}")) {
      limit = Long.parseLong(text.strip());
    } else {
      throw invalid("limit", "limit must be a whole number between 1 and " + max);
    }
    if (limit < 1 || limit > max) {
      throw invalid("limit", "limit must be between 1 and " + max);
    }
    return (int) limit;
  }

  /** The search text, 1-200 characters as given and not blank (as its schema says), trimmed. */
  static String searchText(Object value) {
    String raw = value instanceof String s ? s : "";
    String text = com.connectbest.chat.common.Names.trim(raw);
    if (text.isEmpty()) {
      throw invalid("q", "Search query is required");
    }
    if (raw.codePointCount(0, raw.length()) > MAX_QUERY) {
      throw invalid("q", "Search query too long (max " + MAX_QUERY + " characters)");
    }
    return text;
  }

  private static ApiException invalid(String field, String message) {
    return ApiException.validation(message, new JsonObject().put("field", field));
  }

  private static ApiException invalidAttachment(int index, String field, String reason) {
    JsonObject details = new JsonObject().put("field", "attachments").put("index", index).put("reason", reason);
    if (field != null) {
      details.put("attachment_field", field);
    }
    return ApiException.validation("Invalid attachment"
        + (field == null ? " " + (index + 1) : " " + field + " (item " + (index + 1) + ")") + ": " + reason, details);
  }
}
