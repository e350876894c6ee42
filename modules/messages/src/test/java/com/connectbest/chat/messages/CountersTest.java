package com.connectbest.chat.messages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.connectbest.chat.common.ServiceReply;
import java.util.List;

import com.connectbest.chat.common.Addresses;
import com.connectbest.chat.common.InternalActions;
import com.connectbest.chat.common.MongoDocs;
import com.connectbest.chat.common.Principal;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The channel-list figures come from counters kept as messages are sent, edited and deleted and as members read:
 * once they are set, the list answers the same with every message gone from the store, so its cost cannot depend on
 * how many messages are unread.
 */
class CountersTest extends MessagesTestBase {

  private MongoClient mongo;

  @BeforeEach
  void connect() {
    mongo = MongoClient.create(vertx, mongoConfig);
  }

  @AfterEach
  void disconnect() {
    mongo.close().await();
  }

  private JsonObject internal(String action, JsonObject payload) {
    return client.call(Addresses.MESSAGES, action, payload).await();
  }

  /** What the channels service sends after storing a read mark. */
  private void readMarked(Principal user, String channelId, Instant at) {
    internal(InternalActions.READ_MARKED, new JsonObject().put("channel_id", channelId).put("user_id", user.id())
        .put("last_read_at", at.toString()));
  }

  private JsonObject activity(Principal user, String channelId, Instant lastReadAt) {
    return internal(InternalActions.CHANNEL_ACTIVITY, new JsonObject().put("user_id", user.id())
        .put("channels", new JsonArray().add(new JsonObject().put("channel_id", channelId)
            .put("last_read_at", lastReadAt == null ? null : lastReadAt.toString()))))
        .getJsonObject("activity").getJsonObject(channelId);
  }

  /** Removes every message from the store: whatever the list still answers comes from the counters. */
  private void forgetMessages() {
    mongo.removeDocuments(MessageStore.MESSAGES, new JsonObject()).await();
  }

  @Test
  @DisplayName("Sends, replies, edits, deletes and read marks move the counters; the list then reads no message")
  void countersFollowWrites() {
    Principal ann = user("Ann");
    Principal bob = user("Bob");
    String general = channel(ann, bob);
    String dm = "dm_" + ann.id() + "_" + bob.id();
    channels.create(dm, "dm", ann.id(), bob.id());

    String readAndDeleted = send(bob, general, "read, then deleted").getString("id");
    send(bob, general, "read");
    Instant readAt = Clock.now();
    readMarked(ann, general, readAt);
    waitPast(readAt.plusMillis(1));
    String unreadAndDeleted = send(bob, general, "unread, then deleted").getString("id");
    JsonObject root = send(bob, general, "unread 1");
    reply(bob, root.getString("id"), "a reply is not counted");
    send(ann, general, "own messages are not unread");
    String last = send(bob, general, "unread 2").getString("id");
    delete(bob, readAndDeleted);
    delete(bob, unreadAndDeleted);
    ok("editMessage", bob, messagePath(last), null, text("unread 2, edited"));
    send(bob, dm, "dm 1");
    send(ann, dm, "dm 2 is mine");

    forgetMessages();

    JsonObject g = activity(ann, general, readAt);
    assertEquals(2, g.getInteger("unread_count"));
    assertEquals("unread 2, edited", g.getString("last_message"));
    assertEquals(1, activity(bob, general, null).getInteger("unread_count"), "Bob never read: Ann's one message");
    assertEquals(1, activity(ann, dm, null).getInteger("unread_count"));
    assertEquals("dm 2 is mine", activity(bob, dm, null).getString("last_message"));
  }

