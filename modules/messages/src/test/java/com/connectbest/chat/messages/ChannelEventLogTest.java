package com.connectbest.chat.messages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.connectbest.chat.common.Addresses;
import com.connectbest.chat.common.Events;
import com.connectbest.chat.common.InternalActions;
import com.connectbest.chat.common.Principal;
import com.connectbest.chat.common.ServiceReply;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Channel events carry a per-channel seq, are published in seq order, and can be fetched again after a gap. */
class ChannelEventLogTest extends MessagesTestBase {

  private MongoClient mongo;

  @BeforeEach
  void connect() {
    mongo = MongoClient.create(vertx, mongoConfig);
  }

  @AfterEach
  void disconnect() {
    mongo.close().await();
  }

  private JsonObject eventsAfter(Principal caller, String channelId, long after) {
    return ok("listChannelEvents", caller, channelPath(channelId), new JsonObject().put("after_seq", after), null);
  }

  private static List<Long> seqs(List<JsonObject> events) {
    return events.stream().map(event -> event.getLong("seq")).toList();
  }

  @Test
  @DisplayName("50 concurrent sends to one channel are published in strictly increasing seq order, the order a reload shows")
  void concurrentSendsArePublishedInReloadOrder() {
    Principal ann = user("Ann");
    String general = channel(ann);
    EventProbe probe = events(general);
    List<Future<ServiceReply>> sends = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      sends.add(request("sendMessage", ann, channelPath(general), null, text("m" + i)));
    }
    Future.all(sends).await();

