package com.connectbest.chat.messages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.connectbest.chat.common.Addresses;
import com.connectbest.chat.common.ApiException;
import com.connectbest.chat.common.ErrorCode;
import com.connectbest.chat.common.IdempotencyKey;
import com.connectbest.chat.common.MongoDocs;
import com.connectbest.chat.common.Principal;
import com.connectbest.chat.common.ServiceReply;
import com.connectbest.chat.common.ServiceRequest;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Sends with a client key (Idempotency-Key header or client_message_id) store, count and publish once. */
class IdempotentSendsTest extends MessagesTestBase {

  private MongoClient mongo;

  @BeforeEach
  void connect() {
    mongo = MongoClient.create(vertx, mongoConfig);
  }

  @AfterEach
  void disconnect() {
    mongo.close().await();
  }

  /** A request as the gateway sends it with an {@code Idempotency-Key} header. */
  private Future<ServiceReply> keyed(String action, Principal caller, JsonObject path, JsonObject body, String key) {
    return client.send(Addresses.MESSAGES, new ServiceRequest(action, caller, path, new JsonObject(), body, null, key));
  }

  private static JsonObject message(ServiceReply reply, String field) {
    assertEquals(201, reply.status());
    return ((JsonObject) reply.body()).getJsonObject(field);
  }

  private static boolean replayed(ServiceReply reply) {
    return reply.headers() != null && "true".equals(reply.headers().getString(IdempotencyKey.REPLAYED_HEADER));
  }

  private long stored(String channelId) {
    return mongo.count(MessageStore.MESSAGES, new JsonObject().put("channel_id", channelId)).await();
  }

  @Test
  @DisplayName("the same key sent twice answers the same message id, stores one message and publishes one event")
  void sameKeyTwice() {
    Principal ann = user("Ann");
    String general = channel(ann);
    EventProbe events = events(general);

    ServiceReply first = keyed("sendMessage", ann, channelPath(general), text("hello"), "key-1").await();
    ServiceReply second = keyed("sendMessage", ann, channelPath(general), text("hello"), "key-1").await();

    assertEquals(message(first, "message").getString("id"), message(second, "message").getString("id"));
    assertEquals(false, replayed(first));
    assertEquals(true, replayed(second));
    assertEquals(1, stored(general));
    events.next("new_message");
    events.none();
  }

  @Test
  @DisplayName("client_message_id in the body alone is the key, and equal to the header it is accepted too")
  void bodyKey() {
    Principal ann = user("Ann");
    String general = channel(ann);
    JsonObject body = text("hello").put(IdempotencyKey.BODY_FIELD, "abc");

    String first = message(keyed("sendMessage", ann, channelPath(general), body, null).await(), "message")
        .getString("id");
    ServiceReply both = keyed("sendMessage", ann, channelPath(general), body, "abc").await();

    assertEquals(first, message(both, "message").getString("id"));
    assertEquals(true, replayed(both));
    assertEquals(1, stored(general));
  }

  @Test
  @DisplayName("a thread reply sent twice with one key is stored once and bumps the reply count once")
  void replyOnce() {
    Principal ann = user("Ann");
    String general = channel(ann);
    String rootId = send(ann, general, "root").getString("id");
    EventProbe events = events(general);

    String first = message(keyed("postReply", ann, messagePath(rootId), text("re"), "r-1").await(), "reply")
        .getString("id");
    String second = message(keyed("postReply", ann, messagePath(rootId), text("re"), "r-1").await(), "reply")
        .getString("id");

    assertEquals(first, second);
    assertEquals(1, get(ann, rootId).getInteger("reply_count"));
    assertEquals(1, events.next("thread_reply").getInteger("reply_count"));
    events.none();
  }

  @Test
  @DisplayName("twenty concurrent sends with one key store exactly one message and all answer its id")
  void concurrentRetries() {
    Principal ann = user("Ann");
    String general = channel(ann);
    EventProbe events = events(general);

    List<Future<ServiceReply>> replies = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      replies.add(keyed("sendMessage", ann, channelPath(general), text("once"), "burst"));
    }
    Future.all(replies).await();

