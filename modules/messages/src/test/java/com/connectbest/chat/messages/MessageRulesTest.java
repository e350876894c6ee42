package com.connectbest.chat.messages;

import com.connectbest.chat.common.Ids;
import com.connectbest.chat.common.MongoDocs;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.connectbest.chat.common.ApiException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class MessageRulesTest {

  @Test
  @DisplayName("channel ids are 24-hex ObjectIds (canonicalised to lower case) or dm_<id>_<id> in lower case")
  void channelIds() {
    String id = "507F1F77BCF86CD799439011";
    assertEquals(id.toLowerCase(), Ids.requireChannel(id, "channelId"));
    String dm = "dm_507f1f77bcf86cd799439011_507f1f77bcf86cd799439012";
    assertEquals(dm, Ids.requireChannel(dm, "channelId"));
    assertEquals(dm, Ids.requireChannel("dm_507F1F77BCF86CD799439011_507f1f77bcf86cd799439012", "channelId"),
        "ids are case-insensitive hex everywhere");
    for (Object bad : new Object[] {null, 42, "", "general", "dm_507f1f77bcf86cd799439011", dm + "_x", " " + id}) {
      ApiException error = assertThrows(ApiException.class, () -> Ids.requireChannel(bad, "channelId"));
      assertEquals(400, error.status());
    }
  }

  @Test
  @DisplayName("limits default when absent, accept numeric text, and refuse anything outside 1..max")
  void limits() {
    assertEquals(50, MessageRules.limit(null, 50, 100));
    assertEquals(50, MessageRules.limit("", 50, 100));
    assertEquals(7, MessageRules.limit("7", 50, 100));
    assertEquals(100, MessageRules.limit(100L, 50, 100));
    for (Object bad : new Object[] {0, 101, -5, "1e3", "ten", 3.5, true, "99999999999"}) {
      assertThrows(ApiException.class, () -> MessageRules.limit(bad, 50, 100), String.valueOf(bad));
    }
  }

  @Test
  @DisplayName("escaped search text is matched literally by a regex engine")
  void escapeRegex() {
    String nasty = "a.b*c+d?e(f)g[h]i{j}k|l^m$n\\o";
    Pattern pattern = Pattern.compile(MongoDocs.containsIgnoreCase(nasty).getString("$regex"), Pattern.CASE_INSENSITIVE);
    assertTrue(pattern.matcher("xx" + nasty.toUpperCase() + "yy").find());
    assertFalse(pattern.matcher("aXb").find());
    assertFalse(Pattern.compile(MongoDocs.containsIgnoreCase(".*").getString("$regex")).matcher("anything").find());
  }

  @Test
  @DisplayName("an attachment keeps only name, size, type, url and key; its url must be http(s) or /api/files/")
  void attachmentWhitelist() {
    JsonArray clean = MessageRules.attachments(new JsonArray().add(new JsonObject().put("name", " a.txt ")
        .put("size", 10.0).put("type", "").put("url", "HTTPS://EXAMPLE.COM/a.txt").put("acl", "public")));
    assertEquals(new JsonObject().put("name", "a.txt").put("size", 10L).put("type", "")
        .put("url", "HTTPS://EXAMPLE.COM/a.txt"), clean.getJsonObject(0));
    assertEquals(new JsonArray(), MessageRules.attachments(null));
    for (String url : new String[] {"http://", "https:// spaced.com", "/api/filesx", "//evil.com/a", "data:text/html,x",
        "/api/files/"}) {
      assertThrows(ApiException.class, () -> MessageRules.attachments(new JsonArray().add(new JsonObject()
          .put("name", "a").put("size", 1).put("type", "t").put("url", url))), url);
    }
  }

  @Test
  @DisplayName("content and emoji lengths count characters (code points), not UTF-16 units")
  void codePoints() {
    assertEquals("🙂".repeat(2000), MessageRules.content("🙂".repeat(2000)));
    assertThrows(ApiException.class, () -> MessageRules.content("🙂".repeat(2001)));
    assertEquals("🙂".repeat(10), MessageRules.emoji("🙂".repeat(10)));
    assertThrows(ApiException.class, () -> MessageRules.emoji("🙂".repeat(11)));
  }

  @Test
  @DisplayName("emoji and attachment texts follow their schemas: length as given, control characters refused, blanks refused")
  void emojiAndAttachmentTextsAsTheSchemaSays() {
    assertEquals("👍", MessageRules.emoji(" 👍  "));
    assertEquals("\u2003", MessageRules.emoji("\u2003"), "not a space the schema trims");
    assertThrows(ApiException.class, () -> MessageRules.emoji("👍\n"));
    assertThrows(ApiException.class, () -> MessageRules.emoji("   "));
    assertThrows(ApiException.class, () -> MessageRules.emoji(" ".repeat(8) + "abc"), "11 characters as given");
    JsonObject ok = new JsonObject().put("name", " a.png ").put("url", "https://example.com/a.png").put("key", "k");
    assertEquals("a.png", MessageRules.attachments(new JsonArray().add(ok)).getJsonObject(0).getString("name"));
    assertThrows(ApiException.class, () -> MessageRules.attachments(new JsonArray().add(ok.copy().put("key", ""))));
    assertThrows(ApiException.class, () -> MessageRules.attachments(new JsonArray().add(ok.copy().put("name", " \t"))));
    assertThrows(ApiException.class, () -> MessageRules.attachments(new JsonArray()
        .add(ok.copy().put("name", " ".repeat(250) + "a.png1"))), "256 characters as given");
  }

  @Test
  @DisplayName("search text is refused as blank only when the schema's not-blank pattern refuses it")
  void searchTextAsTheSchemaSays() {
    assertEquals("C++", MessageRules.searchText(" C++\t"));
    assertEquals("\u2003", MessageRules.searchText("\u2003"), "not white space the schema names");
    assertThrows(ApiException.class, () -> MessageRules.searchText(" \t\n"));
    assertThrows(ApiException.class, () -> MessageRules.searchText(" " + "x".repeat(200)), "201 characters as given");
  }
}
