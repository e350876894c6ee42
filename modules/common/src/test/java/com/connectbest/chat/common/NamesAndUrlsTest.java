package com.connectbest.chat.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The short-name and URL rules, which the contract's ShortName and OptionalHttpUrl schemas state as well. */
class NamesAndUrlsTest {

  @Test
  @DisplayName("names count characters as given (code points), trim space, tabs and line breaks, and refuse blanks")
  void names() {
    assertEquals("CI bot", Names.required("\t CI bot \n", "name", 64));
    assertEquals("😀".repeat(64), Names.required("😀".repeat(64), "name", 64));
    assertEquals("\u00a0", Names.required("\u00a0", "name", 64), "not white space the contract names");
    assertThrows(ApiException.class, () -> Names.required(" ".repeat(3) + "x".repeat(62), "name", 64));
    assertThrows(ApiException.class, () -> Names.required(" \t\r\n", "name", 64));
    assertThrows(ApiException.class, () -> Names.required(7, "name", 64));
  }

  @Test
  @DisplayName("URLs are http(s) with a host, in any case, trimmed; no spaces, controls or never-valid characters")
  void urls() {
    assertEquals("HTTPS://example.com/a.png?x=1#f", HttpUrls.optional(" HTTPS://example.com/a.png?x=1#f\n", "icon_url"));
    assertEquals("http://127.0.0.1:8080", HttpUrls.optional("http://127.0.0.1:8080", "icon_url"));
    assertNull(HttpUrls.optional(null, "icon_url"));
    for (String bad : new String[] {"", " ", "javascript:alert(1)", "https://", "https:///path", "https://a b",
        "https://a/\u0001", "https://a/<script>", "ftp://a", "data:text/html,x", "https://a/" + "x".repeat(2040)}) {
      assertThrows(ApiException.class, () -> HttpUrls.optional(bad, "icon_url"), bad);
    }
  }
}