    Set<String> ids = replies.stream().map(reply -> message(reply.result(), "message").getString("id"))
        .collect(Collectors.toSet());
    assertEquals(1, ids.size(), "ids " + ids);
    assertEquals(1, stored(general));
    assertEquals(19, replies.stream().filter(reply -> replayed(reply.result())).count());
    events.next("new_message");
    events.none();
  }

  @Test
  @DisplayName("two users sending with the same key each get their own message")
  void keysArePerUser() {
    Principal ann = user("Ann");
    Principal bob = user("Bob");
    String general = channel(ann, bob);

    String anns = message(keyed("sendMessage", ann, channelPath(general), text("a"), "shared").await(), "message")
        .getString("id");
    String bobs = message(keyed("sendMessage", bob, channelPath(general), text("b"), "shared").await(), "message")
        .getString("id");

    assertNotEquals(anns, bobs);
    assertEquals(2, stored(general));
  }

  @Test
  @DisplayName("a key first used more than 24 hours ago sends a new message, which the key then names")
  void keyExpires() {
    Principal ann = user("Ann");
    String general = channel(ann);
    String old = message(keyed("sendMessage", ann, channelPath(general), text("day one"), "daily").await(), "message")
        .getString("id");
    // As if it was sent 25 hours ago: the key's age is its message's created_at.
    Instant dayAgo = Instant.now().minus(Duration.ofHours(25));
    mongo.updateCollection(MessageStore.MESSAGES, MongoDocs.byId(old),
        new JsonObject().put("$set", new JsonObject().put("created_at", MongoDocs.date(dayAgo)))).await();
    EventProbe events = events(general);

    ServiceReply fresh = keyed("sendMessage", ann, channelPath(general), text("day two"), "daily").await();
    ServiceReply again = keyed("sendMessage", ann, channelPath(general), text("day two"), "daily").await();

    String freshId = message(fresh, "message").getString("id");
    assertNotEquals(old, freshId);
    assertEquals(false, replayed(fresh));
    assertEquals(freshId, message(again, "message").getString("id"));
    assertEquals(2, stored(general));
    assertNull(mongo.findOne(MessageStore.MESSAGES, MongoDocs.byId(old), null).await().getValue("client_key"),
        "the old message no longer holds the key");
    events.next("new_message");
    events.none();
  }

  @Test
  @DisplayName("a header and a body key that differ, or a malformed key, are a 400 and store nothing")
  void invalidKeys() {
    Principal ann = user("Ann");
    String general = channel(ann);
    JsonObject mismatched = text("hi").put(IdempotencyKey.BODY_FIELD, "body-key");

    for (Future<ServiceReply> refused : List.of(
        keyed("sendMessage", ann, channelPath(general), mismatched, "header-key"),
        keyed("sendMessage", ann, channelPath(general), text("hi"), "x".repeat(129)),
        keyed("sendMessage", ann, channelPath(general), text("hi"), "has space"),
        keyed("sendMessage", ann, channelPath(general), text("hi").put(IdempotencyKey.BODY_FIELD, 42), null))) {
      ApiException error = refused.map(reply -> (ApiException) null).otherwise(e -> (ApiException) e).await();
      assertEquals(400, error == null ? 201 : error.status());
      assertEquals(ErrorCode.VALIDATION_ERROR, error.code());
    }
    assertEquals(0, stored(general));
  }

  @Test
  @DisplayName("a key reused for a message in another channel is a 409, not a replay of the first")
  void keyReusedElsewhere() {
    Principal ann = user("Ann");
    String general = channel(ann);
    String random = channel(ann);
    message(keyed("sendMessage", ann, channelPath(general), text("here"), "k").await(), "message");

    ApiException error = keyed("sendMessage", ann, channelPath(random), text("there"), "k")
        .map(reply -> (ApiException) null).otherwise(e -> (ApiException) e).await();

    assertEquals(409, error == null ? 201 : error.status());
    assertEquals(0, stored(random));
  }
}