  @Test
  @DisplayName("Concurrent sends, whatever order their counters are written in, leave the newest message as the last one")
  void concurrentSendsKeepTheNewestAsLast() {
    Principal ann = user("Ann");
    Principal bob = user("Bob");
    String general = channel(ann, bob);
    List<io.vertx.core.Future<ServiceReply>> sends = new java.util.ArrayList<>();
    for (int i = 0; i < 40; i++) {
      sends.add(request("sendMessage", bob, channelPath(general), null, text("concurrent " + i)));
    }
    io.vertx.core.Future.all(sends).await();
    String newest = list(ann, general, new JsonObject().put("limit", 1)).get(0).getString("content");
    JsonObject g = activity(ann, general, null);
    assertEquals(40, g.getInteger("unread_count"));
    assertEquals(newest, g.getString("last_message"));
  }

  @Test
  @DisplayName("A deleted last message shows as deleted, and a read mark leaves nothing unread")
  void deletedLastAndReadMark() {
    Principal ann = user("Ann");
    Principal bob = user("Bob");
    String general = channel(ann, bob);
    send(bob, general, "one");
    String two = send(bob, general, "two").getString("id");
    delete(bob, two);
    Instant readAt = Clock.now();
    readMarked(ann, general, readAt);
    forgetMessages();
    JsonObject g = activity(ann, general, readAt);
    assertNull(g.getValue("last_message"));
    assertNotNull(g.getValue("last_message_at"), "a deleted last message keeps its time");
    assertEquals(0, g.getInteger("unread_count"));
    assertEquals(0, activity(bob, general, null).getInteger("unread_count"), "only his own messages");
  }

  @Test
  @DisplayName("A read position the counters did not hear of is recounted once, then served from the counters")
  void lostReadNoticeIsRecounted() {
    Principal ann = user("Ann");
    Principal bob = user("Bob");
    String general = channel(ann, bob);
    send(bob, general, "before");
    Instant readAt = Clock.now();
    waitPast(readAt.plusMillis(1));
    send(bob, general, "after 1");
    send(bob, general, "after 2");

    assertEquals(2, activity(ann, general, readAt).getInteger("unread_count"), "recounted from the messages");
    forgetMessages();
    assertEquals(2, activity(ann, general, readAt).getInteger("unread_count"), "kept by the recount");
  }

  @Test
  @DisplayName("A store with messages but no counters gets them at start, once")
  void backfill() {
    Principal ann = user("Ann");
    Principal bob = user("Bob");
    String general = channel(ann, bob);
    send(ann, general, "mine");
    String gone = send(bob, general, "deleted").getString("id");
    delete(bob, gone);
    JsonObject root = send(bob, general, "old 1");
    reply(ann, root.getString("id"), "reply");
    send(bob, general, "old 2");
    mongo.dropCollection(CounterStore.CHANNEL_STATS).await();
    mongo.dropCollection(CounterStore.MEMBER_STATS).await();
    mongo.removeDocuments("schema_migrations", new JsonObject().put("_id", CounterBackfill.MIGRATION)).await();
    waitPast(Clock.now().plusSeconds(1));

    redeploy();
    assertEquals("done", mongo.findOne("schema_migrations",
        new JsonObject().put("_id", CounterBackfill.MIGRATION), null).await().getString("state"));
    send(bob, general, "new");
    forgetMessages();

    assertEquals(3, activity(ann, general, null).getInteger("unread_count"));
    assertEquals("new", activity(ann, general, null).getString("last_message"));
    assertEquals(1, activity(bob, general, null).getInteger("unread_count"));
  }

