package com.connectbest.chat.messages;

import com.connectbest.chat.common.Addresses;
import com.connectbest.chat.common.MongoDocs;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;
import io.vertx.ext.mongo.UpdateOptions;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.bson.types.ObjectId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides when the {@link CounterAudit} runs: only for a run of the messages service that may have left a counter
 * wrong, and only over the channels it could have touched then, instead of over a whole day of channels at every
 * start (on a store of a million messages that read every message and ran for minutes beside the traffic).
 *
 * <pre>
 * counter_writer_runs {_id: run id, started_at, last_seen, owed_since: date|null, clean: bool, auditor: run id|null}
 * </pre>
 * A run is one messages verticle from its start to its stop. It records itself at start, refreshes {@code last_seen}
 * every {@link #checkMs}, and at a graceful stop is marked {@code clean} if every request it took had finished and it
 * owes no audit. It owes one from the first counted write that failed at run time ({@code owed_since}, kept in
 * memory and written with the next refresh) until it has audited itself; it does that at its next check.
 *
 * <p>At each check, a run also looks at every other run not marked clean: if that run's bus address
 * ({@link Addresses#messagesRun}) has no handler, its process died or its node left the cluster. The first live run
 * to claim it ({@code auditor}, a conditional write) audits the channels written since shortly before the dead run
 * could have torn a write (its {@code owed_since}, or else its {@code last_seen}: a write it started after its last
 * refresh is later than that), then removes the record. A run whose address does not answer in time (a paused node)
 * is left for a later check; a claim whose auditor died is taken over the same way. An audit that left channels
 * unsettled (written to while it looked) keeps the record, or this run's debt, for the next check, at most
 * {@link #MAX_ATTEMPTS} times in a row. Auditing a run that turns out to be alive (a node that was only paused) is
 * harmless: the audit corrects only what stays wrong while it settles. A store with no run recorded at all (the
 * first start after an upgrade) is audited over {@code COUNTER_AUDIT_WINDOW_HOURS}, as every start was before.
 */
final class CounterWriterRuns {

  private static final Logger LOG = LoggerFactory.getLogger(CounterWriterRuns.class);
  static final String RUNS = "counter_writer_runs";
  static final long DEFAULT_CHECK_MS = 5_000;
  /** What the first start that finds counters but no run recorded (an upgrade) audits: the channels written within. */
  static final Duration DEFAULT_UPGRADE_WINDOW = Duration.ofHours(24);
  private static final long PING_TIMEOUT_MS = 2_000;
  /** Audits in a row that may leave channels unsettled before they are given up (see {@link #settled}). */
  static final int MAX_ATTEMPTS = 12;
  /**
   * How long before a run's last sign its torn writes may be marked: a write still in flight when the process died
   * (store writes take well under this), a late refresh (a busy event loop), a clock step on the writer.
   */
  static final Duration MARGIN = Duration.ofMinutes(1);

  private enum Liveness { ALIVE, DEAD, UNKNOWN }

  private final Vertx vertx;
  private final MongoClient mongo;
  private final CounterAudit audit;
  private final Duration upgradeWindow;
  private final long checkMs;
  private final String id = new ObjectId().toHexString();
  private MessageConsumer<Object> consumer;
  private long timer = -1;
  private boolean checking;
  /** The time of the oldest failed counted write not audited since, or null. */
  private Instant owedSince;
  private String owedWhy;
  /** Failed counted writes so far: an audit clears {@link #owedSince} only if none failed while it ran. */
  private long failures;
  /** Audits in a row that left channels unsettled, per audited run ("this run" for its own). */
  private final Map<String, Integer> attempts = new HashMap<>();

  CounterWriterRuns(Vertx vertx, MongoClient mongo, CounterAudit audit, Duration upgradeWindow, long checkMs) {
    this.vertx = vertx;
    this.mongo = mongo;
    this.audit = audit;
    this.upgradeWindow = upgradeWindow;
    this.checkMs = checkMs;
  }

  /**
   * Records this run and starts checking; the first check (and any audit) runs in the background. Records of runs
   * that stopped cleanly are removed.
   */
  Future<Void> begin() {
    Instant now = Clock.now();
    // No run recorded, but counters exist: written by a version that did not record runs, so how it stopped is
    // unknown, and this run audits the window (its self-audit starts a margin before the time owed). A new store
    // has neither.
    Future<Boolean> unknownPast = mongo.count(RUNS, new JsonObject()).compose(recorded -> recorded > 0
        ? Future.succeededFuture(false)
        : mongo.count(CounterStore.CHANNEL_STATS, new JsonObject()).map(channels -> channels > 0));
    return unknownPast
        .compose(unknown -> {
          if (unknown) {
            owe(now.minus(upgradeWindow).plus(MARGIN), "no earlier run of the messages service is recorded");
          }
          return mongo.insert(RUNS, new JsonObject().put("_id", MongoDocs.oid(id))
              .put("started_at", MongoDocs.date(now)).put("last_seen", MongoDocs.date(now))
              .put("owed_since", date(owedSince)).put("clean", false));
        })
        .compose(v -> mongo.removeDocuments(RUNS, new JsonObject().put("clean", true)))
        .compose(v -> {
          consumer = vertx.eventBus().consumer(Addresses.messagesRun(id), message -> message.reply(null));
          return consumer.completion();
        })
        .onSuccess(v -> {
          timer = vertx.setPeriodic(checkMs, tick -> check());
          check();
        });
  }

  /** A counted write failed: this run owes an audit from now (see the class comment). */
  void owe() {
    owe(Clock.now(), "a counted write of this run failed");
  }

  private void owe(Instant at, String why) {
    failures++;
    if (owedSince == null || at.isBefore(owedSince)) {
      owedSince = at;
      owedWhy = why;
    }
  }

  /**
   * Ends this run: marked clean when {@code drained} (every request it took has finished) and no audit is owed;
   * otherwise left for another run to audit. Then it stops answering on its address.
   */
  Future<Void> end(boolean drained) {
    vertx.cancelTimer(timer);
    boolean clean = drained && owedSince == null;
    JsonObject set = new JsonObject().put("last_seen", MongoDocs.date(Clock.now())).put("clean", clean)
        .put("owed_since", date(owedSince));
    Future<Void> marked = mongo.updateCollection(RUNS, MongoDocs.byId(id), new JsonObject().put("$set", set))
        .mapEmpty();
    return marked.recover(err -> {
      LOG.warn("Could not record the messages service's stop; its counters are audited by the next run: {}",
          err.getMessage());
      return Future.succeededFuture();
    }).compose(v -> consumer == null ? Future.succeededFuture() : consumer.unregister());
  }

  /** Refreshes this run's record, audits itself if it owes it, then audits the runs that died. */
  private void check() {
    if (checking) {
      return;
    }
    checking = true;
    refresh()
        .compose(v -> owedSince == null ? Future.succeededFuture() : auditSelf())
        .compose(v -> mongo.find(RUNS, new JsonObject().put("clean", false)
            .put("_id", new JsonObject().put("$ne", MongoDocs.oid(id)))))
        .compose(runs -> auditDead(runs, 0))
        .onFailure(err -> LOG.warn("Checking the messages service's runs failed; tried again: {}", err.getMessage()))
        .onComplete(done -> checking = false);
  }

  /** Upserted: a paused run whose record another run audited and removed records itself again. */
  private Future<Void> refresh() {
    JsonObject update = new JsonObject()
        .put("$set", new JsonObject().put("last_seen", MongoDocs.date(Clock.now())).put("owed_since", date(owedSince)))
        .put("$setOnInsert", new JsonObject().put("started_at", MongoDocs.date(Clock.now())).put("clean", false));
    return mongo.updateCollectionWithOptions(RUNS, MongoDocs.byId(id), update, new UpdateOptions().setUpsert(true))
        .mapEmpty();
  }

  private Future<Void> auditSelf() {
    long failuresBefore = failures;
    Instant since = owedSince.minus(MARGIN);
    return audit.run(since, owedWhy).map(outcome -> {
      if (failures == failuresBefore && settled("this run", outcome)) {
        owedSince = null;
      }
      return null;
    });
  }

  /**
   * Whether an audit of {@code runKey} is over: nothing left unsettled, or {@link #MAX_ATTEMPTS} audits in a row left
   * some (a channel written to at every look), which are then given up with a warning.
   */
  private boolean settled(String runKey, CounterAudit.Outcome outcome) {
    if (outcome.unsettled() == 0) {
      attempts.remove(runKey);
      return true;
    }
    int made = attempts.merge(runKey, 1, Integer::sum);
    if (made < MAX_ATTEMPTS) {
      return false;
    }
    attempts.remove(runKey);
    LOG.warn("Gave up auditing the counters of {} after {} audits: {} channel(s) were written to at every look",
        runKey, made, outcome.unsettled());
    return true;
  }

  private Future<Void> auditDead(List<JsonObject> runs, int index) {
    if (index == runs.size()) {
      return Future.succeededFuture();
    }
    JsonObject run = runs.get(index);
    return auditIfDead(run).recover(err -> {
      LOG.warn("Auditing the counters of run {} failed; tried again: {}", MongoDocs.id(run), err.getMessage());
      return Future.succeededFuture();
    }).compose(v -> auditDead(runs, index + 1));
  }

  private Future<Void> auditIfDead(JsonObject run) {
    String runId = MongoDocs.id(run);
    String auditor = run.getString("auditor");
    return liveness(runId).compose(state -> {
      if (state != Liveness.DEAD) {
        return Future.succeededFuture(false);
      }
      return auditor == null || auditor.equals(id) ? Future.succeededFuture(true)
          : liveness(auditor).map(Liveness.DEAD::equals);
    }).compose(dead -> {
      if (!dead) {
        return Future.succeededFuture();
      }
      // Claimed only if no other run claimed it since we read it.
      JsonObject claim = MongoDocs.byId(runId).put("clean", false).put("auditor", auditor);
      return mongo.updateCollection(RUNS, claim, new JsonObject().put("$set", new JsonObject().put("auditor", id)))
          .compose(result -> result.getDocMatched() == 0 ? Future.succeededFuture() : auditDeadRun(run));
    });
  }

  private Future<Void> auditDeadRun(JsonObject run) {
    String runId = MongoDocs.id(run);
    Instant lastSeen = MongoDocs.instant(run.getValue("last_seen"));
    Instant owed = MongoDocs.instant(run.getValue("owed_since"));
    Instant from = owed != null && (lastSeen == null || owed.isBefore(lastSeen)) ? owed : lastSeen;
    Instant since = (from == null ? Clock.now().minus(upgradeWindow) : from).minus(MARGIN);
    // Unsettled channels keep the record (claimed by this run), so the next check audits it again.
    return audit.run(since, "run " + runId + " ended without a clean stop")
        .compose(outcome -> settled(runId, outcome)
            ? mongo.removeDocuments(RUNS, MongoDocs.byId(runId).put("auditor", id)).mapEmpty()
            : Future.succeededFuture());
  }

  /** Whether the run answers on its address: DEAD only when nothing is registered there any more. */
  private Future<Liveness> liveness(String runId) {
    return vertx.eventBus().request(Addresses.messagesRun(runId), null,
            new DeliveryOptions().setSendTimeout(PING_TIMEOUT_MS))
        .map(reply -> Liveness.ALIVE)
        .recover(err -> Future.succeededFuture(err instanceof ReplyException reply
            && reply.failureType() == ReplyFailure.NO_HANDLERS ? Liveness.DEAD : Liveness.UNKNOWN));
  }

  private static JsonObject date(Instant instant) {
    return instant == null ? null : MongoDocs.date(instant);
  }
}
