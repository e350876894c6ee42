package com.connectbest.chat.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import io.vertx.json.schema.Draft;
import io.vertx.json.schema.JsonSchema;
import io.vertx.json.schema.JsonSchemaOptions;
import io.vertx.json.schema.Validator;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** A final $ in the contract's patterns means the end of the text, as in ECMA-262. */
class ContractPatternsTest {

  private static boolean valid(JsonObject schema, String value) {
    return Validator.create(JsonSchema.of(schema), new JsonSchemaOptions().setDraft(Draft.DRAFT202012)
        .setBaseUri("app://")).validate(value).getValid();
  }

  @Test
  @DisplayName("a trailing line break no longer passes a pattern ending in $, as it did with java.util.regex")
  void finalDollarIsTheEnd() {
    JsonObject schema = new JsonObject().put("type", "string").put("pattern", "^[!-~]+$");
    assertTrue(valid(schema, "abc\n"), "the library's own reading, the reason for the rewrite");
    JsonObject ecma = ContractPatterns.ecma(new JsonObject().put("properties", new JsonObject().put("key", schema)))
        .getJsonObject("properties").getJsonObject("key");
    assertFalse(valid(ecma, "abc\n"));
    assertFalse(valid(ecma, "abc\r\n"));
    assertTrue(valid(ecma, "abc"));
    assertEquals("^[!-~]+$", schema.getString("pattern"), "the original is left alone");
  }

  @Test
  @DisplayName("only a final, unescaped $ is rewritten")
  void onlyFinalAnchor() {
    assertEquals("^a\\z", ContractPatterns.endAnchor("^a$"));
    assertEquals("^a\\$", ContractPatterns.endAnchor("^a\\$"));
    assertEquals("^a\\\\\\z", ContractPatterns.endAnchor("^a\\\\$"));
    assertEquals("[^ ]", ContractPatterns.endAnchor("[^ ]"));
  }
}