  @Test
  @DisplayName("Counts a killed process left wrong (a message stored but not counted, a count without its message, "
      + "a delete not counted) are corrected at the next start, and the members' unread figures with them")
  void auditRepairsWhatACrashLeftBehind() {
    Principal ann = user("Ann");
    Principal bob = user("Bob");
    String notCounted = channel(ann, bob);
    send(bob, notCounted, "one");
    send(bob, notCounted, "two");
    Instant readAt = Clock.now();
    readMarked(ann, notCounted, readAt);
    waitPast(readAt.plusMillis(1));
    // the process died after storing "three", before counting it (its seq: any below the next send's)
    mongo.insert(MessageStore.MESSAGES, MessageStore.document(new org.bson.types.ObjectId().toHexString(), 2,
        notCounted, bob.id(), "three", null, new JsonArray(), Clock.now(), null, null)).await();

    String notStored = channel(ann, bob);
    send(bob, notStored, "real");
    // ... after counting a message, before storing it
    mongo.updateCollection(CounterStore.CHANNEL_STATS, new JsonObject().put("channel_id", notStored),
        new JsonObject().put("$inc", new JsonObject().put("total", 1)).put("$set", new JsonObject()
            .put("latest", new JsonObject().put("seq", 1_000).put("id", new org.bson.types.ObjectId().toHexString())
                .put("content", "phantom").put("deleted", false)))).await();

    String deleteNotCounted = channel(ann, bob);
    send(bob, deleteNotCounted, "kept");
    String gone = send(bob, deleteNotCounted, "deleted").getString("id");
    // ... after storing a delete, before counting it
    storeDeleteOnly(gone);

    // what the counters say before the audit: every figure is wrong
    assertEquals(0, activity(ann, notCounted, readAt).getInteger("unread_count"));
    assertEquals("two", activity(ann, notCounted, readAt).getString("last_message"));
    assertEquals(2, activity(ann, notStored, null).getInteger("unread_count"));
    assertEquals("phantom", activity(ann, notStored, null).getString("last_message"));
    assertEquals(2, activity(ann, deleteNotCounted, null).getInteger("unread_count"));

    redeployAfterCrash(fastAudits());
    awaitFigure(() -> activity(ann, notCounted, readAt).getInteger("unread_count"), 1);
    assertEquals("three", activity(ann, notCounted, readAt).getString("last_message"));
    awaitFigure(() -> activity(ann, notStored, null).getInteger("unread_count"), 1);
    assertEquals("real", activity(ann, notStored, null).getString("last_message"));
    awaitFigure(() -> activity(ann, deleteNotCounted, null).getInteger("unread_count"), 1);
    assertNull(activity(ann, deleteNotCounted, null).getString("last_message"));
    // a correct channel is left as it is, and the counters serve again without reading any message
    send(bob, notCounted, "four");
    forgetMessages();
    assertEquals(2, activity(ann, notCounted, readAt).getInteger("unread_count"));
    assertEquals("four", activity(ann, notCounted, readAt).getString("last_message"));
  }

  /** A delete's own write (the message soft-deleted), without its counter update. */
  private void storeDeleteOnly(String messageId) {
    mongo.updateCollection(MessageStore.MESSAGES, new JsonObject().put("_id", new JsonObject().put("$oid", messageId)),
        new JsonObject().put("$set", new JsonObject().put("is_deleted", true).put("content", null))).await();
  }

  /** Settings for tests of the audit: checks every 50 ms, a disagreement looked at again after 50 ms. */
  private static JsonObject fastAudits() {
    return new JsonObject().put("COUNTER_AUDIT_SETTLE_MS", 50).put("COUNTER_AUDIT_CHECK_MS", 50);
  }

  /** What a torn send leaves: the channel counts one message more than it has. */
  private void countOneMore(String channelId) {
    mongo.updateCollection(CounterStore.CHANNEL_STATS, new JsonObject().put("channel_id", channelId),
        new JsonObject().put("$inc", new JsonObject().put("total", 1))).await();
  }

  /** A reader and an author in a channel of one message that its counters count twice (a torn send). */
  private record Torn(Principal reader, Principal author, String channel) {
  }

  private Torn tornChannel() {
    Principal ann = user("Ann");
    Principal bob = user("Bob");
    String general = channel(ann, bob);
    send(bob, general, "one");
    countOneMore(general);
    return new Torn(ann, bob, general);
  }

