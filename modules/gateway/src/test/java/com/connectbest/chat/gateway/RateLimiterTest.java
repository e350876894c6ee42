package com.connectbest.chat.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.connectbest.chat.common.ApiException;
import com.connectbest.chat.common.ErrorCode;
import com.connectbest.chat.common.Settings;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class RateLimiterTest {

  private static RateLimiter limiter(JsonObject limits) {
    return new RateLimiter(new RateLimitRules(new Settings(new JsonObject().put("RATE_LIMITS", limits))),
        new LocalBuckets());
  }



  private static ApiException refusal(RateLimiter limiter, String operation, String ip, String account) {
    Throwable error = limiter.check(operation, ip, account).cause();
    return error instanceof ApiException api ? api : null;
  }

  @Test
  @DisplayName("limits read like 10/1m, 5/30s or 100/1h; anything else is refused at start")
  void parsing() {
    assertEquals(new RateLimitRules.Limit(10, Duration.ofMinutes(1)), RateLimitRules.Limit.parse("10/1m"));
    assertEquals(new RateLimitRules.Limit(5, Duration.ofSeconds(30)), RateLimitRules.Limit.parse("5/30s"));
    assertEquals(new RateLimitRules.Limit(100, Duration.ofHours(1)), RateLimitRules.Limit.parse("100/h"));
    assertThrows(IllegalArgumentException.class, () -> RateLimitRules.Limit.parse("ten per minute"));
    assertThrows(IllegalArgumentException.class, () -> new RateLimitRules(new Settings(new JsonObject()
        .put("RATE_LIMITS", new JsonObject().put("login", new JsonObject().put("per_ip", "x"))))));
  }

  @Test
  @DisplayName("the per-IP limit refuses the call after the allowance with 429 and a retry time")
  void perIp() {
    RateLimiter limiter = limiter(new JsonObject().put("login", new JsonObject().put("per_ip", "3/1m").put("per_account", "off")));
    for (int i = 0; i < 3; i++) {
      assertNull(refusal(limiter, "login", "10.0.0.1", null));
    }
    ApiException refused = refusal(limiter, "login", "10.0.0.1", null);
    assertEquals(429, refused.status());
    assertEquals(ErrorCode.RATE_LIMITED, refused.code());
    long retry = ((JsonObject) refused.details()).getLong("retry_after_seconds");
    assertTrue(retry >= 1 && retry <= 61, "retry after " + retry);
    assertNull(refusal(limiter, "login", "10.0.0.2", null), "another client is not affected");
  }

  @Test
  @DisplayName("the per-account limit holds across client addresses")
  void perAccount() {
    RateLimiter limiter = limiter(new JsonObject().put("send_message",
        new JsonObject().put("per_ip", "1000/1m").put("per_account", "2/1m")));
    assertNull(refusal(limiter, "sendMessage", "10.0.0.1", "user-a"));
    assertNull(refusal(limiter, "postReply", "10.0.0.2", "user-a"));
    assertEquals(429, refusal(limiter, "sendDirectMessage", "10.0.0.3", "user-a").status());
    assertNull(refusal(limiter, "sendMessage", "10.0.0.1", "user-b"));
  }

  @Test
  @DisplayName("operations outside the limited groups are never refused")
  void unlimited() {
    RateLimiter limiter = limiter(new JsonObject());
    for (int i = 0; i < 1000; i++) {
      assertNull(refusal(limiter, "listMyChannels", "10.0.0.1", "user-a"));
    }
  }
}
