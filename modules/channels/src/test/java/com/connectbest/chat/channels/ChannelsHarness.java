package com.connectbest.chat.channels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.connectbest.chat.common.Addresses;
import com.connectbest.chat.common.ApiException;
import com.connectbest.chat.common.EnvelopeKeys;
import com.connectbest.chat.common.InternalActions;
import com.connectbest.chat.common.Principal;
import com.connectbest.chat.common.ServiceClient;
import com.connectbest.chat.common.ServiceReply;
import com.connectbest.chat.common.ServiceRequest;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import io.vertx.core.AsyncResult;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/**
 * The channels verticle on an in-memory MongoDB, with fake auth and messages services on the bus: auth knows the
 * users in {@link #users}, messages answers {@code channelActivity} from {@link #activity} and records requests.
 */
final class ChannelsHarness {

  static final Principal ALICE = new Principal("507f1f77bcf86cd799439011", "alice@example.com", "Alice", "user");
  static final Principal BOB = new Principal("507f1f77bcf86cd799439012", "bob@example.com", "Bob", "user");
  static final Principal CAROL = new Principal("507f1f77bcf86cd799439013", "carol@example.com", "Carol", "user");
  static final Principal ADMIN = new Principal("507f1f77bcf86cd799439014", "root@example.com", "Root", "admin");
  /** A well-formed id of nobody. */
  static final String GHOST = "507f1f77bcf86cd7994390ff";
  static final String UNKNOWN_CHANNEL = "65a000000000000000000001";

  final Vertx vertx;
  final MongoServer server;
  final ServiceClient client;
  final MongoClient mongo;
  final Map<String, JsonObject> users = new HashMap<>();
  final Map<String, JsonObject> activity = new HashMap<>();
  final List<JsonObject> activityRequests = new CopyOnWriteArrayList<>();
  final List<JsonObject> lookupRequests = new CopyOnWriteArrayList<>();
  /** The {@code readMarked} notices the fake messages service received. */
  final List<JsonObject> readNotices = new CopyOnWriteArrayList<>();
  private MessageConsumer<JsonObject> messagesConsumer;
  private String deploymentId;

  ChannelsHarness(Vertx vertx) {
    this.vertx = vertx;
    server = new MongoServer(new MemoryBackend());
    server.bind("127.0.0.1", 0);
    client = new ServiceClient(vertx.eventBus(), 5_000)
        // as a gateway: the service acts only on principals signed with this process's key
        .signingWith(EnvelopeKeys.ephemeral().signing(), EnvelopeKeys.DEFAULT_TTL_SECONDS);
    mongo = MongoClient.create(vertx, new JsonObject().put("connection_string", uri()).put("db_name", "chat")
        .put("useObjectId", true));
    for (Principal user : List.of(ALICE, BOB, CAROL, ADMIN)) {
      users.put(user.id(), new JsonObject().put("id", user.id()).put("name", user.name()).put("email", user.email())
          .put("role", user.role()));
    }
    fakeAuth();
    fakeMessages();
  }

  String uri() {
    return "mongodb://127.0.0.1:" + server.getLocalAddress().getPort();
  }

  ChannelsHarness deploy(JsonObject extraConfig) {
    JsonObject config = new JsonObject().put("MONGODB_URI", uri()).put("MONGODB_DB_NAME", "chat")
        .put("SERVICE_TIMEOUT_MS", 2_000).mergeIn(extraConfig);
    deploymentId = vertx.deployVerticle(new ChannelsVerticle(), new DeploymentOptions().setConfig(config)).await();
    return this;
  }

  ChannelsHarness deploy() {
    return deploy(new JsonObject());
  }

  void undeploy() {
    vertx.undeploy(deploymentId).await();
  }

  void close() {
    server.shutdownNow();
  }

  void stopMessagesService() {
    messagesConsumer.unregister().await();
  }

  private void fakeAuth() {
    vertx.eventBus().<JsonObject>consumer(Addresses.AUTH, message -> {
      JsonObject body = message.body().getJsonObject("body", new JsonObject());
      if (!InternalActions.LOOKUP_USERS.equals(message.headers().get(ServiceRequest.ACTION_HEADER))) {
        message.fail(501, ApiException.notImplemented("fake").toJson().encode());
        return;
      }
      lookupRequests.add(body);
      JsonArray found = new JsonArray();
      body.getJsonArray("user_ids", new JsonArray()).forEach(id -> {
        if (users.containsKey(id)) {
          found.add(users.get(id));
        }
      });
      message.reply(ServiceReply.ok(new JsonObject().put("users", found)).toJson());
    });
  }

  private final java.util.concurrent.atomic.AtomicLong appended = new java.util.concurrent.atomic.AtomicLong();

