package com.connectbest.chat.gateway;

import com.connectbest.chat.common.Addresses;
import com.connectbest.chat.common.InternalActions;
import com.connectbest.chat.common.ServiceClient;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The bridge's membership checks, batched per user: a client that (re)connects registers its user address and every
 * channel at once, and thousands of clients do so together after a node restart. One {@code checkAccess} per
 * registration made that storm 21 store round trips per socket; here the checks of one user that arrive while one of
 * theirs is in flight wait for it to end and then go together as one {@code checkAccessMany}.
 *
 * <p>Nothing is cached: a check is always answered by a request sent after it was asked (never by one already in
 * flight, which may have read the store before a membership the client just made), so a refusal is the store's
 * answer of that moment, as docs/event-bus.md requires. All state is on the bridge's event loop.
 */
final class MembershipChecks {

  private final Context context;
  private final ServiceClient services;
  private final Map<String, UserChecks> byUser = new HashMap<>();

  private static final class UserChecks {
    boolean inFlight;
    /** Channels asked since the request in flight was sent, each with the registrations waiting for it. */
    final Map<String, List<Promise<Boolean>>> next = new LinkedHashMap<>();
  }

  MembershipChecks(Context context, ServiceClient services) {
    this.context = context;
    this.services = services;
  }

  /** Whether the user is a member of the channel, as the channels service answers a request sent after this call. */
  Future<Boolean> isMember(String channelId, String userId) {
    Promise<Boolean> answer = Promise.promise();
    if (Context.isOnEventLoopThread() && context == io.vertx.core.Vertx.currentContext()) {
      ask(channelId, userId, answer);
    } else {
      context.runOnContext(v -> ask(channelId, userId, answer));
    }
    return answer.future();
  }

  /** Users with checks waiting or in flight (for tests). */
  int pendingUsers() {
    return byUser.size();
  }

  private void ask(String channelId, String userId, Promise<Boolean> answer) {
    UserChecks checks = byUser.computeIfAbsent(userId, id -> new UserChecks());
    checks.next.computeIfAbsent(channelId, id -> new ArrayList<>()).add(answer);
    if (!checks.inFlight) {
      send(userId, checks);
    }
  }

  private void send(String userId, UserChecks checks) {
    Map<String, List<Promise<Boolean>>> batch = new LinkedHashMap<>();
    Iterator<Map.Entry<String, List<Promise<Boolean>>>> waiting = checks.next.entrySet().iterator();
    while (waiting.hasNext() && batch.size() < InternalActions.CHECK_ACCESS_MANY_LIMIT) {
      Map.Entry<String, List<Promise<Boolean>>> entry = waiting.next();
      batch.put(entry.getKey(), entry.getValue());
      waiting.remove();
    }
    checks.inFlight = true;
    services.call(Addresses.CHANNELS, InternalActions.CHECK_ACCESS_MANY, new JsonObject().put("user_id", userId)
            .put("channel_ids", new JsonArray(new ArrayList<>(batch.keySet()))))
        .onComplete(done -> {
          checks.inFlight = false;
          JsonObject access = done.succeeded() ? done.result().getJsonObject("access", new JsonObject()) : null;
          batch.forEach((channelId, answers) -> answers.forEach(answer -> {
            if (access == null) {
              answer.fail(done.cause());
            } else {
              JsonObject channel = access.getJsonObject(channelId);
              answer.complete(channel != null && channel.getBoolean("member", false));
            }
          }));
          if (checks.next.isEmpty()) {
            byUser.remove(userId, checks);
          } else {
            send(userId, checks);
          }
        });
  }
}
