package com.connectbest.chat.messages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;

import com.connectbest.chat.common.Addresses;
import com.connectbest.chat.common.ApiException;
import com.connectbest.chat.common.EnvelopeKeys;
import com.connectbest.chat.common.Principal;
import com.connectbest.chat.common.ServiceClient;
import com.connectbest.chat.common.ServiceReply;
import com.connectbest.chat.common.ServiceRequest;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Service-level harness: an embedded MongoDB, the messages verticle deployed on a fresh Vert.x per test, and
 * fake channels/auth services on the bus. Requests go over the bus exactly as the gateway sends them.
 */
@ExtendWith(VertxExtension.class)
abstract class MessagesTestBase {

  private static MongoServer mongoServer;

  protected Vertx vertx;
  protected ServiceClient client;
  protected FakeChannels channels;
  protected FakeAuth auth;
  private String deployment;
  /** The verticle's Mongo settings, for tests that look at storage directly. */
  protected JsonObject mongoConfig;

  @BeforeAll
  static void startMongo() {
    mongoServer = new MongoServer(new MemoryBackend());
    mongoServer.bind("127.0.0.1", 0);
  }

  @AfterAll
  static void stopMongo() {
    mongoServer.shutdownNow();
  }

  @BeforeEach
  void deploy(Vertx vertx) {
    this.vertx = vertx;
    channels = new FakeChannels(vertx);
    auth = new FakeAuth(vertx);
    client = new ServiceClient(vertx.eventBus())
        // as a gateway: the service acts only on principals signed with this process's key
        .signingWith(EnvelopeKeys.ephemeral().signing(), EnvelopeKeys.DEFAULT_TTL_SECONDS);
    JsonObject config = new JsonObject()
        .put("MONGODB_URI", "mongodb://127.0.0.1:" + mongoServer.getLocalAddress().getPort())
        .put("MONGODB_DB_NAME", "messages_" + UUID.randomUUID().toString().replace("-", ""));
    mongoConfig = new JsonObject().put("connection_string", config.getString("MONGODB_URI"))
        .put("db_name", config.getString("MONGODB_DB_NAME")).put("useObjectId", true);
    deployment = vertx.deployVerticle(new MessagesVerticle(), new DeploymentOptions().setConfig(config)).await();
  }

  /** Stops and starts the messages verticle again on the same database (what a restart finds at start). */
  protected void redeploy() {
    redeploy(new JsonObject());
  }

  /** {@link #redeploy()} with these settings added. */
  protected void redeploy(JsonObject settings) {
    stopService();
    startService(settings);
  }

  /**
   * Stops the verticle, then takes back its clean stop, as if its process had been killed: its run is left unclean
   * and no longer answers, so the run started next audits it.
   */
  protected void redeployAfterCrash(JsonObject settings) {
    stopService();
    io.vertx.ext.mongo.MongoClient mongo = io.vertx.ext.mongo.MongoClient.create(vertx, mongoConfig);
    try {
      mongo.updateCollectionWithOptions(CounterWriterRuns.RUNS, new JsonObject(),
          new JsonObject().put("$set", new JsonObject().put("clean", false)),
          new io.vertx.ext.mongo.UpdateOptions().setMulti(true)).await();
    } finally {
      mongo.close().await();
    }
    startService(settings);
  }

  /** Undeploys the verticle (a graceful stop). */
  protected void stopService() {
    vertx.undeploy(deployment).await();
    deployment = null;
  }

  /** Deploys the verticle again on the same database, with these settings added. */
  protected void startService(JsonObject settings) {
    JsonObject config = new JsonObject().put("MONGODB_URI", mongoConfig.getString("connection_string"))
        .put("MONGODB_DB_NAME", mongoConfig.getString("db_name")).mergeIn(settings);
    deployment = vertx.deployVerticle(new MessagesVerticle(), new DeploymentOptions().setConfig(config)).await();
  }

  /** Undeploys first, so that the Mongo client closes while the event loops still run. */
  @AfterEach
  void undeploy() {
    if (deployment != null) {
      vertx.undeploy(deployment).await();
    }
  }

  // ---- people and channels ----

  protected Principal user(String name) {
    String id = new ObjectId().toHexString();
    auth.put(id, name);
    return new Principal(id, name.toLowerCase() + "@example.com", name, "user");
  }

  protected Principal admin(String name) {
    Principal user = user(name);
    return new Principal(user.id(), user.email(), user.name(), Principal.ADMIN);
  }

