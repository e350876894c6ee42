package com.connectbest.chat.gateway;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The contract's {@code pattern}s with ECMA-262's meaning of a final {@code $}: the very end of the text. JSON Schema
 * patterns are ECMA-262 expressions, but the validators compile them with java.util.regex, whose {@code $} also
 * matches before a final line break, so {@code "abc\n"} passed {@code ^[a-z]+$} at the gateway and then got a 400
 * from the service (or a generated client refused what the gateway let through). A final {@code $} becomes
 * {@code \z}, which java.util.regex reads as ECMA-262 reads {@code $}.
 */
public final class ContractPatterns {

  private ContractPatterns() {
  }

  /** A copy of the contract (or of any schema) with every {@code pattern}'s final {@code $} made {@code \z}. */
  public static JsonObject ecma(JsonObject contract) {
    return (JsonObject) rewrite(contract.copy());
  }

  private static Object rewrite(Object value) {
    if (value instanceof JsonObject object) {
      for (String key : object.fieldNames()) {
        Object child = object.getValue(key);
        if ("pattern".equals(key) && child instanceof String pattern) {
          object.put(key, endAnchor(pattern));
        } else {
          rewrite(child);
        }
      }
    } else if (value instanceof JsonArray array) {
      array.forEach(ContractPatterns::rewrite);
    }
    return value;
  }

  /** The pattern with a final unescaped {@code $} replaced by {@code \z}. */
  static String endAnchor(String pattern) {
    if (!pattern.endsWith("$")) {
      return pattern;
    }
    int backslashes = 0;
    for (int i = pattern.length() - 2; i >= 0 && pattern.charAt(i) == '\\'; i--) {
      backslashes++;
    }
    return backslashes % 2 == 0 ? pattern.substring(0, pattern.length() - 1) + "\\z" : pattern;
  }
}
