package com.connectbest.chat.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.connectbest.chat.common.Addresses;
import com.connectbest.chat.common.InternalActions;
import io.vertx.core.eventbus.DeliveryContext;
import io.vertx.core.json.JsonObject;
import io.vertx.json.schema.Draft;
import io.vertx.json.schema.JsonSchema;
import io.vertx.json.schema.JsonSchemaOptions;
import io.vertx.json.schema.OutputFormat;
import io.vertx.json.schema.OutputUnit;
import io.vertx.json.schema.Validator;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * docs/asyncapi.yaml against the code and the running system: every address constant is documented, every
 * documented address exists, and every message a whole chat session puts on the bus validates against the schema
 * of its address (and, for internal actions, of its action).
 */
class AsyncApiContractTest {

  private static final Path DOCUMENT = Path.of("../../docs/asyncapi.yaml");
  /** Delivery headers of the upload protocol, not actions (docs/event-bus.md, "Upload sessions"). */
  private static final Set<String> NOT_ACTIONS = Set.of(InternalActions.UPLOAD_HEADER, InternalActions.UPLOAD_CHUNK,
      InternalActions.UPLOAD_COMPLETE, InternalActions.UPLOAD_ABORT);

  private static JsonObject asyncApi;
  private static TestSystem system;
  private static final ConcurrentLinkedQueue<Captured> traffic = new ConcurrentLinkedQueue<>();

  private record Captured(String address, String action, Object body) {
  }

  /** One documented channel: its address as a pattern, and its messages' payload schemas by name. */
  private record DocumentedChannel(String name, String address, Pattern pattern, Map<String, JsonObject> payloads) {
  }

  @BeforeAll
  static void start() throws IOException {
    try (InputStream in = Files.newInputStream(DOCUMENT)) {
      Map<String, Object> yaml = new Yaml(new LoaderOptions()).load(in);
      asyncApi = new JsonObject(yaml);
    }
    system = new TestSystem(new JsonObject());
    system.vertx.eventBus().addOutboundInterceptor(AsyncApiContractTest::capture);
  }

  @AfterAll
  static void stop() {
    system.close();
  }

  private static void capture(DeliveryContext<Object> context) {
    String address = context.message().address();
    if (!address.startsWith("__vertx.")) {
      traffic.add(new Captured(address, context.message().headers().get("action"), context.body()));
    }
    context.next();
  }

  @Test
  @DisplayName("every event-bus address and internal action defined in common is documented, and nothing else is")
  void addressesMatchTheCode() throws IllegalAccessException {
    List<DocumentedChannel> channels = channels();
    Set<String> documented = new TreeSet<>();
    channels.forEach(channel -> documented.add(channel.address()));
    Set<String> inCode = new TreeSet<>();
    for (String value : constants(Addresses.class)) {
      if (value.startsWith("service.") || value.startsWith("events.") || value.startsWith("local.")
          || value.startsWith("bot.")) {
        inCode.add(value);
      }
    }
    inCode.add(Addresses.channel("{channelId}"));
    inCode.add(Addresses.user("{userId}"));
    inCode.add(Addresses.messagesRun("{runId}"));
    Set<String> documentedFixed = new TreeSet<>(documented);
    documentedFixed.removeIf(address -> address.startsWith("service.uploads.session."));
    assertEquals(inCode, documentedFixed, "addresses in Addresses vs docs/asyncapi.yaml");

    Set<String> actions = new TreeSet<>();
    channels.forEach(channel -> actions.addAll(channel.payloads().keySet()));
    for (String action : constants(InternalActions.class)) {
      if (!NOT_ACTIONS.contains(action)) {
        assertTrue(actions.contains(action), "internal action " + action + " is not documented");
      }
    }
  }

