package com.connectbest.chat.messages;

import com.connectbest.chat.common.MongoDocs;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.FindOptions;
import io.vertx.ext.mongo.MongoClient;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code messageStats} for the ops page: recent activity read off the messages' ids (an ObjectId starts with its
 * creation second), so every figure is a range of the {@code _id} index, whatever the store holds. Thread replies and
 * messages deleted since count: they were sent.
 */
final class MessageStats {

  /** Senders are collected from at most this many of the last hour's messages ({@code capped} says when it bit). */
  static final int SENDER_SCAN_LIMIT = 20_000;

  private final MongoClient mongo;
  private final java.util.function.Supplier<Instant> clock;

  MessageStats(MongoClient mongo, java.util.function.Supplier<Instant> clock) {
    this.mongo = mongo;
    this.clock = clock;
  }

  Future<JsonObject> stats() {
    Instant now = clock.get();
    Instant hourAgo = now.minus(Duration.ofHours(1));
    Future<Long> lastHour = mongo.count(MessageStore.MESSAGES, sentBetween(hourAgo, null));
    Future<List<JsonObject>> senders = mongo.findWithOptions(MessageStore.MESSAGES, sentBetween(hourAgo, null),
        new FindOptions().setFields(new JsonObject().put("user_id", 1)).setLimit(SENDER_SCAN_LIMIT));
    Instant firstHour = now.truncatedTo(ChronoUnit.HOURS).minus(Duration.ofHours(23));
    List<Future<Long>> hours = new ArrayList<>();
    for (int i = 0; i < 24; i++) {
      Instant from = firstHour.plus(Duration.ofHours(i));
      hours.add(mongo.count(MessageStore.MESSAGES, sentBetween(from, from.plus(Duration.ofHours(1)))));
    }
    List<Future<?>> all = new ArrayList<>(hours);
    all.add(lastHour);
    all.add(senders);
    return Future.all(all).map(done -> {
      int peak = -1;
      long most = 0;
      for (int i = 0; i < hours.size(); i++) {
        if (hours.get(i).result() > most) {
          most = hours.get(i).result();
          peak = i;
        }
      }
      return new JsonObject()
          .put("last_hour", lastHour.result())
          .put("active_senders_last_hour",
              senders.result().stream().map(doc -> doc.getString("user_id")).distinct().count())
          .put("capped", senders.result().size() >= SENDER_SCAN_LIMIT)
          .put("peak_hour", peak < 0 ? null
              : String.format("%02d:00", firstHour.plus(Duration.ofHours(peak)).atZone(ZoneOffset.UTC).getHour()));
    });
  }

  /** Messages inserted from {@code from} (inclusive) to {@code to} (exclusive, or open). */
  private static JsonObject sentBetween(Instant from, Instant to) {
    JsonObject range = MongoDocs.insertedSince(from);
    if (to != null) {
      range.put("$lt", MongoDocs.insertedSince(to).getValue("$gte"));
    }
    return new JsonObject().put("_id", range);
  }
}
