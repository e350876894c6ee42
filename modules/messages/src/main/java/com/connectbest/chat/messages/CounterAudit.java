package com.connectbest.chat.messages;

import com.connectbest.chat.common.MongoDocs;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Repairs the {@link CounterStore counters} that a killed process left wrong. A send stores its message and moves
 * its channel's counters in two writes (an edit or a delete: its message, then the counters); a process that dies
 * between them leaves a message that is not counted, a count without its message, or a stale last message, and
 * nothing at run time notices.
 *
 * <p>It runs when {@link CounterWriterRuns} finds a run that may have left such a write (one that ended without a
 * clean stop, or a live one whose counted write failed), over the channels whose figures changed since shortly
 * before that run could have made it (their {@code changed_at}: a send marks it when it allocates its seq, before its
 * message is written; edits and deletes before their write). Each is recounted from its messages. A channel whose
 * count or last message differs is looked at again after {@link #settle}, so that writes in flight on live nodes
 * (their message stored, their counter not yet) land first: it is corrected only if its recount still gives the same
 * answer and no counted write moved its figures meanwhile (the correction is conditional on the {@code ops} it
 * read). A counted write still in flight after that (a node paused for longer than the settle time) is not made: the
 * correction moves the channel's {@code corrections}, which every counted write expects unchanged since it began
 * ({@link CounterStore.CorrectedMeanwhile}), and its run audits the channel again. Its members' read positions are
 * then forgotten, so each member's unread figure is recounted once at the next channel list (a read mark may have
 * copied the wrong count). Channels are audited one at a time, so an audit adds little load.
 */
final class CounterAudit {

  private static final Logger LOG = LoggerFactory.getLogger(CounterAudit.class);
  static final long DEFAULT_SETTLE_MS = 5_000;

  /** What a channel's messages say: its live top-level messages, and the newest top-level one (or null). */
  private record Recount(long counted, JsonObject newest) {

    /** The same count and the same newest message: nothing was written to the channel between the two. */
    boolean sameAs(Recount other) {
      return counted == other.counted && Objects.equals(id(newest), id(other.newest));
    }
  }

  /**
   * What an audit did: channels corrected, and channels that disagreed but were written to while audited, so were
   * left as they were (the caller audits again).
   */
  record Outcome(int corrected, int unsettled) {
  }

  /** A channel whose figures disagreed with its messages at the first look. */
  private record Suspect(CounterStore.Audited figures, Recount first) {
  }

  private final Vertx vertx;
  private final MessageStore messages;
  private final CounterStore counters;
  private final CounterBackfill backfill;
  private final long settle;

  CounterAudit(Vertx vertx, MessageStore messages, CounterStore counters, CounterBackfill backfill, long settleMs) {
    this.vertx = vertx;
    this.messages = messages;
    this.counters = counters;
    this.backfill = backfill;
    this.settle = settleMs;
  }

  /**
   * Audits the channels whose figures changed since {@code since}; {@code why} names the reason in the log.
   */
  Future<Outcome> run(Instant since, String why) {
    if (!backfill.ready()) {
      // The backfill is still setting the bases; channel lists count from the messages until it is done.
      return Future.succeededFuture(new Outcome(0, 0));
    }
    long began = System.currentTimeMillis();
    return counters.changedSince(since)
        .compose(changed -> suspects(changed, 0, new ArrayList<>()).compose(suspects -> suspects.isEmpty()
            ? Future.succeededFuture(new Outcome(0, 0))
            : vertx.timer(settle).compose(t -> correct(suspects, 0, new Outcome(0, 0)))
        ).onSuccess(outcome -> {
          if (outcome.corrected() > 0 || outcome.unsettled() > 0) {
            LOG.warn("Message counters of {} channel(s) disagreed with their messages ({}): {} corrected, {} written "
                + "to meanwhile and left for the next audit ({} written since {} audited in {} ms)",
                outcome.corrected() + outcome.unsettled(), why, outcome.corrected(), outcome.unsettled(),
                changed.size(), since, System.currentTimeMillis() - began);
          } else {
            LOG.info("Message counters audited ({}): {} channel(s) written since {}, all right ({} ms)", why,
                changed.size(), since, System.currentTimeMillis() - began);
          }
        }))
        .onFailure(err -> LOG.warn("Message counter audit ({}) failed; it is tried again: {}", why, err.getMessage()));
  }

  /** First look, one channel after the other: the channels whose figures disagree with their messages. */
  private Future<List<Suspect>> suspects(List<CounterStore.Audited> changed, int index, List<Suspect> found) {
    if (index == changed.size()) {
      return Future.succeededFuture(found);
    }
    CounterStore.Audited figures = changed.get(index);
    return recount(figures.channelId()).compose(first -> {
      if (disagrees(figures, first)) {
        found.add(new Suspect(figures, first));
      }
      return suspects(changed, index + 1, found);
    });
  }

  /** Second look after the settle time: corrected only if the recount is unchanged (and, in the store, ops too). */
  private Future<Outcome> correct(List<Suspect> suspects, int index, Outcome so) {
    if (index == suspects.size()) {
      return Future.succeededFuture(so);
    }
    Suspect suspect = suspects.get(index);
    CounterStore.Audited figures = suspect.figures();
    Recount first = suspect.first();
    String channelId = figures.channelId();
    return recount(channelId).compose(again -> {
      if (!again.sameAs(first)) {
        LOG.debug("Channel {} changed while audited; left for the next audit", channelId);
        return Future.succeededFuture(false);
      }
      // Not corrected if a counted write moved the figures since they were read (ops): left for the next audit too.
      return counters.correct(channelId, figures.ops(), first.counted() - figures.messages(), first.newest())
          .compose(done -> done ? counters.forgetReads(channelId).map(true) : Future.succeededFuture(false));
    }).compose(done -> correct(suspects, index + 1, done
        ? new Outcome(so.corrected() + 1, so.unsettled()) : new Outcome(so.corrected(), so.unsettled() + 1)));
  }

  private Future<Recount> recount(String channelId) {
    Future<Long> counted = messages.countTopLevel(channelId);
    Future<Map<String, JsonObject>> newest = messages.lastMessages(List.of(channelId));
    return Future.all(counted, newest).map(both -> new Recount(counted.result(), newest.result().get(channelId)));
  }

  private static boolean disagrees(CounterStore.Audited figures, Recount recount) {
    JsonObject newest = recount.newest();
    boolean newestDeleted = newest != null && Boolean.TRUE.equals(newest.getValue("is_deleted"));
    return recount.counted() != figures.messages()
        || !Objects.equals(id(newest), figures.lastId())
        || newestDeleted != figures.lastDeleted()
        || !newestDeleted && newest != null && !Objects.equals(newest.getValue("content"), figures.lastContent());
  }

  private static String id(JsonObject message) {
    return message == null ? null : MongoDocs.id(message);
  }
}
