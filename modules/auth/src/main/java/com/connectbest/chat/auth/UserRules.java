package com.connectbest.chat.auth;

import com.connectbest.chat.common.ApiException;
import io.vertx.core.json.JsonObject;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/** The validation rules for user input, stated in the contract and enforced here, where the data is owned. */
final class UserRules {

  static final Set<String> STATUSES = Set.of("online", "away", "busy", "inmeeting", "offline");

  private static final Pattern EMAIL = Pattern.compile("^[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\\.[A-Za-z]{2,}$");
  private static final Pattern NAME = Pattern.compile("^[\\p{L}\\p{M}][\\p{L}\\p{M} '\\-]*$");
  /**
   * The white space a name is trimmed of and whose runs become one space: exactly the ASCII set the contract's
   * PersonName pattern names, so that the schema and this check agree (control characters are refused, not trimmed).
   */
  private static final Pattern EDGE_SPACE = Pattern.compile("^[ \\t\\n\\x0B\\f\\r]+|[ \\t\\n\\x0B\\f\\r]+$");
  private static final Pattern SPACE_RUN = Pattern.compile("[ \\t\\n\\x0B\\f\\r]+");
  private static final Pattern PHONE_NOISE = Pattern.compile("[ \\t\\n\\x0B\\f\\r\\-()+]");
  private static final Pattern DIGITS = Pattern.compile("^[0-9]{10,15}$");
  private static final Pattern URL = Pattern.compile("^https?://[^ \\t\\n\\x0B\\f\\r]+$", Pattern.CASE_INSENSITIVE);

  private UserRules() {
  }

  static String email(Object value) {
    // trimmed of the white space the schema's pattern allows around it (trim() would drop control characters too)
    String email = value instanceof String text ? trimmed(text).toLowerCase(Locale.ROOT) : "";
    if (email.length() > 254 || !EMAIL.matcher(email).matches()) {
      throw invalid("email", "Invalid email format");
    }
    return email;
  }

  static String password(Object value) {
    String password = value instanceof String text ? text : "";
    boolean strong = password.length() >= 8 && password.length() <= 128
        && password.chars().anyMatch(Character::isLowerCase)
        && password.chars().anyMatch(Character::isUpperCase)
        && password.chars().anyMatch(Character::isDigit);
    if (!strong) {
      throw invalid("password",
          "Password must be 8-128 characters with at least one lower-case letter, one upper-case letter and one digit");
    }
    return password;
  }

  /** Trimmed, runs of white space made one space; 2-100 characters (code points) as given and as stored. */
  static String name(Object value) {
    String raw = value instanceof String text ? text : "";
    String name = SPACE_RUN.matcher(trimmed(raw)).replaceAll(" ");
    int length = name.codePointCount(0, name.length());
    if (length < 2 || raw.codePointCount(0, raw.length()) > 100 || !NAME.matcher(name).matches()) {
      throw invalid("name", "Name must be 2-100 characters of letters, spaces, hyphens and apostrophes");
    }
    return name;
  }

  /** A phone number as given (trimmed), or null for null or blank; 10-15 digits once separators are removed. */
  static String phone(Object value) {
    if (value == null) {
      return null;
    }
    String raw = value instanceof String text ? text : "";
    String phone = trimmed(raw);
    if (value instanceof String && phone.isEmpty() && raw.length() <= 32) {
      return null;
    }
    if (raw.length() > 32 || !DIGITS.matcher(PHONE_NOISE.matcher(phone).replaceAll("")).matches()) {
      throw invalid("phone", "Phone must have 10-15 digits");
    }
    return phone;
  }

  static String status(Object value) {
    if (!(value instanceof String status) || !STATUSES.contains(status)) {
      throw invalid("status", "Invalid status value (must be: online, away, busy, inmeeting, offline)");
    }
    return status;
  }

  /**
   * At most 200 characters (code points, as JSON Schema's maxLength counts them) as given, then trimmed of the same
   * white space as a name; null, or nothing left, clears it.
   */
  static String statusMessage(Object value) {
    if (value == null) {
      return null;
    }
    if (!(value instanceof String raw) || raw.codePointCount(0, raw.length()) > 200) {
      throw invalid("status_message", "Status message must be text of at most 200 characters");
    }
    String text = trimmed(raw);
    return text.isEmpty() ? null : text;
  }

  /** An http(s) URL, or null: null or an empty string clears it (the original profile page sends "" for none). */
  static String avatarUrl(Object value) {
    String raw = value instanceof String s ? s : "";
    String url = trimmed(raw);
    int length = raw.codePointCount(0, raw.length());
    if (value == null || value instanceof String && url.isEmpty() && length <= 2048) {
      return null;
    }
    if (length > 2048 || !URL.matcher(url).matches()) {
      throw invalid("avatar", "Avatar must be an http(s) URL");
    }
    return url;
  }

  /** A username from the e-mail's local part: lower-case letters, digits, dots, dashes and underscores. */
  static String usernameBase(String email) {
    String base = email.substring(0, email.indexOf('@')).toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9._-]", "");
    return base.isEmpty() ? "user" : base.length() > 30 ? base.substring(0, 30) : base;
  }

  /** Without surrounding white space of the ASCII kinds the contract's patterns name (space, tab, line breaks). */
  private static String trimmed(String text) {
    return EDGE_SPACE.matcher(text).replaceAll("");
  }

  private static ApiException invalid(String field, String message) {
    return ApiException.validation(message, new JsonObject().put("field", field));
  }
}
