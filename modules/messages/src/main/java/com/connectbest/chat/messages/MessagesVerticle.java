package com.connectbest.chat.messages;

import com.connectbest.chat.common.Addresses;
import com.connectbest.chat.common.FileLinks;
import com.connectbest.chat.common.PublicUrl;
import com.connectbest.chat.common.ServiceDispatcher;
import com.connectbest.chat.common.ServiceVerticle;
import io.vertx.core.Future;
import io.vertx.ext.mongo.MongoClient;

/** Messages, threads, reactions, bookmarks, pins, search, and the message figures other services ask for. */
public class MessagesVerticle extends ServiceVerticle {

  /** How long a cached "member" answer may be trusted without an invalidation event (at most 1.5 s). */
  static final long DEFAULT_ACCESS_TTL_MS = 1_000;
  /** How long a cached author (name, avatar) may be shown without an invalidation event. */
  static final long DEFAULT_AUTHOR_TTL_MS = 60_000;
  static final int AUTHOR_CACHE_ENTRIES = 50_000;
  /** How long a channel's events stay resumable (listChannelEvents); setting EVENT_RETENTION_HOURS. */
  static final long DEFAULT_EVENT_RETENTION_HOURS = 24;
  /** How long an event waits for the events before it on this node (ChannelSequencer); EVENT_ORDER_WAIT_MS. */
  static final long DEFAULT_EVENT_ORDER_WAIT_MS = 2_000;
  private static final long PRUNE_EVERY_MS = 10 * 60_000;

  private CounterWriterRuns runs;

  @Override
  protected String address() {
    return Addresses.MESSAGES;
  }

  @Override
  protected Future<?> configure(ServiceDispatcher dispatcher) {
    MongoClient mongo = mongo();
    // A send stages its writes and ends with one durable write (a barrier: its stored message is its event's record,
    // see MessageEntries): one durable wait per send instead of one per write.
    MongoClient staged = stagedMongo();
    MessageStore messages = new MessageStore(mongo, staged);
    CounterStore counters = new CounterStore(mongo, staged);
    CounterBackfill backfill = new CounterBackfill(vertx, mongo, counters);
    CounterAudit audit = new CounterAudit(vertx, messages, counters, backfill,
        settings.number("COUNTER_AUDIT_SETTLE_MS", CounterAudit.DEFAULT_SETTLE_MS));
    java.time.Duration upgradeWindow = java.time.Duration.ofHours(
        settings.number("COUNTER_AUDIT_WINDOW_HOURS", CounterWriterRuns.DEFAULT_UPGRADE_WINDOW.toHours()));
    runs = new CounterWriterRuns(vertx, mongo, audit, upgradeWindow,
        settings.number("COUNTER_AUDIT_CHECK_MS", CounterWriterRuns.DEFAULT_CHECK_MS));
    ReactionStore reactions = new ReactionStore(mongo);
    BookmarkStore bookmarks = new BookmarkStore(mongo);
    ChannelAccess access = new ChannelAccess(services,
        settings.number("MEMBERSHIP_CACHE_TTL_MS", DEFAULT_ACCESS_TTL_MS), System::currentTimeMillis);
    VisibleMessages visible = new VisibleMessages(messages, access);
    AuthorCache authors = new AuthorCache(settings.number("AUTHOR_CACHE_TTL_MS", DEFAULT_AUTHOR_TTL_MS),
        AUTHOR_CACHE_ENTRIES, System::currentTimeMillis);
    MessageRenderer renderer = new MessageRenderer(services, reactions, authors);
    java.time.Duration retention =
        java.time.Duration.ofHours(settings.number("EVENT_RETENTION_HOURS", DEFAULT_EVENT_RETENTION_HOURS));
    long orderWait = settings.number("EVENT_ORDER_WAIT_MS", DEFAULT_EVENT_ORDER_WAIT_MS);
    EventLog eventLog = EventLog.channels(mongo, staged, retention, Clock::now);
    EventLog userLog = EventLog.users(mongo, staged, retention, Clock::now);
    MessageEvents events = new MessageEvents(new ChannelSequencer(vertx, eventLog, Addresses::channel, orderWait));
    MessageService messageService = new MessageService(messages, access, visible, renderer, events, counters,
        runs::owe);
    IncomingHooks hooks = new IncomingHooks(services, messageService);
    dispatcher.on("postIncomingHook", request -> hooks.post(request.pathParam("token"), request.bodyObject())
        .map(com.connectbest.chat.common.ServiceReply::ok));
    MessagesApi.register(dispatcher, new MessagesApi.Services(
        messageService,
        new ReactionService(reactions, visible, events),
        new BookmarkService(bookmarks, messages, visible, renderer, services),
        new PinService(messages, access, visible, renderer, events),
        new ReadReceiptService(visible, renderer),
        new SearchService(messages, renderer, services),
        new ChannelActivityService(messages, counters, backfill),
        new FileVisibility(messages, access),
        new ViewerState(bookmarks, FileLinks.from(settings, PublicUrl.of(vertx, settings))),
        new MessageStats(mongo, Clock::now),
        new LiveEventService(access, eventLog, new MessageEntries(messages, renderer), events, userLog,
            new ChannelSequencer(vertx, userLog, Addresses::user, orderWait))));
    // Where the store runs no TTL index (the embedded one), old events are removed here; each node may do it.
    vertx.setPeriodic(PRUNE_EVERY_MS, id -> Future.all(eventLog.prune(), userLog.prune()).onFailure(err ->
        org.slf4j.LoggerFactory.getLogger(MessagesVerticle.class).warn("Pruning events: {}", err.getMessage())));
    // A fault-injection hook for the multi-JVM tests only: act as if every membership event were lost.
    boolean dropMembershipEvents = settings.bool("TEST_DROP_MEMBERSHIP_EVENTS", false);
    return (dropMembershipEvents ? Future.<Void>succeededFuture() : access.listen(vertx.eventBus()))
        .compose(v -> authors.listen(vertx.eventBus()))
        .compose(v -> messages.createIndexes())
        .compose(v -> messages.backfillFileKeys())
        .compose(v -> counters.createIndexes())
        .compose(v -> eventLog.createIndexes())
        .compose(v -> userLog.createIndexes())
        .compose(v -> backfill.start())
        .compose(v -> reactions.createIndexes())
        .compose(v -> bookmarks.createIndexes())
        // Audits run in the background, while the service serves, and only where a run may have left a count wrong.
        .compose(v -> runs.begin());
  }

  @Override
  protected Future<Void> stopped(boolean drained) {
    return runs == null ? Future.succeededFuture() : runs.end(drained);
  }
}
