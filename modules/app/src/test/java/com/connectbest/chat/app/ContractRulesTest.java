package com.connectbest.chat.app;

import static com.connectbest.chat.app.AuthAndUsersTest.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.json.schema.Draft;
import io.vertx.json.schema.JsonSchema;
import io.vertx.json.schema.JsonSchemaOptions;
import io.vertx.json.schema.Validator;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The rules the server enforces are in the contract: a value the contract's schema accepts is accepted by the
 * server, and a value the server refuses for one of these rules is refused by the schema already, so a client
 * generated from openapi.yaml validates as the server does.
 */
class ContractRulesTest {

  private static TestSystem system;
  private static JsonObject user;
  private static String channel;

  @BeforeAll
  static void start() {
    system = new TestSystem(new JsonObject());
    user = system.signUp("rules@example.com", "Rule Keeper");
    channel = system.post("/api/chat/channels", user.getString("token"),
            new JsonObject().put("name", "rules-room").put("type", "public")).bodyAsJsonObject()
        .getJsonObject("channel").getString("id");
  }

  @AfterAll
  static void stop() {
    system.close();
  }

  private static Validator schema(String name) {
    JsonObject schema = system.contract.contract.getRawContract().getJsonObject("components")
        .getJsonObject("schemas").getJsonObject(name);
    return Validator.create(JsonSchema.of(schema.copy()),
        new JsonSchemaOptions().setDraft(Draft.DRAFT202012).setBaseUri("app://"));
  }

  private static Validator profileProperty(String name) {
    JsonObject schema = system.contract.contract.getRawContract().getJsonObject("components")
        .getJsonObject("schemas").getJsonObject("UpdateProfileRequest").getJsonObject("properties")
        .getJsonObject(name);
    return Validator.create(JsonSchema.of(schema.copy()),
        new JsonSchemaOptions().setDraft(Draft.DRAFT202012).setBaseUri("app://"));
  }

  private static void check(Validator validator, List<Object> valid, List<Object> invalid) {
    valid.forEach(value -> assertTrue(validator.validate(value).getValid(), "the contract must accept " + value));
    invalid.forEach(value -> assertFalse(validator.validate(value).getValid(), "the contract must refuse " + value));
  }

  private static HttpResponse<Buffer> profile(String field, Object value) {
    return system.put("/api/users/me", user.getString("token"), new JsonObject().put(field, value));
  }

  @Test
  @DisplayName("password complexity is schema: what the schema accepts registers, what the server refuses it refuses")
  void passwords() {
    List<Object> valid = List.of("SecurePass123", "Äbcdefg1", "aB3 with spaces", "x".repeat(125) + "Aa1");
    List<Object> invalid = List.of("Short1A", "alllowercase1", "ALLUPPERCASE1", "NoDigitsHere", "x".repeat(126) + "Aa1");
    check(schema("NewPassword"), valid, invalid);
    int i = 0;
    for (Object password : valid) {
      HttpResponse<Buffer> registered = system.post("/api/auth/register", null, new JsonObject()
          .put("email", "pw" + i++ + "@example.com").put("password", password).put("name", "Pass Word"));
      assertEquals(201, registered.statusCode(), password + ": " + registered.bodyAsString());
    }
    for (Object password : invalid) {
      assertError(system.post("/api/auth/register", null, new JsonObject().put("email", "bad@example.com")
          .put("password", password).put("name", "Pass Word")), 400);
    }
  }

  @Test
  @DisplayName("name characters, phone format and the avatar URL are schema, and agree with the server")
  void profileFields() {
    List<Object> names = List.of("Ann Lee", "José O'Brien-Smith", "李小龙", "  Zoë   Ann  ");
    check(schema("PersonName"), names, List.of("A1", "Robert'); DROP", "-Ann", "Ann_Lee", "'Ann"));
    names.forEach(name -> assertEquals(200, profile("name", name).statusCode(), String.valueOf(name)));
    assertError(profile("name", "Ann_Lee"), 400);

    List<Object> phones = Arrays.asList("+1 (555) 123-4567", "5551234567", "", "   ", null);
    check(schema("Phone"), phones, List.of("123", "1234567890123456", "555-CALL-NOW-1", "555.123.4567"));
    phones.forEach(phone -> assertEquals(200, profile("phone", phone).statusCode(), String.valueOf(phone)));
    assertError(profile("phone", "555.123.4567"), 400);

    List<Object> avatars = Arrays.asList("https://x.example/a.png", " HTTP://X.EXAMPLE/a ", "", null);
    check(profileProperty("avatar"), avatars, List.of("javascript:alert(1)", "ftp://x.example/a", "http://",
        "https://x.example/a b"));
    avatars.forEach(avatar -> assertEquals(200, profile("avatar", avatar).statusCode(), String.valueOf(avatar)));
    assertError(profile("avatar", "ftp://x.example/a"), 400);
  }

  @Test
  @DisplayName("message content must be non-blank after trimming, in the schema as on the server")
  void content() {
    List<Object> valid = List.of("hi", "  x  ", "\u00a0", "👍");
    List<Object> invalid = List.of("", "   ", "\t\n", "\u3000\u2003");
    check(schema("MessageContent"), valid, invalid);
    for (Object content : valid) {
      assertEquals(201, system.post("/api/chat/channels/" + channel + "/messages/send", user.getString("token"),
          new JsonObject().put("content", content)).statusCode(), "'" + content + "'");
    }
    for (Object content : invalid) {
      assertError(system.post("/api/chat/channels/" + channel + "/messages/send", user.getString("token"),
          new JsonObject().put("content", content)), 400);
    }
  }
}
