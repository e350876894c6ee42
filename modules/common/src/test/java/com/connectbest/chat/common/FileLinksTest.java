package com.connectbest.chat.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class FileLinksTest {

  private static final String KEY = "messages/123e4567-e89b-12d3-a456-426614174000.png";
  private static final String ANN = "507f1f77bcf86cd799439011";
  private static final String BOB = "507f1f77bcf86cd799439012";

  private static Map<String, String> query(String url) {
    Map<String, String> params = new HashMap<>();
    for (String pair : url.substring(url.indexOf('?') + 1).split("&")) {
      params.put(pair.substring(0, pair.indexOf('=')), pair.substring(pair.indexOf('=') + 1));
    }
    return params;
  }

  @Test
  @DisplayName("a signed link verifies for its key, viewer and expiry only, stays the same within a window, and expires")
  void signAndVerify() {
    FileLinks links = FileLinks.from(new Settings(new JsonObject().put("JWT_SECRET_KEY", "one-secret")),
        () -> "http://chat.example.com");
    Instant now = Instant.parse("2026-01-01T10:15:00Z");
    String url = links.signedUrl(KEY, ANN, now);
    assertTrue(url.startsWith("http://chat.example.com/api/files/" + KEY + "?viewer=" + ANN + "&expires="), url);
    Map<String, String> q = query(url);
    assertEquals(Instant.parse("2026-01-01T12:00:00Z").getEpochSecond(), Long.parseLong(q.get("expires")),
        "valid until the end of the next window");
    assertEquals(url, links.signedUrl(KEY, ANN, now.plusSeconds(600)), "stable within a window (browser caching)");

    assertTrue(links.verify(KEY, ANN, q.get("expires"), q.get("signature"), now));
    assertFalse(links.verify(KEY, BOB, q.get("expires"), q.get("signature"), now), "another viewer");
    assertFalse(links.verify(KEY.replace("png", "gif"), ANN, q.get("expires"), q.get("signature"), now));
    assertFalse(links.verify(KEY, ANN, String.valueOf(Long.parseLong(q.get("expires")) + 3600), q.get("signature"),
        now), "a longer life");
    assertFalse(links.verify(KEY, ANN, q.get("expires"), q.get("signature"), Instant.parse("2026-01-01T12:00:00Z")));
    assertFalse(links.verify(KEY, ANN, "soon", q.get("signature"), now));
    assertFalse(links.verify(KEY, ANN, q.get("expires"), null, now));

    FileLinks otherSecret = FileLinks.from(new Settings(new JsonObject().put("JWT_SECRET_KEY", "another")),
        () -> "http://chat.example.com");
    assertFalse(otherSecret.verify(KEY, ANN, q.get("expires"), q.get("signature"), now));
    FileLinks ownSecret = FileLinks.from(new Settings(new JsonObject().put("JWT_SECRET_KEY", "one-secret")
        .put("FILE_URL_SECRET", "files-only")), () -> "http://chat.example.com");
    assertNotEquals(url, ownSecret.signedUrl(KEY, ANN, now), "FILE_URL_SECRET replaces the derived key");
  }

  @Test
  @DisplayName("the key of a files URL ignores its query and fragment; other URLs have none")
  void keys() {
    assertEquals(KEY, FileLinks.keyOf("https://x.example/api/files/" + KEY + "?viewer=a&signature=b"));
    assertEquals(KEY, FileLinks.keyOf("/api/files/" + KEY + "#top"));
    assertNull(FileLinks.keyOf("https://elsewhere.example/pic.png"));
    assertNull(FileLinks.keyOf("/api/files/?x=1"));
  }

  @Test
  @DisplayName("without PUBLIC_URL, links use the port the gateway really listens on; PUBLIC_URL wins when set")
  void publicUrl() {
    Vertx vertx = Vertx.vertx();
    try {
      var derived = PublicUrl.of(vertx, new Settings(new JsonObject().put("HOST", "0.0.0.0").put("PORT", 0)));
      assertEquals("http://localhost:0", derived.get());
      PublicUrl.recordListenPort(vertx, 43123);
      assertEquals("http://localhost:43123", derived.get());
      assertEquals("http://127.0.0.1:43123",
          PublicUrl.of(vertx, new Settings(new JsonObject().put("HOST", "127.0.0.1").put("PORT", 5001))).get());
      assertEquals("https://chat.example.com", PublicUrl.of(vertx,
          new Settings(new JsonObject().put("PUBLIC_URL", "https://chat.example.com/").put("PORT", 5001))).get());
    } finally {
      vertx.close().await();
    }
  }
}
