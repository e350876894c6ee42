package com.connectbest.chat.gateway;

import com.connectbest.chat.common.Settings;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which operations are limited, in which group, and how much: per client IP and per account. Defaults below;
 * {@code RATE_LIMITS} in the configuration overrides any group, e.g. {@code {"login": {"per_ip": "20/1m"}}}.
 */
final class RateLimitRules {

  record Limit(long capacity, Duration period) {

    private static final Pattern TEXT = Pattern.compile("(\\d+)/(\\d*)(s|m|h)");

    static Limit parse(String text) {
      Matcher matcher = text == null ? null : TEXT.matcher(text.trim());
      if (matcher == null || !matcher.matches()) {
        throw new IllegalArgumentException("RATE_LIMITS: '" + text + "' is not like 10/1m (count/period s|m|h)");
      }
      long amount = matcher.group(2).isEmpty() ? 1 : Long.parseLong(matcher.group(2));
      Duration unit = switch (matcher.group(3)) {
        case "s" -> Duration.ofSeconds(1);
        case "m" -> Duration.ofMinutes(1);
        default -> Duration.ofHours(1);
      };
      return new Limit(Long.parseLong(matcher.group(1)), unit.multipliedBy(amount));
    }
  }

  record Rule(String group, Limit perIp, Limit perAccount) {
  }

  private static final Map<String, String> GROUPS = Map.ofEntries(
      Map.entry("login", "login"),
      Map.entry("register", "register"),
      Map.entry("verifyEmail", "verify_email"),
      Map.entry("setupTwoFactor", "two_factor"),
      Map.entry("verifyTwoFactorSetup", "two_factor"),
      Map.entry("disableTwoFactor", "two_factor"),
      Map.entry("regenerateBackupCodes", "two_factor"),
      Map.entry("changePassword", "login"),
      Map.entry("sendMessage", "send_message"),
      Map.entry("postReply", "send_message"),
      Map.entry("sendDirectMessage", "send_message"),
      Map.entry("uploadAvatar", "upload"),
      Map.entry("uploadMessageFile", "upload"),
      Map.entry("setMyAvatar", "upload"),
      Map.entry("postIncomingHook", "webhook"));

  private static final JsonObject DEFAULTS = new JsonObject()
      .put("login", new JsonObject().put("per_ip", "30/1m").put("per_account", "10/1m"))
      .put("register", new JsonObject().put("per_ip", "10/10m"))
      .put("verify_email", new JsonObject().put("per_ip", "20/10m"))
      .put("two_factor", new JsonObject().put("per_ip", "30/1m").put("per_account", "10/1m"))
      .put("send_message", new JsonObject().put("per_ip", "600/1m").put("per_account", "60/10s"))
      .put("upload", new JsonObject().put("per_ip", "60/1m").put("per_account", "20/1m"))
      // per_account: per hook (its token's hash), as a hook has no signed-in caller
      .put("webhook", new JsonObject().put("per_ip", "600/1m").put("per_account", "30/10s"));

  private final Map<String, Rule> byOperation = new HashMap<>();

  RateLimitRules(Settings settings) {
    JsonObject configured = configured(settings.config().getValue("RATE_LIMITS"));
    Map<String, Rule> byGroup = new HashMap<>();
    for (String group : DEFAULTS.fieldNames()) {
      JsonObject limits = DEFAULTS.getJsonObject(group).copy().mergeIn(configured.getJsonObject(group, new JsonObject()));
      byGroup.put(group, new Rule(group, limit(limits, "per_ip"), limit(limits, "per_account")));
    }
    GROUPS.forEach((operation, group) -> byOperation.put(operation, byGroup.get(group)));
  }

  /** The rule for an operation, or null when it is not limited. */
  Rule ruleFor(String operationId) {
    return byOperation.get(operationId);
  }

  private static Limit limit(JsonObject limits, String key) {
    String text = limits.getString(key);
    return text == null || "off".equals(text) ? null : Limit.parse(text);
  }

  private static JsonObject configured(Object value) {
    if (value instanceof JsonObject object) {
      return object;
    }
    if (value instanceof String text && !text.isBlank()) {
      return new JsonObject(text);
    }
    return new JsonObject();
  }
}
