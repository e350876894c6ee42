package com.connectbest.chat.messages;

import com.connectbest.chat.common.Addresses;
import com.connectbest.chat.common.InternalActions;
import com.connectbest.chat.common.MongoDocs;
import com.connectbest.chat.common.ServiceClient;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns stored messages into {@link MessageView}s for a whole page at once: one {@code lookupUsers} call for the
 * authors not cached yet, one reactions query, and one {@code readCounts} call per channel on the page (one for a
 * channel page) — never a call per message, and never every member's read position of a large channel.
 */
final class MessageRenderer {

  /** A member's read position, as the channels service reports it. */
  record ReadState(String userId, Instant lastReadAt) {
  }

  /** The most ids {@code lookupUsers} answers in one call. */
  static final int LOOKUP_BATCH = 1000;

  private final ServiceClient services;
  private final ReactionStore reactions;
  private final AuthorCache authors;

  MessageRenderer(ServiceClient services, ReactionStore reactions, AuthorCache authors) {
    this.services = services;
    this.reactions = reactions;
    this.authors = authors;
  }

  Future<List<JsonObject>> render(List<JsonObject> docs) {
    if (docs.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    List<String> live = docs.stream().filter(doc -> !MessageView.isDeleted(doc)).map(MongoDocs::id).toList();
    Future<Map<String, JsonObject>> authors = authors(docs.stream().map(doc -> doc.getString("user_id")).toList());
    Future<Map<String, JsonArray>> summaries = reactions.summaries(live);
    Future<Map<String, Integer>> readCounts = readCounts(docs);
    return Future.all(authors, summaries, readCounts).map(all -> {
      List<JsonObject> views = new ArrayList<>(docs.size());
      for (JsonObject doc : docs) {
        String id = MongoDocs.id(doc);
        views.add(MessageView.of(doc, authors.result().get(doc.getString("user_id")), summaries.result().get(id),
            readCounts.result().getOrDefault(id, 0)));
      }
      return views;
    });
  }

  Future<JsonObject> render(JsonObject doc) {
    return render(List.of(doc)).map(views -> views.get(0));
  }

  /** A message just created: nobody has reacted or read it yet, so only its author is looked up. */
  Future<JsonObject> renderNew(JsonObject doc) {
    return authors(List.of(doc.getString("user_id")))
        .map(found -> MessageView.of(doc, found.get(doc.getString("user_id")), new JsonArray(), 0));
  }

  /**
   * Users by id ({@code lookupUsers} answers; unknown ids are absent): the cached ones, and for the rest one call, or
   * one per {@value #LOOKUP_BATCH} ids for the rare longer lists (readers of a big channel).
   */
  Future<Map<String, JsonObject>> authors(List<String> userIds) {
    Map<String, JsonObject> known = new HashMap<>();
    List<String> ids = new ArrayList<>();
    userIds.stream().filter(id -> id != null).distinct().forEach(id -> {
      JsonObject cached = authors.get(id);
      if (cached != null) {
        known.put(id, cached);
      } else {
        ids.add(id);
      }
    });
    if (ids.isEmpty()) {
      return Future.succeededFuture(known);
    }
    List<Future<JsonObject>> calls = new ArrayList<>();
    for (int from = 0; from < ids.size(); from += LOOKUP_BATCH) {
      calls.add(services.call(Addresses.AUTH, InternalActions.LOOKUP_USERS, new JsonObject()
          .put("user_ids", new JsonArray(ids.subList(from, Math.min(ids.size(), from + LOOKUP_BATCH))))));
    }
    return Future.all(calls).map(done -> {
      calls.forEach(call -> call.result().getJsonArray("users", new JsonArray()).stream()
          .filter(JsonObject.class::isInstance).map(JsonObject.class::cast)
          .forEach(user -> {
            authors.put(user);
            known.put(user.getString("id"), user);
          }));
      return known;
    });
  }

  /** Read positions of the current members of one channel. */
  Future<List<ReadState>> readStates(String channelId) {
    return services.call(Addresses.CHANNELS, InternalActions.CHANNEL_READ_STATES,
            new JsonObject().put("channel_id", channelId))
        .map(reply -> reply.getJsonArray("reads", new JsonArray()).stream()
            .filter(JsonObject.class::isInstance).map(JsonObject.class::cast)
            .map(read -> new ReadState(read.getString("user_id"), MongoDocs.instant(read.getValue("last_read_at"))))
            .toList());
  }

  /** message id → how many members (not the author) have read it, one {@code readCounts} call per channel. */
  private Future<Map<String, Integer>> readCounts(List<JsonObject> docs) {
    Map<String, JsonArray> byChannel = new HashMap<>();
    for (JsonObject doc : docs) {
      byChannel.computeIfAbsent(doc.getString("channel_id"), id -> new JsonArray()).add(new JsonObject()
          .put("id", MongoDocs.id(doc)).put("created_at", MongoDocs.iso(doc.getValue("created_at")))
          .put("user_id", doc.getString("user_id")));
    }
    List<Future<JsonObject>> calls = new ArrayList<>();
    byChannel.forEach((channelId, messages) -> calls.add(services.call(Addresses.CHANNELS, InternalActions.READ_COUNTS,
        new JsonObject().put("channel_id", channelId).put("messages", messages))));
    return Future.all(calls).map(done -> {
      Map<String, Integer> counts = new HashMap<>();
      calls.forEach(call -> call.result().getJsonObject("counts", new JsonObject())
          .forEach(entry -> counts.put(entry.getKey(), ((Number) entry.getValue()).intValue())));
      return counts;
    });
  }

  /** The members other than the author whose last_read_at is at or after the message's creation. */
  static List<ReadState> readers(JsonObject doc, List<ReadState> states) {
    Instant created = MongoDocs.instant(doc.getValue("created_at"));
    String author = doc.getString("user_id");
    if (created == null) {
      return List.of();
    }
    return states.stream()
        .filter(state -> state.userId() != null && !state.userId().equals(author))
        .filter(state -> state.lastReadAt() != null && !state.lastReadAt().isBefore(created))
        .toList();
  }
}