  /** The record a run of another process leaves: not marked clean. */
  private void recordRun(String runId, Instant startedAt, Instant lastSeen) {
    mongo.insert(CounterWriterRuns.RUNS, new JsonObject().put("_id", com.connectbest.chat.common.MongoDocs.oid(runId))
        .put("started_at", com.connectbest.chat.common.MongoDocs.date(startedAt))
        .put("last_seen", com.connectbest.chat.common.MongoDocs.date(lastSeen)).put("clean", false)).await();
  }

  private List<JsonObject> runs() {
    return mongo.find(CounterWriterRuns.RUNS, new JsonObject()).await();
  }

  /** Long enough for a dozen checks at {@link #fastAudits()}, and for each one's audit to settle. */
  private static void severalChecks() {
    sleep(800);
  }

  @Test
  @DisplayName("A start after a clean stop audits nothing: a count altered while the service was stopped stays as "
      + "it was (the same change is corrected after a crash, above)")
  void cleanStopSkipsTheAudit() {
    Principal ann = user("Ann");
    Principal bob = user("Bob");
    String general = channel(ann, bob);
    send(bob, general, "one");
    stopService();
    List<JsonObject> stopped = runs();
    assertEquals(1, stopped.size());
    assertEquals(true, stopped.get(0).getBoolean("clean"));
    countOneMore(general);

    startService(fastAudits());
    severalChecks();
    assertEquals(2, activity(ann, general, null).getInteger("unread_count"));
    // the clean run's record is gone; the new run's is there, not clean while it runs
    List<JsonObject> running = runs();
    assertEquals(1, running.size());
    assertEquals(false, running.get(0).getBoolean("clean"));
  }

  @Test
  @DisplayName("The first start on a store whose counters were written by a version that recorded no runs audits the "
      + "channels written within the window")
  void storeWithoutRunsIsAuditedOnce() {
    Principal ann = user("Ann");
    Principal bob = user("Bob");
    String general = channel(ann, bob);
    send(bob, general, "one");
    stopService();
    countOneMore(general);
    mongo.removeDocuments(CounterWriterRuns.RUNS, new JsonObject()).await();

    startService(fastAudits());
    awaitFigure(() -> activity(ann, general, null).getInteger("unread_count"), 1);
  }

  @Test
  @DisplayName("A run that died is audited by a live run from a minute before it was last seen: its channels are "
      + "corrected, older changes are left alone, and its record is removed")
  void deadRunIsAuditedFromItsLastSign() {
    redeploy(fastAudits());
    Principal ann = user("Ann");
    Principal bob = user("Bob");
    String recent = channel(ann, bob);
    send(bob, recent, "one");
    countOneMore(recent);
    String older = channel(ann, bob);
    send(bob, older, "one");
    countOneMore(older);
    mongo.updateCollection(CounterStore.CHANNEL_STATS, new JsonObject().put("channel_id", older),
        new JsonObject().put("$set", new JsonObject().put(CounterStore.CHANGED_AT,
            com.connectbest.chat.common.MongoDocs.date(Instant.now().minusSeconds(30 * 60))))).await();

    // a run of another process, killed: not clean, last seen 10 minutes ago, nothing answers on its address
    recordRun(new org.bson.types.ObjectId().toHexString(), Instant.now().minusSeconds(3600),
        Instant.now().minusSeconds(600));

    awaitFigure(() -> activity(ann, recent, null).getInteger("unread_count"), 1);
    awaitFigure(() -> runs().size(), 1);
    assertEquals(2, activity(ann, older, null).getInteger("unread_count"));
  }

