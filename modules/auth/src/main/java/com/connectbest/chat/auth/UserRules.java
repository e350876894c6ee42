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
  private static final Pattern PHONE_NOISE = Pattern.compile("[\\s\\-()+]");
  private static final Pattern DIGITS = Pattern.compile("^[0-9]{10,15}$");
  private static final Pattern URL = Pattern.compile("^https?://[^\\s]+$", Pattern.CASE_INSENSITIVE);

  private UserRules() {
  }

  static String email(Object value) {
    String email = value instanceof String text ? text.trim().toLowerCase(Locale.ROOT) : "";
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

  static String name(Object value) {
    String name = value instanceof String text ? text.trim().replaceAll("\\s+", " ") : "";
    if (name.length() < 2 || name.length() > 100 || !NAME.matcher(name).matches()) {
      throw invalid("name", "Name must be 2-100 characters of letters, spaces, hyphens and apostrophes");
    }
    return name;
  }

  /** A phone number as given (trimmed), or null; 10-15 digits once separators are removed. */
  static String phone(Object value) {
    if (value == null || (value instanceof String text && text.isBlank())) {
      return null;
    }
    String phone = value instanceof String text ? text.trim() : "";
    if (phone.length() > 32 || !DIGITS.matcher(PHONE_NOISE.matcher(phone).replaceAll("")).matches()) {
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

  static String statusMessage(Object value) {
    if (value == null) {
      return null;
    }
    String text = value instanceof String s ? s.trim() : null;
    if (text == null || text.length() > 200) {
      throw invalid("status_message", "Status message must be text of at most 200 characters");
    }
    return text.isEmpty() ? null : text;
  }

  /** An http(s) URL, or null: null or an empty string clears it (the original profile page sends "" for none). */
  static String avatarUrl(Object value) {
    if (value == null || (value instanceof String text && text.isBlank())) {
      return null;
    }
    String url = value instanceof String s ? s.trim() : "";
    if (url.length() > 2048 || !URL.matcher(url).matches()) {
      throw invalid("avatar", "Avatar must be an http(s) URL");
    }
    return url;
  }

  /** A username from the e-mail's local part: lower-case letters, digits, dots, dashes and underscores. */
  static String usernameBase(String email) {
    String base = email.substring(0, email.indexOf('@')).toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9._-]", "");
    return base.isEmpty() ? "user" : base.length() > 30 ? base.substring(0, 30) : base;
  }

  private static ApiException invalid(String field, String message) {
    return ApiException.validation(message, new JsonObject().put("field", field));
  }
}