  protected String channel(Principal... members) {
    String id = new ObjectId().toHexString();
    channels.create(id, "public", ids(members));
    return id;
  }

  protected static String[] ids(Principal... members) {
    return java.util.Arrays.stream(members).map(Principal::id).toArray(String[]::new);
  }

  // ---- requests ----

  protected Future<ServiceReply> request(String action, Principal caller, JsonObject path, JsonObject query,
                                         Object body) {
    return client.send(Addresses.MESSAGES, new ServiceRequest(action, caller, path == null ? new JsonObject() : path,
        query == null ? new JsonObject() : query, body, null));
  }

  protected JsonObject ok(String action, Principal caller, JsonObject path, JsonObject query, Object body) {
    ServiceReply reply = request(action, caller, path, query, body).await();
    assertEquals(200, reply.status(), action + " status");
    return (JsonObject) reply.body();
  }

  protected ApiException failure(String action, Principal caller, JsonObject path, JsonObject query, Object body) {
    try {
      ServiceReply reply = request(action, caller, path, query, body).await();
      return fail(action + " should have failed but answered " + reply.status() + " " + reply.body());
    } catch (ApiException e) {
      return e;
    }
  }

  protected static void assertFailure(ApiException error, int status, String message) {
    assertEquals(status, error.status(), "status of: " + error.getMessage());
    if (message != null) {
      assertEquals(message, error.getMessage());
    }
  }

  protected static JsonObject channelPath(String channelId) {
    return new JsonObject().put("channelId", channelId);
  }

  protected static JsonObject messagePath(String messageId) {
    return new JsonObject().put("messageId", messageId);
  }

  protected static JsonObject text(String content) {
    return new JsonObject().put("content", content);
  }

  /** Sends a message and returns its view. */
  protected JsonObject send(Principal author, String channelId, String content) {
    ServiceReply reply = request("sendMessage", author, channelPath(channelId), null, text(content)).await();
    assertEquals(201, reply.status());
    JsonObject message = ((JsonObject) reply.body()).getJsonObject("message");
    assertNotNull(message);
    return message;
  }

  protected JsonObject reply(Principal author, String parentId, String content) {
    ServiceReply reply = request("postReply", author, messagePath(parentId), null, text(content)).await();
    assertEquals(201, reply.status());
    return ((JsonObject) reply.body()).getJsonObject("reply");
  }

  protected List<JsonObject> list(Principal caller, String channelId, JsonObject query) {
    return objects(ok("listChannelMessages", caller, channelPath(channelId), query, null).getJsonArray("messages"));
  }

  protected JsonObject get(Principal caller, String messageId) {
    return ok("getMessage", caller, messagePath(messageId), null, null).getJsonObject("message");
  }

  protected void delete(Principal caller, String messageId) {
    assertEquals("Message deleted successfully",
        ok("deleteMessage", caller, messagePath(messageId), null, null).getString("message"));
  }

  protected static List<JsonObject> objects(JsonArray array) {
    return array.stream().map(JsonObject.class::cast).toList();
  }

  protected static List<String> contents(List<JsonObject> messages) {
    return messages.stream().map(message -> message.getString("content")).toList();
  }

  protected static List<String> idsOf(List<JsonObject> messages) {
    return messages.stream().map(message -> message.getString("id")).toList();
  }

  // ---- live events ----

  /** Collects what is published to a channel's browser address. */
  protected final class EventProbe {

    private final BlockingQueue<JsonObject> received = new LinkedBlockingQueue<>();

    EventProbe(String channelId) {
      MessageConsumer<JsonObject> consumer = vertx.eventBus().consumer(Addresses.channel(channelId),
          message -> received.add(message.body()));
      consumer.completion().await();
    }

    /** The next event, which must be of the given type. */
    JsonObject next(String type) {
      try {
        JsonObject event = received.poll(5, TimeUnit.SECONDS);
        assertNotNull(event, "no " + type + " event");
        assertEquals(type, event.getString("type"), "event " + event);
        return event;
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
    }

    /** Asserts nothing more arrives within a short while. */
    void none() {
      try {
        JsonObject event = received.poll(300, TimeUnit.MILLISECONDS);
        if (event != null) {
          fail("unexpected event " + event);
        }
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  protected EventProbe events(String channelId) {
    return new EventProbe(channelId);
  }
}