  @Test
  @DisplayName("A channel written to while a dead run's audit looked at it is audited again at the next check, and "
      + "then corrected")
  void unsettledChannelIsAuditedAgain() {
    redeploy(new JsonObject().put("COUNTER_AUDIT_SETTLE_MS", 1_000).put("COUNTER_AUDIT_CHECK_MS", 50));
    Torn torn = tornChannel();
    Principal ann = torn.reader();
    Principal bob = torn.author();
    String general = torn.channel();
    recordRun(new org.bson.types.ObjectId().toHexString(), Instant.now(), Instant.now());
    // claimed: the audit's first look follows at once, and its second one a second later
    awaitFigure(() -> runs().stream().anyMatch(run -> run.getValue("auditor") != null) ? 1 : 0, 1);
    send(bob, general, "two, while the audit settles");

    awaitFigure(() -> activity(ann, general, null).getInteger("unread_count"), 2);
    awaitFigure(() -> runs().size(), 1);
  }

  @Test
  @DisplayName("A run that answers on its address, or does not answer in time (a paused node), is not audited; "
      + "once nothing is registered there it is")
  void liveOrSilentRunsAreNotAudited() {
    redeploy(fastAudits());
    Torn torn = tornChannel();
    Principal ann = torn.reader();
    String general = torn.channel();
    String other = new org.bson.types.ObjectId().toHexString();
    var answering = vertx.eventBus().consumer(Addresses.messagesRun(other), message -> message.reply(null));
    answering.completion().await();
    recordRun(other, Instant.now(), Instant.now());

    severalChecks();
    assertEquals(2, activity(ann, general, null).getInteger("unread_count"));
    answering.unregister().await();
    var silent = vertx.eventBus().consumer(Addresses.messagesRun(other), message -> { });
    silent.completion().await();
    sleep(2_500);
    assertEquals(2, activity(ann, general, null).getInteger("unread_count"));
    assertEquals(2, runs().size());

    silent.unregister().await();
    awaitFigure(() -> activity(ann, general, null).getInteger("unread_count"), 1);
    awaitFigure(() -> runs().size(), 1);
  }

  @Test
  @DisplayName("A counter update that fails at run time makes the run owe an audit: it does not stop clean until "
      + "it has audited itself, and the run after it audits it instead")
  void failedCounterUpdateIsOwed() {
    redeploy(new JsonObject().put("COUNTER_AUDIT_CHECK_MS", 3_600_000).put("COUNTER_AUDIT_SETTLE_MS", 50));
    Torn torn = tornChannel();
    Principal ann = torn.reader();
    Principal bob = torn.author();
    String general = torn.channel();
    breakAuthorCounter(general, bob);
    send(bob, general, "two: its author's counter update fails");

    stopService();
    JsonObject stopped = runs().get(0);
    assertEquals(false, stopped.getBoolean("clean"));
    assertNotNull(stopped.getValue("owed_since"));
    startService(fastAudits());
    awaitFigure(() -> activity(ann, general, null).getInteger("unread_count"), 2);
    awaitFigure(() -> runs().size(), 1);
  }

  @Test
  @DisplayName("A live run whose counter update failed audits itself at its next check, and then stops clean")
  void failedCounterUpdateIsAuditedBySelf() {
    redeploy(fastAudits());
    Torn torn = tornChannel();
    Principal ann = torn.reader();
    Principal bob = torn.author();
    String general = torn.channel();
    severalChecks();
    assertEquals(2, activity(ann, general, null).getInteger("unread_count"));
    breakAuthorCounter(general, bob);
    send(bob, general, "two: its author's counter update fails");

    awaitFigure(() -> activity(ann, general, null).getInteger("unread_count"), 2);
    stopService();
    assertEquals(true, runs().get(0).getBoolean("clean"));
  }

  /** The author's counter holds text, so the send's {@code $inc} on it fails in the store. */
  private void breakAuthorCounter(String channelId, Principal author) {
    mongo.updateCollection(CounterStore.MEMBER_STATS, new JsonObject().put("channel_id", channelId)
        .put("user_id", author.id()), new JsonObject().put("$set", new JsonObject().put("msg_count", "text"))).await();
  }

