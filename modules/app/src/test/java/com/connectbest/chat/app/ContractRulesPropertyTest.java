package com.connectbest.chat.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.connectbest.chat.common.Addresses;
import com.connectbest.chat.common.ApiException;
import com.connectbest.chat.common.EnvelopeKeys;
import com.connectbest.chat.common.Principal;
import com.connectbest.chat.common.ServiceClient;
import com.connectbest.chat.common.ServiceRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.json.schema.Draft;
import io.vertx.json.schema.JsonSchema;
import io.vertx.json.schema.JsonSchemaOptions;
import io.vertx.json.schema.Validator;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Random values for each rule the contract states (from alphabets that mix what the rule allows with what it does
 * not: other scripts, white space of several kinds, control characters, punctuation), judged twice: by the contract's
 * schema, and by the owning service itself over the event bus (past the gateway, which would apply the schema). The
 * verdicts must agree on every value. Seeded, so a failure names a value that reproduces it.
 */
class ContractRulesPropertyTest {

  private static final int TRIES = 250;

  private static TestSystem system;
  private static ServiceClient services;
  private static Principal user;
  private static String channel;
  private static int registrations;

  @BeforeAll
  static void start() {
    system = new TestSystem(new JsonObject());
    services = new ServiceClient(system.vertx.eventBus())
        // as a gateway: services act only on principals signed with this process's key
        .signingWith(EnvelopeKeys.ephemeral().signing(), EnvelopeKeys.DEFAULT_TTL_SECONDS);
    JsonObject signedUp = system.signUp("property@example.com", "Prop Erty");
    user = new Principal(signedUp.getString("id"), "property@example.com", "Prop Erty", "user");
    channel = system.post("/api/chat/channels", signedUp.getString("token"),
            new JsonObject().put("name", "property-room").put("type", "public")).bodyAsJsonObject()
        .getJsonObject("channel").getString("id");
  }

  @AfterAll
  static void stop() {
    system.close();
  }

  private static Validator schema(JsonObject schema) {
    return Validator.create(JsonSchema.of(schema.copy()),
        new JsonSchemaOptions().setDraft(Draft.DRAFT202012).setBaseUri("app://"));
  }

  private static JsonObject component(String name) {
    return system.contract.contract.getRawContract().getJsonObject("components").getJsonObject("schemas")
        .getJsonObject(name);
  }

  /** True when the service accepts the request, false when it refuses it with a 400. */
  private static boolean accepted(String address, ServiceRequest request) {
    try {
      services.send(address, request).await();
      return true;
    } catch (ApiException e) {
      assertEquals(400, e.status(), request.action() + " " + request.body() + ": " + e.getMessage());
      return false;
    }
  }

  private static Supplier<String> strings(Random random, String alphabet, int minLength, int maxLength) {
    int[] codePoints = alphabet.codePoints().toArray();
    return () -> {
      StringBuilder text = new StringBuilder();
      int length = minLength + random.nextInt(maxLength - minLength + 1);
      for (int i = 0; i < length; i++) {
        text.appendCodePoint(codePoints[random.nextInt(codePoints.length)]);
      }
      return text.toString();
    };
  }

  private static void agree(String rule, Validator validator, Supplier<String> values,
                            Function<String, Boolean> server) {
    List<String> disagreements = new ArrayList<>();
    int valid = 0;
    for (int i = 0; i < TRIES; i++) {
      String value = values.get();
      boolean bySchema = validator.validate(value).getValid();
      boolean byServer = server.apply(value);
      valid += bySchema ? 1 : 0;
      if (bySchema != byServer) {
        disagreements.add(JsonObject.of("value", value, "schema", bySchema, "server", byServer).encode());
      }
    }
    assertEquals(List.of(), disagreements, rule + ": the contract and the server disagree");
    assertTrue(valid > TRIES / 10 && valid < TRIES * 9 / 10, rule + ": the generator must produce both kinds ("
        + valid + " of " + TRIES + " valid)");
  }

  private static boolean profile(String field, String value) {
    return accepted(Addresses.AUTH, new ServiceRequest("updateMyProfile", user, new JsonObject(), new JsonObject(),
        new JsonObject().put(field, value), null));
  }

  @Test
  @DisplayName("random names, phones, status messages and avatar URLs: the profile schema and the auth service agree on every one")
  void profileFields() {
    Random random = new Random(14);
    agree("name", schema(component("PersonName")),
        strings(random, "aaaZZéß李李 \t'-_.1\u0001\u00a0\u0301", 0, 6), value -> profile("name", value));
    agree("phone", schema(component("Phone")),
        strings(random, "0123456789012345678901234567890123456789 ()+-.\tx\u0001\u2003", 0, 18), value -> profile("phone", value));
    JsonObject avatar = component("UpdateProfileRequest").getJsonObject("properties").getJsonObject("avatar");
    String[] schemes = {"http://", "HTTPS://", "ftp://", "", " ", "http:/", "https://"};
    Supplier<String> tails = strings(random, "ab/.?#: \t\u0001\u00a0", 0, 6);
    JsonObject statusMessage = component("UpdateProfileRequest").getJsonObject("properties")
        .getJsonObject("status_message");
    Supplier<String> statusTails = strings(random, "ab 😀\t\n\u0001\u00a0", 0, 12);
    agree("status_message", schema(statusMessage), () -> " ".repeat(random.nextInt(4)) + "x".repeat(190)
        + statusTails.get(), value -> profile("status_message", value));
    agree("avatar", schema(avatar), () -> schemes[random.nextInt(schemes.length)] + tails.get(),
        value -> profile("avatar", value));
  }

  @Test
  @DisplayName("random passwords: the schema and registration agree on every one")
  void passwords() {
    Random random = new Random(17);
    agree("password", schema(component("NewPassword")), strings(random, "aZ1 äÄ\n!", 6, 12),
        value -> accepted(Addresses.AUTH, new ServiceRequest("register", null, new JsonObject(), new JsonObject(),
            new JsonObject().put("email", "pw" + registrations++ + "@example.com").put("password", value)
                .put("name", "Pass Word"), null)));
  }

  @Test
  @DisplayName("random message contents: the schema and the messages service agree on every one")
  void contents() {
    Random random = new Random(23);
    agree("content", schema(component("MessageContent")),
        strings(random, "  \t\n\u3000\u2003\u00a0\u001c\u0085\u200bx", 0, 3),
        value -> accepted(Addresses.MESSAGES, new ServiceRequest("sendMessage", user,
            new JsonObject().put("channelId", channel), new JsonObject(), new JsonObject().put("content", value),
            null)));
  }
}