    List<JsonObject> live = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      live.add(probe.next(Events.NEW_MESSAGE));
    }
    probe.none();
    List<Long> seqs = seqs(live);
    for (int i = 1; i < seqs.size(); i++) {
      assertTrue(seqs.get(i) > seqs.get(i - 1), "seqs in order: " + seqs);
    }
    List<String> reload = new ArrayList<>(idsOf(list(ann, general, new JsonObject().put("limit", 100))));
    Collections.reverse(reload);
    assertEquals(reload, live.stream().map(event -> event.getString("messageId")).toList());
    List<JsonObject> stored = new ArrayList<>(list(ann, general, new JsonObject().put("limit", 100)));
    Collections.reverse(stored);
    assertEquals(seqs, stored.stream().map(message -> message.getLong("seq")).toList());
    assertEquals(live, objects(eventsAfter(ann, general, 0).getJsonArray("events")));
  }

  @Test
  @DisplayName("resuming after a seq returns the events after it, of every kind, in order: logged ones as published, new messages and replies as they are now; members only")
  void resumeReturnsExactlyTheMissedEvents() {
    Principal ann = user("Ann");
    Principal bob = user("Bob");
    Principal eve = user("Eve");
    String general = channel(ann, bob);
    EventProbe probe = events(general);
    JsonObject first = send(ann, general, "first");
    long seen = probe.next(Events.NEW_MESSAGE).getLong("seq");
    assertEquals(seen, first.getLong("seq"));

    JsonObject second = send(bob, general, "second");
    JsonObject inThread = reply(ann, second.getString("id"), "in thread");
    ok("editMessage", bob, messagePath(second.getString("id")), null, text("second, edited"));
    ok("addReaction", ann, channelPath(general).put("messageId", second.getString("id")), null,
        new JsonObject().put("emoji", "👍"));
    delete(ann, first.getString("id"));
    JsonObject regretted = send(ann, general, "regretted");
    delete(ann, regretted.getString("id"));
    client.call(Addresses.MESSAGES, InternalActions.APPEND_CHANNEL_EVENT,
        Events.event(Events.MEMBER_JOINED, general).put("userId", eve.id())).await();
    List<JsonObject> live = new ArrayList<>();
    for (String type : List.of(Events.NEW_MESSAGE, Events.THREAD_REPLY, Events.MESSAGE_UPDATED,
        Events.REACTION_ADDED, Events.MESSAGE_DELETED, Events.NEW_MESSAGE, Events.MESSAGE_DELETED,
        Events.MEMBER_JOINED)) {
      live.add(probe.next(type));
    }
    // A send writes no log entry: its stored message is its event's record.
    assertEquals(0L, mongo.count(EventLog.CHANNEL_EVENTS, new JsonObject().put("channel_id", general)
        .put("event.type", new JsonObject().put("$in", new io.vertx.core.json.JsonArray()
            .add(Events.NEW_MESSAGE).add(Events.THREAD_REPLY)))).await());

    JsonObject missed = eventsAfter(bob, general, seen);
    List<JsonObject> resumed = objects(missed.getJsonArray("events"));
    // Everything but the regretted message's new_message (deleted since: not sent again), in seq order.
    List<JsonObject> expected = new ArrayList<>(live);
    expected.remove(5);
    assertEquals(seqs(expected), seqs(resumed));
    assertEquals(expected.subList(2, 7), resumed.subList(2, 7));
    assertFalse(missed.getBoolean("has_more"));
    assertEquals(live.get(live.size() - 1).getLong("seq"), missed.getLong("latest_seq"));

    JsonObject created = resumed.get(0);
    JsonObject now = ok("getMessage", bob, messagePath(second.getString("id")), null, null)
        .getJsonObject("message");
    assertEquals(live.get(0).copy().put("content", "second, edited").put("message", now), created);
    assertEquals("second, edited", created.getJsonObject("message").getString("content"));
    assertEquals("👍", created.getJsonObject("message").getJsonArray("reactions").getJsonObject(0)
        .getString("emoji"));
    assertEquals(bob.id(), created.getString("userId"));
    assertEquals(second.getJsonObject("user"), created.getJsonObject("user"));
    assertEquals(second.getString("created_at"), created.getString("created_at"));
    assertEquals(live.get(1), resumed.get(1), "an unchanged reply is made again exactly as it was published");
    assertEquals(inThread.getString("id"), resumed.get(1).getString("messageId"));
    assertEquals(1, resumed.get(1).getInteger("reply_count"));

    assertEquals(0, eventsAfter(bob, general, missed.getLong("latest_seq")).getJsonArray("events").size());
    JsonObject page = ok("listChannelEvents", bob, channelPath(general),
        new JsonObject().put("after_seq", seen).put("limit", 2), null);
    assertEquals(resumed.subList(0, 2), objects(page.getJsonArray("events")));
    assertTrue(page.getBoolean("has_more"));
    JsonObject rest = ok("listChannelEvents", bob, channelPath(general),
        new JsonObject().put("after_seq", resumed.get(1).getLong("seq")).put("limit", 5), null);
    assertEquals(resumed.subList(2, 7), objects(rest.getJsonArray("events")));
    assertFalse(rest.getBoolean("has_more"));

    assertFailure(failure("listChannelEvents", eve, channelPath(general), new JsonObject().put("after_seq", 0), null),
        403, null);
    assertFailure(failure("listChannelEvents", bob, channelPath(general), new JsonObject().put("after_seq", -1),
        null), 400, null);
  }

  @Test
  @DisplayName("a message's event logged by an earlier version as well as recorded by the message is resumed once, as logged")
  void aSeqInBothTheLogAndTheMessagesIsResumedOnce() {
    Principal ann = user("Ann");
    String general = channel(ann);
    JsonObject one = send(ann, general, "one");
    JsonObject two = send(ann, general, "two");
    JsonObject logged = Events.event(Events.NEW_MESSAGE, general).put("messageId", one.getString("id"))
        .put("seq", one.getLong("seq")).put("logged", true);
    mongo.insert(EventLog.CHANNEL_EVENTS, new JsonObject().put("channel_id", general).put("seq", one.getLong("seq"))
        .put("event", logged).put("at", new JsonObject().put("$date", java.time.Instant.now().toString()))).await();

    List<JsonObject> resumed = objects(eventsAfter(ann, general, 0).getJsonArray("events"));
    assertEquals(List.of(one.getLong("seq"), two.getLong("seq")), seqs(resumed));
    assertEquals(logged, resumed.get(0));
    assertEquals(two.getString("id"), resumed.get(1).getString("messageId"));
  }

  @Test
  @DisplayName("user events are numbered per user, published on each user's address and resumable by that user only")
  void userEventsArePerUser() {
    Principal ann = user("Ann");
    Principal bob = user("Bob");
    java.util.concurrent.BlockingQueue<JsonObject> toBob = new java.util.concurrent.LinkedBlockingQueue<>();
    vertx.eventBus().<JsonObject>consumer(Addresses.user(bob.id()), m -> toBob.add(m.body())).completion().await();
    JsonObject dm = Events.event(Events.NEW_MESSAGE, "dm_a_b").put("messageId", "m1");
    client.call(Addresses.MESSAGES, InternalActions.APPEND_USER_EVENT, new JsonObject()
        .put("user_ids", new io.vertx.core.json.JsonArray().add(bob.id()).add(ann.id())).put("event", dm)).await();
    client.call(Addresses.MESSAGES, InternalActions.APPEND_USER_EVENT, new JsonObject()
        .put("user_ids", new io.vertx.core.json.JsonArray().add(bob.id()))
        .put("event", Events.event(Events.READ, "c1").put("userId", bob.id()))).await();

    JsonObject bobs = ok("listMyEvents", bob, null, new JsonObject().put("after_seq", 0), null);
    List<JsonObject> missed = objects(bobs.getJsonArray("events"));
    assertEquals(List.of(Events.NEW_MESSAGE, Events.READ), missed.stream().map(e -> e.getString("type")).toList());
    assertEquals(List.of(1L, 2L), seqs(missed));
    assertEquals(2L, bobs.getLong("latest_seq"));
    JsonObject anns = ok("listMyEvents", ann, null, new JsonObject().put("after_seq", 0), null);
    assertEquals(List.of(1L), seqs(objects(anns.getJsonArray("events"))));
    assertEquals(List.of(missed.get(1)), objects(ok("listMyEvents", bob, null,
        new JsonObject().put("after_seq", 1), null).getJsonArray("events")));
    try {
      assertEquals(missed.get(0), toBob.poll(5, java.util.concurrent.TimeUnit.SECONDS));
      assertEquals(missed.get(1), toBob.poll(5, java.util.concurrent.TimeUnit.SECONDS));
    } catch (InterruptedException e) {
      throw new IllegalStateException(e);
    }
    assertFailure(failure("listMyEvents", bob, null, new JsonObject().put("after_seq", "x"), null), 400, null);
  }

  @Test
  @DisplayName("resuming from a seq the log no longer holds answers 410: reload the history")
  void beyondRetentionIsTooOld() {
    Principal ann = user("Ann");
    String general = channel(ann);
    assertEquals(0, eventsAfter(ann, general, 0).getJsonArray("events").size());
    send(ann, general, "one");
    send(ann, general, "two");
    long latest = eventsAfter(ann, general, 0).getLong("latest_seq");
    // A message that is not old yet proves that the log still holds every event after it, even with none logged.
    assertEquals(1, ok("listChannelEvents", ann, channelPath(general), new JsonObject().put("after_seq", latest - 1),
        null).getJsonArray("events").size());
    // What the retention window does to old events: they leave the log, and the messages that record the others age.
    mongo.removeDocuments(EventLog.CHANNEL_EVENTS, new JsonObject().put("channel_id", general)
        .put("seq", new JsonObject().put("$lt", latest))).await();
    mongo.updateCollectionWithOptions(MessageStore.MESSAGES, new JsonObject().put("channel_id", general),
        new JsonObject().put("$set", new JsonObject().put("created_at", new JsonObject()
            .put("$date", java.time.Instant.now().minus(java.time.Duration.ofHours(25)).toString()))),
        new io.vertx.ext.mongo.UpdateOptions().setMulti(true)).await();

    assertFailure(failure("listChannelEvents", ann, channelPath(general), new JsonObject().put("after_seq", 0), null),
        410, EventLog.TOO_OLD);
    assertFailure(failure("listChannelEvents", ann, channelPath(general),
        new JsonObject().put("after_seq", latest - 1), null), 410, EventLog.TOO_OLD);
    assertEquals(0, eventsAfter(ann, general, latest).getJsonArray("events").size());
  }

  @Test
  @DisplayName("a stuck event holds the later ones back for the bounded wait only, then is published late")
  void boundedWaitForAStuckEvent() throws Exception {
    String channel = new org.bson.types.ObjectId().toHexString();
    java.util.concurrent.BlockingQueue<JsonObject> heard = new java.util.concurrent.LinkedBlockingQueue<>();
    vertx.eventBus().<JsonObject>consumer(Addresses.channel(channel), m -> heard.add(m.body())).completion().await();
    EventLog log = EventLog.channels(mongo, mongo, java.time.Duration.ofHours(1), java.time.Instant::now);
    io.vertx.core.Context context = vertx.getOrCreateContext();
    java.util.concurrent.CompletableFuture<ChannelSequencer.Ticket> stuck =
        new java.util.concurrent.CompletableFuture<>();
    java.util.concurrent.CompletableFuture<ChannelSequencer> sequencer = new java.util.concurrent.CompletableFuture<>();
    long started = System.currentTimeMillis();
    context.runOnContext(v -> {
      ChannelSequencer lanes = new ChannelSequencer(vertx, log, Addresses::channel, 500);
      stuck.complete(lanes.take(channel));
      lanes.emit(lanes.take(channel), Events.event(Events.MESSAGE_DELETED, channel).put("messageId", "later"));
      sequencer.complete(lanes);
    });
    JsonObject later = heard.poll(5, java.util.concurrent.TimeUnit.SECONDS);
    assertEquals("later", later.getString("messageId"));
    assertTrue(System.currentTimeMillis() - started >= 450, "held back for the bounded wait");
    long stuckSeq = stuck.get().seq().toCompletionStage().toCompletableFuture()
        .get(5, java.util.concurrent.TimeUnit.SECONDS);
    assertEquals(stuckSeq + 1, later.getLong("seq"));

    context.runOnContext(v -> sequencer.join().emit(stuck.join(),
        Events.event(Events.MESSAGE_DELETED, channel).put("messageId", "stuck")));
    JsonObject late = heard.poll(5, java.util.concurrent.TimeUnit.SECONDS);
    assertEquals("stuck", late.getString("messageId"));
    assertEquals(stuckSeq, late.getLong("seq"));
  }
}
