package com.connectbest.chat.dms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.connectbest.chat.common.Addresses;
import com.connectbest.chat.common.ApiException;
import com.connectbest.chat.common.EnvelopeKeys;
import com.connectbest.chat.common.IdempotencyKey;
import com.connectbest.chat.common.Principal;
import com.connectbest.chat.common.ServiceClient;
import com.connectbest.chat.common.ServiceReply;
import com.connectbest.chat.common.ServiceRequest;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class ConversationServiceTest {

  private static final Principal ANN = new Principal("aaaaaaaaaaaaaaaaaaaaaaaa", "ann@example.com", "Ann", "user");
  private static final Principal BOB = new Principal("bbbbbbbbbbbbbbbbbbbbbbbb", "bob@example.com", "Bob", "user");
  private static final Principal CAT = new Principal("cccccccccccccccccccccccc", "cat@example.com", "Cat", "user");
  private static final Principal EVE = new Principal("eeeeeeeeeeeeeeeeeeeeeeee", "eve@example.com", "Eve", "admin");
  private static final String ANN_BOB = "dm_" + ANN.id() + "_" + BOB.id();

  private FakePeers peers;
  private ServiceClient client;

  @BeforeEach
  void deploy(Vertx vertx) {
    peers = new FakePeers(vertx);
    List.of(ANN, BOB, CAT, EVE).forEach(user -> peers.users.add(user.id()));
    vertx.deployVerticle(new DmsVerticle()).await();
    client = new ServiceClient(vertx.eventBus())
        // as a gateway: the service acts only on principals signed with this process's key
        .signingWith(EnvelopeKeys.ephemeral().signing(), EnvelopeKeys.DEFAULT_TTL_SECONDS);
  }

  private ServiceReply call(String action, Principal caller, JsonObject path, JsonObject body) {
    return client.send(Addresses.DMS, new ServiceRequest(action, caller, path, new JsonObject(), body, null)).await();
  }

  private ApiException failure(String action, Principal caller, JsonObject path, JsonObject body) {
    Future<ServiceReply> reply = client.send(Addresses.DMS,
        new ServiceRequest(action, caller, path, new JsonObject(), body, null));
    try {
      reply.await();
    } catch (ApiException e) {
      return e;
    }
    throw new AssertionError(action + " should have failed");
  }

  private static JsonObject to(Principal user) {
    return new JsonObject().put("recipientId", user.id());
  }

  private static JsonObject text(String content) {
    return new JsonObject().put("content", content);
  }

  @Test
  @DisplayName("sending creates the conversation and pushes the message to both participants' addresses only")
  void sendPushesToBoth(Vertx vertx) {
    List<String> heard = new CopyOnWriteArrayList<>();
    for (Principal user : List.of(ANN, BOB, CAT)) {
      vertx.eventBus().<JsonObject>consumer(Addresses.user(user.id()),
          m -> heard.add(user.name() + ":" + m.body().getString("type") + ":" + m.body().getString("channelId")));
    }
    ServiceReply reply = call("sendDirectMessage", BOB, to(ANN), text("hi"));
    assertEquals(201, reply.status());
    assertEquals(ANN_BOB, ((JsonObject) reply.body()).getString("dm_channel_id"));
    long deadline = System.currentTimeMillis() + 2000;
    while (heard.size() < 2 && System.currentTimeMillis() < deadline) {
      Thread.onSpinWait();
    }
    assertEquals(List.of("Ann:new_message:" + ANN_BOB, "Bob:new_message:" + ANN_BOB),
        heard.stream().sorted().toList());
  }

  @Test
  @DisplayName("messaging yourself is 400 and an unknown recipient 404, and neither makes a conversation")
  void recipientRules() {
    ApiException selfSend = failure("sendDirectMessage", ANN, to(ANN), text("me"));
    assertEquals(400, selfSend.status());
    assertEquals(DmIds.NO_SELF_SEND, selfSend.getMessage());
    ApiException selfRead = failure("listDirectMessages", ANN, to(ANN), null);
    assertEquals(400, selfRead.status());
    assertEquals(DmIds.NO_SELF_CONVERSATION, selfRead.getMessage(), "reading is not sending");
    assertEquals(404, failure("sendDirectMessage", ANN,
        new JsonObject().put("recipientId", "0123456789abcdef01234567"), text("anyone")).status());
    assertEquals(400, failure("listDirectMessages", ANN, new JsonObject().put("recipientId", "nope"), null).status());
    assertEquals(401, failure("listDirectMessages", null, to(BOB), null).status());
    assertTrue(peers.members.isEmpty(), "no conversation may be created: " + peers.members.keySet());
  }

  @Test
  @DisplayName("only the two participants named in a conversation id may mark it read, however the id is written")
  void markReadParticipantsOnly() {
    call("sendDirectMessage", ANN, to(BOB), text("hello"));
    assertEquals(200, call("markDirectRead", BOB, new JsonObject().put("dmChannelId", ANN_BOB), null).status());
    String reversed = "dm_" + BOB.id() + "_" + ANN.id();
    assertEquals(200, call("markDirectRead", ANN, new JsonObject().put("dmChannelId", reversed), null).status());
    assertEquals(403, failure("markDirectRead", EVE, new JsonObject().put("dmChannelId", ANN_BOB), null).status(),
        "a site admin is not a participant");
    assertEquals(400, failure("markDirectRead", ANN,
        new JsonObject().put("dmChannelId", "dm_" + ANN.id() + "_" + ANN.id()), null).status());
    assertEquals(400, failure("markDirectRead", ANN, new JsonObject().put("dmChannelId", "general"), null).status());
  }

  @Test
  @DisplayName("the conversation list has one row per partner with messages, newest first, in three bus calls")
  void conversationList() {
    call("sendDirectMessage", BOB, to(ANN), text("from bob"));
    call("sendDirectMessage", ANN, to(CAT), text("to cat"));
    call("listDirectMessages", ANN, to(EVE), null);
    peers.resetCalls();
    JsonArray rows = ((JsonObject) call("listConversations", ANN, new JsonObject(), null).body())
        .getJsonArray("conversations");
    assertEquals(3, peers.calls(), "read states, activity and partners: one call each");
    assertEquals(2, rows.size(), "the empty conversation with Eve is not listed: " + rows.encode());
    assertEquals(CAT.id(), rows.getJsonObject(0).getString("user_id"));
    assertEquals(0L, rows.getJsonObject(0).getLong("unreadCount"));
    assertEquals("from bob", rows.getJsonObject(1).getString("last_message"));
    assertEquals(1L, rows.getJsonObject(1).getLong("unreadCount"));
    assertEquals("User " + BOB.id(), rows.getJsonObject(1).getString("user_name"));
    JsonObject cats = ((JsonObject) call("listConversations", CAT, new JsonObject(), null).body())
        .getJsonArray("conversations").getJsonObject(0);
    assertEquals(ANN.id(), cats.getString("user_id"));
    assertEquals(1L, cats.getLong("unreadCount"));
  }

  private ServiceReply keyed(Principal caller, Principal to, JsonObject body, String key) {
    return client.send(Addresses.DMS, new ServiceRequest("sendDirectMessage", caller, to(to), new JsonObject(), body,
        null, key)).await();
  }

  @Test
  @DisplayName("a direct message sent twice with one key answers the same message and pushes it to each user once")
  void idempotentSend(Vertx vertx) {
    List<String> heard = new CopyOnWriteArrayList<>();
    for (Principal user : List.of(ANN, BOB)) {
      vertx.eventBus().<JsonObject>consumer(Addresses.user(user.id()), m -> heard.add(user.name()));
    }
    ServiceReply first = keyed(BOB, ANN, text("hi"), "dm-key");
    ServiceReply again = keyed(BOB, ANN, text("hi").put(IdempotencyKey.BODY_FIELD, "dm-key"), null);

    JsonObject firstBody = (JsonObject) first.body();
    JsonObject againBody = (JsonObject) again.body();
    assertEquals(201, again.status());
    assertEquals(firstBody.getJsonObject("message").getString("id"), againBody.getJsonObject("message").getString("id"));
    assertEquals(ANN_BOB, againBody.getString("dm_channel_id"));
    assertNull(first.headers());
    assertEquals("true", again.headers().getString(IdempotencyKey.REPLAYED_HEADER));
    assertEquals(1, peers.messages.get(ANN_BOB).size());
    long deadline = System.currentTimeMillis() + 500;
    while (System.currentTimeMillis() < deadline) {
      Thread.onSpinWait();
    }
    assertEquals(List.of("Ann", "Bob"), heard.stream().sorted().toList());
  }

  @Test
  @DisplayName("a direct message whose header and body keys differ is a 400 and opens no conversation")
  void mismatchedKeys() {
    ApiException error;
    try {
      keyed(BOB, ANN, text("hi").put(IdempotencyKey.BODY_FIELD, "one"), "two");
      throw new AssertionError("should have failed");
    } catch (ApiException e) {
      error = e;
    }
    assertEquals(400, error.status());
    assertEquals("VALIDATION_ERROR", error.code().name());
    assertTrue(peers.members.isEmpty(), "no conversation may be created: " + peers.members.keySet());
  }
}