  @Test
  @DisplayName("A channel's first message stored without its counters is found by the audit: the seq allocation "
      + "before it marked the channel as changed")
  void firstMessageWithoutCountersIsFound() {
    Principal ann = user("Ann");
    Principal bob = user("Bob");
    String fresh = channel(ann, bob);
    EventLog log = EventLog.channels(mongo, mongo, java.time.Duration.ofHours(1), Clock::now);
    long seq = log.allocate(fresh, 1).await().last();
    // the process died after storing the message, before counting it
    mongo.insert(MessageStore.MESSAGES, MessageStore.document(new org.bson.types.ObjectId().toHexString(), seq,
        fresh, bob.id(), "first", null, new JsonArray(), Clock.now(), null, null)).await();
    assertEquals(0, activity(ann, fresh, null).getInteger("unread_count"));

    redeployAfterCrash(fastAudits());
    awaitFigure(() -> activity(ann, fresh, null).getInteger("unread_count"), 1);
    assertEquals("first", activity(ann, fresh, null).getString("last_message"));
  }

  @Test
  @DisplayName("A send's or a delete's counter write still in flight when an audit corrected its channel (a paused "
      + "node) is refused as corrected meanwhile instead of being counted a second time")
  void counterWriteBegunBeforeACorrectionIsNotMade() {
    Principal ann = user("Ann");
    Principal bob = user("Bob");
    String general = channel(ann, bob);
    send(bob, general, "one");
    CounterStore counters = new CounterStore(mongo);
    EventLog log = EventLog.channels(mongo, mongo, java.time.Duration.ofHours(1), Clock::now);
    // a node allocated a seq and stored "two", then paused before its counter write ...
    EventLog.Allocation allocation = log.allocate(general, 1).await();
    JsonObject two = MessageStore.document(new org.bson.types.ObjectId().toHexString(), allocation.last(), general,
        bob.id(), "two", null, new JsonArray(), Clock.now(), null, null);
    mongo.insert(MessageStore.MESSAGES, two).await();
    // ... for longer than an audit took to count "two" itself (here the audit of a run that died meanwhile)
    redeployAfterCrash(fastAudits());
    awaitFigure(() -> activity(ann, general, null).getInteger("unread_count"), 2);

    Throwable late = counters.sent(two, allocation.corrections()).map((Throwable) null).otherwise(err -> err).await();
    assertInstanceOf(CounterStore.CorrectedMeanwhile.class, late);
    assertEquals(2, activity(ann, general, null).getInteger("unread_count"));
    assertEquals("two", activity(ann, general, null).getString("last_message"));

    // the same for a delete: marked, stored, corrected by an audit, then its counter write lands
    long corrections = counters.touch(general).await();
    storeDeleteOnly(MongoDocs.id(two));
    redeployAfterCrash(fastAudits());
    awaitFigure(() -> activity(ann, general, null).getInteger("unread_count"), 1);
    late = counters.deleted(two, corrections).map((Throwable) null).otherwise(err -> err).await();
    assertInstanceOf(CounterStore.CorrectedMeanwhile.class, late);
    assertEquals(1, activity(ann, general, null).getInteger("unread_count"));

    // writes begun after the corrections are counted as before
    send(bob, general, "three");
    assertEquals(2, activity(ann, general, null).getInteger("unread_count"));
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The audit runs in the background after a start: waits (at most 10 s) for the figure to become right. */
  private static void awaitFigure(java.util.function.Supplier<Integer> figure, int expected) {
    long deadline = System.currentTimeMillis() + 10_000;
    while (figure.get() != expected && System.currentTimeMillis() < deadline) {
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
    assertEquals(expected, figure.get());
  }

  /** The backfill cuts at a whole second, and read positions compare by millisecond. */
  private static void waitPast(Instant instant) {
    while (!Instant.now().isAfter(instant)) {
      Thread.onSpinWait();
    }
  }
}
