package com.connectbest.chat.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.connectbest.chat.common.ApiException;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class UserRulesTest {

  @Test
  @DisplayName("e-mails are trimmed and lower-cased")
  void emailNormalised() {
    assertEquals("john.doe+x@example.com", UserRules.email("  John.Doe+x@Example.COM "));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "plain", "a@b", "a@b.c", "@example.com", "a b@example.com", "a@exa mple.com"})
  @DisplayName("malformed e-mails are refused with 400")
  void badEmails(String email) {
    assertEquals(400, assertThrows(ApiException.class, () -> UserRules.email(email)).status());
  }

  @Test
  @DisplayName("an e-mail over 254 characters is refused")
  void longEmail() {
    assertThrows(ApiException.class, () -> UserRules.email("a".repeat(250) + "@example.com"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"short1A", "alllowercase1", "ALLUPPERCASE1", "NoDigitsHere", ""})
  @DisplayName("weak passwords are refused")
  void weakPasswords(String password) {
    assertThrows(ApiException.class, () -> UserRules.password(password));
  }

  @Test
  @DisplayName("a password of 8-128 characters with lower, upper and digit is accepted")
  void strongPassword() {
    assertEquals("SecurePass123", UserRules.password("SecurePass123"));
    assertThrows(ApiException.class, () -> UserRules.password("Aa1" + "x".repeat(126)));
  }

  @Test
  @DisplayName("names accept any Unicode letters, spaces, hyphens and apostrophes")
  void unicodeNames() {
    assertEquals("Zoë O'Brien-Łukasz", UserRules.name(" Zoë  O'Brien-Łukasz "));
    assertEquals("山田 太郎", UserRules.name("山田 太郎"));
    assertThrows(ApiException.class, () -> UserRules.name("R2D2"));
    assertThrows(ApiException.class, () -> UserRules.name("J"));
    assertThrows(ApiException.class, () -> UserRules.name("<script>"));
  }

  @Test
  @DisplayName("phones need 10-15 digits once separators are removed; blank means none")
  void phones() {
    assertEquals("+1 (234) 567-8901", UserRules.phone("+1 (234) 567-8901"));
    assertNull(UserRules.phone(" "));
    assertThrows(ApiException.class, () -> UserRules.phone("12345"));
    assertThrows(ApiException.class, () -> UserRules.phone("12345abcde12"));
  }

  @Test
  @DisplayName("only the five documented statuses are accepted")
  void statuses() {
    assertEquals("inmeeting", UserRules.status("inmeeting"));
    assertThrows(ApiException.class, () -> UserRules.status("sleeping"));
  }

  @Test
  @DisplayName("avatars must be http(s) URLs, and null or an empty string (the original profile page's none) clears one")
  void avatars() {
    assertEquals("https://example.com/a.png", UserRules.avatarUrl("https://example.com/a.png"));
    assertNull(UserRules.avatarUrl(""));
    assertNull(UserRules.avatarUrl(null));
    assertNull(UserRules.phone(""));
    assertNull(UserRules.statusMessage(""));
    assertThrows(ApiException.class, () -> UserRules.avatarUrl("javascript:alert(1)"));
  }

  @Test
  @DisplayName("e-mails are trimmed of the white space their schema allows around them, not of control characters")
  void emailTrimmedAsTheSchemaSays() {
    assertEquals("a@example.com", UserRules.email("\t a@example.com\r\n"));
    assertThrows(ApiException.class, () -> UserRules.email("\u0001a@example.com"));
    assertThrows(ApiException.class, () -> UserRules.email("a@example.com\u0000"));
  }

  @Test
  @DisplayName("status messages count characters as the schema's maxLength does (as given, in code points) and are trimmed")
  void statusMessages() {
    assertEquals("😀".repeat(200), UserRules.statusMessage("😀".repeat(200)));
    assertThrows(ApiException.class, () -> UserRules.statusMessage(" ".repeat(5) + "x".repeat(196)));
    assertEquals("In a meeting", UserRules.statusMessage("\t In a meeting \n"));
    assertEquals("\u0001x", UserRules.statusMessage("\u0001x"));
    assertNull(UserRules.statusMessage(" \t\r\n"));
  }

  @Test
  @DisplayName("usernames derive from the e-mail's local part with unsafe characters removed")
  void usernames() {
    assertEquals("john.doe", UserRules.usernameBase("John.Doe@example.com"));
    assertEquals("user", UserRules.usernameBase("+++@example.com"));
  }
}