  @Test
  @DisplayName("every message of a whole chat session lands on a documented address and validates against its schema")
  void trafficValidates() {
    JsonObject ann = system.signUp("ann.asyncapi@example.com", "Ann Async");
    JsonObject bob = system.signUp("bob.asyncapi@example.com", "Bob Async");
    String annToken = ann.getString("token");
    String bobToken = bob.getString("token");
    String channel = system.post("/api/chat/channels", annToken, new JsonObject().put("name", "asyncapi-team"))
        .bodyAsJsonObject().getJsonObject("channel").getString("id");
    system.post("/api/chat/channels/" + channel + "/members", annToken, new JsonObject().put("user_id",
        bob.getString("id")));
    JsonObject sent = system.post("/api/chat/channels/" + channel + "/messages/send", annToken,
        new JsonObject().put("content", "hello")).bodyAsJsonObject().getJsonObject("message");
    String messageId = sent.getString("id");
    system.post("/api/chat/messages/" + messageId + "/replies", bobToken, new JsonObject().put("content", "a reply"));
    system.put("/api/chat/messages/" + messageId, annToken, new JsonObject().put("content", "hello!"));
    system.post("/api/chat/channels/" + channel + "/messages/" + messageId + "/reactions", bobToken,
        new JsonObject().put("emoji", "👍"));
    system.call(system.http.request(io.vertx.core.http.HttpMethod.DELETE, system.port, "127.0.0.1",
            "/api/chat/channels/" + channel + "/messages/" + messageId + "/reactions"), bobToken,
        new JsonObject().put("emoji", "👍"));
    system.post("/api/chat/channels/" + channel + "/typing", bobToken, new JsonObject().put("typing", true));
    system.post("/api/chat/channels/" + channel + "/read", bobToken, new JsonObject());
    system.post("/api/chat/messages/" + messageId + "/pin", annToken, new JsonObject());
    system.post("/api/dm/users/" + bob.getString("id") + "/messages", annToken, new JsonObject().put("content", "psst"));
    system.get("/api/chat/channels", bobToken);
    system.get("/api/chat/channels/" + channel + "/messages", bobToken);
    system.delete("/api/chat/messages/" + messageId, annToken);
    system.delete("/api/chat/channels/" + channel + "/members/" + bob.getString("id"), annToken);
    system.post("/api/auth/logout", bobToken, new JsonObject());

    List<DocumentedChannel> documented = channels();
    Map<String, Validator> validators = new LinkedHashMap<>();
    List<String> problems = new ArrayList<>();
    Set<String> seenTypes = new TreeSet<>();
    int checked = 0;
    for (Captured message : traffic) {
      DocumentedChannel target = documented.stream().filter(c -> c.pattern().matcher(message.address()).matches())
          .findFirst().orElse(null);
      if (target == null) {
        problems.add("undocumented address " + message.address());
        continue;
      }
      if (!(message.body() instanceof JsonObject body)) {
        continue; // upload chunks are Buffers
      }
      JsonObject payload = payloadFor(target, message.action());
      if (payload == null) {
        continue; // an operationId: its body is the ServiceRequest envelope, validated below
      }
      Validator validator = validators.computeIfAbsent(target.name() + "/" + message.action(), key -> validator(
          payload));
      OutputUnit result = validator.validate(body);
      checked++;
      if (body.getValue("type") instanceof String type) {
        seenTypes.add(type);
      }
      if (!result.getValid()) {
        problems.add(message.address() + " " + message.action() + ": " + result.getErrors() + " in " + body);
      }
    }
    assertTrue(problems.isEmpty(), String.join("\n", problems));
    assertTrue(checked > 20, "too little traffic was checked: " + checked);
    assertTrue(seenTypes.containsAll(Set.of("new_message", "thread_reply", "message_updated", "reaction_added",
        "reaction_removed", "typing", "read", "message_pinned", "message_deleted", "member_left")),
        "event types seen: " + seenTypes);
  }

  /** The payload schema for an action on a service address, or the address's only event schema. */
  private static JsonObject payloadFor(DocumentedChannel channel, String action) {
    if (channel.address().startsWith("service.") && !channel.address().startsWith("service.uploads.session.")) {
      return action != null && channel.payloads().containsKey(action) ? channel.payloads().get(action)
          : channel.payloads().get("request");
    }
    return channel.payloads().values().stream().findFirst().orElse(null);
  }

  /** A validator whose local references resolve against the whole document's components. */
  private static Validator validator(JsonObject payload) {
    JsonObject schema = payload.copy().put("components", asyncApi.getJsonObject("components"));
    return Validator.create(JsonSchema.of(schema),
        new JsonSchemaOptions().setDraft(Draft.DRAFT202012).setOutputFormat(OutputFormat.Basic).setBaseUri("https://connectbest.example/asyncapi"));
  }

  private static List<DocumentedChannel> channels() {
    List<DocumentedChannel> list = new ArrayList<>();
    JsonObject messages = asyncApi.getJsonObject("components").getJsonObject("messages");
    asyncApi.getJsonObject("channels").forEach(entry -> {
      JsonObject channel = (JsonObject) entry.getValue();
      String address = channel.getString("address");
      Map<String, JsonObject> payloads = new LinkedHashMap<>();
      channel.getJsonObject("messages", new JsonObject()).forEach(m -> {
        String ref = ((JsonObject) m.getValue()).getString("$ref");
        JsonObject message = messages.getJsonObject(ref.substring(ref.lastIndexOf('/') + 1));
        payloads.put(m.getKey(), message.getJsonObject("payload"));
      });
      String regex = Pattern.quote(address).replaceAll("\\{[A-Za-z]+}", "\\\\E[A-Za-z0-9_-]+\\\\Q");
      list.add(new DocumentedChannel(entry.getKey(), address, Pattern.compile(regex), payloads));
    });
    return list;
  }

  private static List<String> constants(Class<?> type) throws IllegalAccessException {
    List<String> values = new ArrayList<>();
    for (Field field : type.getDeclaredFields()) {
      int modifiers = field.getModifiers();
      if (Modifier.isPublic(modifiers) && Modifier.isStatic(modifiers) && field.getType() == String.class) {
        values.add((String) field.get(null));
      }
    }
    return values;
  }
}
