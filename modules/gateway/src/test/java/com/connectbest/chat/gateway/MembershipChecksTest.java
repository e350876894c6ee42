package com.connectbest.chat.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.connectbest.chat.common.Addresses;
import com.connectbest.chat.common.InternalActions;
import com.connectbest.chat.common.ServiceClient;
import com.connectbest.chat.common.ServiceReply;
import com.connectbest.chat.common.ServiceRequest;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class MembershipChecksTest {

  private static final String ANN = "aaaaaaaaaaaaaaaaaaaaaaaa";
  private static final String BOB = "bbbbbbbbbbbbbbbbbbbbbbbb";

  /** A request the fake channels service holds, with its answer as read from the members when it arrived. */
  private record Held(Message<JsonObject> message, JsonObject access) {
  }

  /** The fake channels service's members ("channel/user") and the requests it holds until released. */
  private final Set<String> members = ConcurrentHashMap.newKeySet();
  private final List<Held> held = new CopyOnWriteArrayList<>();
  private final List<JsonObject> requests = new CopyOnWriteArrayList<>();
  private MembershipChecks checks;

  @BeforeEach
  void start(Vertx vertx) {
    vertx.eventBus().<JsonObject>consumer(Addresses.CHANNELS, message -> {
      if (InternalActions.CHECK_ACCESS_MANY.equals(message.headers().get(ServiceRequest.ACTION_HEADER))) {
        JsonObject body = message.body().getJsonObject("body");
        JsonObject access = new JsonObject();
        body.getJsonArray("channel_ids").forEach(id -> access.put((String) id, new JsonObject().put("exists", true)
            .put("member", members.contains(id + "/" + body.getString("user_id")))));
        held.add(new Held(message, access));
        requests.add(body);
      }
    }).completion().await();
    checks = new MembershipChecks(vertx.getOrCreateContext(), new ServiceClient(vertx.eventBus(), 5_000));
  }

  /** Answers the held requests, each as the store read it when it arrived. */
  private void release() {
    List<Held> answering = new ArrayList<>(held);
    held.clear();
    for (Held request : answering) {
      request.message().reply(ServiceReply.ok(new JsonObject().put("access", request.access())).toJson());
    }
  }

  private void awaitRequests(int count) {
    long deadline = System.currentTimeMillis() + 5_000;
    while (requests.size() < count && System.currentTimeMillis() < deadline) {
      Thread.onSpinWait();
    }
    assertEquals(count, requests.size(), requests.toString());
  }

  @Test
  @DisplayName("a user's 21 registrations cost two requests: the first alone, the 20 asked meanwhile together")
  void burstIsBatched() {
    members.add("c0/" + ANN);
    List<Future<Boolean>> answers = new ArrayList<>();
    for (int c = 0; c < 21; c++) {
      members.add("c" + c + "/" + ANN);
      answers.add(checks.isMember("c" + c, ANN));
    }
    awaitRequests(1);
    release();
    awaitRequests(2);
    assertEquals(1, requests.get(0).getJsonArray("channel_ids").size());
    assertEquals(20, requests.get(1).getJsonArray("channel_ids").size());
    release();
    for (Future<Boolean> answer : answers) {
      assertTrue(answer.await());
    }
  }

  @Test
  @DisplayName("a check asked while a request is in flight is answered by a later request, never by that one")
  void neverAnsweredByAnEarlierRead() {
    Future<Boolean> before = checks.isMember("c1", ANN);
    awaitRequests(1);
    members.add("c1/" + ANN); // the user joins; the client registers again right after the join's answer
    Future<Boolean> after = checks.isMember("c1", ANN);
    release(); // the first request's store read happened before the join
    awaitRequests(2);
    release();
    assertFalse(before.await(), "the request sent before the join");
    assertTrue(after.await(), "a request sent after the registration sees the join");
  }

  @Test
  @DisplayName("users do not wait for each other's checks, and a failed request fails only its own checks")
  void usersAreIndependent() {
    members.add("c1/" + BOB);
    Future<Boolean> ann = checks.isMember("c1", ANN);
    Future<Boolean> bob = checks.isMember("c1", BOB);
    awaitRequests(2);
    held.get(0).message().fail(503, "store down");
    held.remove(0);
    release();
    assertTrue(ann.transform(done -> Future.succeededFuture(done.failed())).await(), "Ann's check fails");
    assertTrue(bob.await());
    long deadline = System.currentTimeMillis() + 5_000; // the bookkeeping ends just after the answers
    while (checks.pendingUsers() != 0 && System.currentTimeMillis() < deadline) {
      Thread.onSpinWait();
    }
    assertEquals(0, checks.pendingUsers(), "nothing is kept once the checks are answered");
  }
}