  private void fakeMessages() {
    messagesConsumer = vertx.eventBus().consumer(Addresses.MESSAGES, message -> {
      JsonObject body = message.body().getJsonObject("body", new JsonObject());
      if (InternalActions.READ_MARKED.equals(message.headers().get(ServiceRequest.ACTION_HEADER))) {
        readNotices.add(body);
        message.reply(ServiceReply.ok(new JsonObject()).toJson());
        return;
      }
      if (InternalActions.APPEND_CHANNEL_EVENT.equals(message.headers().get(ServiceRequest.ACTION_HEADER))) {
        // What the messages service does with a channel event: number it and publish it on the channel address.
        vertx.eventBus().publish(Addresses.channel(body.getString("channelId")),
            body.copy().put("seq", appended.incrementAndGet()));
        message.reply(ServiceReply.ok(new JsonObject()).toJson());
        return;
      }
      if (InternalActions.APPEND_USER_EVENT.equals(message.headers().get(ServiceRequest.ACTION_HEADER))) {
        body.getJsonArray("user_ids").forEach(id -> vertx.eventBus().publish(Addresses.user((String) id),
            body.getJsonObject("event").copy().put("seq", appended.incrementAndGet())));
        message.reply(ServiceReply.ok(new JsonObject()).toJson());
        return;
      }
      activityRequests.add(body);
      JsonObject answer = new JsonObject();
      body.getJsonArray("channels", new JsonArray()).forEach(entry -> {
        String id = ((JsonObject) entry).getString("channel_id");
        if (activity.containsKey(id)) {
          answer.put(id, activity.get(id));
        }
      });
      message.reply(ServiceReply.ok(new JsonObject().put("activity", answer)).toJson());
    });
  }

  Future<ServiceReply> send(String action, Principal caller, JsonObject path, Object body) {
    return client.send(Addresses.CHANNELS, new ServiceRequest(action, caller, path, new JsonObject(), body, null));
  }

  /** The reply body of a call expected to succeed with the given status. */
  JsonObject ok(int status, String action, Principal caller, JsonObject path, Object body) {
    ServiceReply reply = send(action, caller, path, body).await();
    assertEquals(status, reply.status(), action);
    return (JsonObject) reply.body();
  }

  JsonObject ok(String action, Principal caller, JsonObject path, Object body) {
    return ok(200, action, caller, path, body);
  }

  /** The failure of a call expected to fail with the given status and message. */
  ApiException fails(int status, String message, String action, Principal caller, JsonObject path, Object body) {
    ApiException error = failure(send(action, caller, path, body));
    assertEquals(status, error.status(), action + ": " + error.getMessage());
    if (message != null) {
      assertEquals(message, error.getMessage());
    }
    return error;
  }

  static <T> ApiException failure(Future<T> future) {
    AsyncResult<T> outcome = future.transform(done -> Future.succeededFuture(done)).await();
    if (outcome.succeeded()) {
      fail("expected a failure, got " + outcome.result());
    }
    assertTrue(outcome.cause() instanceof ApiException, String.valueOf(outcome.cause()));
    return (ApiException) outcome.cause();
  }

  JsonObject internal(String action, JsonObject payload) {
    return client.call(Addresses.CHANNELS, action, payload).await();
  }

  static JsonObject channelPath(String channelId) {
    return new JsonObject().put("channelId", channelId);
  }

  static JsonObject memberPath(String channelId, String userId) {
    return new JsonObject().put("channelId", channelId).put("userId", userId);
  }

  String create(Principal caller, String name, String type) {
    JsonObject body = new JsonObject().put("name", name);
    if (type != null) {
      body.put("type", type);
    }
    return ok(201, "createChannel", caller, new JsonObject(), body).getJsonObject("channel").getString("id");
  }

  void join(Principal caller, String channelId) {
    ok("joinChannel", caller, channelPath(channelId), null);
  }

  void add(Principal caller, String channelId, String userId) {
    ok("addChannelMember", caller, channelPath(channelId), new JsonObject().put("user_id", userId));
  }

  /** Marks the channel read for the caller; resolves to the stored read position (ISO-8601). */
  String markRead(Principal caller, String channelId) {
    return ok("markChannelRead", caller, channelPath(channelId), null).getJsonObject("data").getString("last_read_at");
  }

  long count(String collection, JsonObject query) {
    return mongo.count(collection, query).await();
  }

  String dm(Principal a, Principal b) {
    return internal(InternalActions.ENSURE_DM_CHANNEL,
        new JsonObject().put("user_ids", new JsonArray().add(a.id()).add(b.id()))).getString("channel_id");
  }

  /** Records what is published on an address. */
  Recorder listen(String address) {
    Recorder recorder = new Recorder();
    vertx.eventBus().<JsonObject>consumer(address, message -> recorder.received.add(message.body()))
        .completion().await();
    return recorder;
  }

  static final class Recorder {

    final List<JsonObject> received = new CopyOnWriteArrayList<>();

    /** Waits up to 3 s for a message matching the predicate. */
    JsonObject await(Predicate<JsonObject> match) {
      long deadline = System.currentTimeMillis() + 3_000;
      while (System.currentTimeMillis() < deadline) {
        for (JsonObject message : received) {
          if (match.test(message)) {
            return message;
          }
        }
        sleep(10);
      }
      throw new AssertionError("no matching message; received " + received);
    }

    /** Asserts that nothing matching arrives within the given time. */
    void none(Predicate<JsonObject> match, long millis) {
      sleep(millis);
      for (JsonObject message : received) {
        if (match.test(message)) {
          throw new AssertionError("unexpected message " + message);
        }
      }
    }
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
