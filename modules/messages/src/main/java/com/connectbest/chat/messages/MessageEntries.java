package com.connectbest.chat.messages;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A channel's {@code new_message} and {@code thread_reply} events, made again from the stored messages: a message
 * carries its event's seq, so the send's insert is the event's record and the send writes no log entry of its own
 * (the log's insert was a fifth of a send's cost; docs/performance.md). Merged with the logged events by
 * {@link EventLog#since(String, long, int, EventLog.Recorded)}.
 *
 * <p>What a resume gets is the message as it is now, not as it was published: its edits, reactions, pins and
 * thread's reply count applied, and a message deleted since is not sent again (its {@code message_deleted} follows
 * as before). A client that applies the events in seq order ends where a live one did.
 */
final class MessageEntries implements EventLog.Recorded {

  private final MessageStore messages;
  private final MessageRenderer renderer;

  MessageEntries(MessageStore messages, MessageRenderer renderer) {
    this.messages = messages;
    this.renderer = renderer;
  }

  @Override
  public Future<List<EventLog.Entry>> after(String channelId, long after, int limit) {
    return messages.afterSeq(channelId, after, limit).map(docs -> docs.stream()
        .map(doc -> new EventLog.Entry(((Number) doc.getValue("seq")).longValue(), null, doc)).toList());
  }

  @Override
  public Future<Instant> recordedAt(String channelId, long seq) {
    return messages.createdAtOfSeq(channelId, seq);
  }

  @Override
  public Future<List<JsonObject>> events(List<EventLog.Entry> entries) {
    List<JsonObject> docs = entries.stream().map(EventLog.Entry::record).toList();
    List<String> roots = docs.stream().map(doc -> doc.getString("parent_message_id"))
        .filter(id -> id != null).distinct().toList();
    Future<List<JsonObject>> views = renderer.render(docs);
    Future<Map<String, Integer>> replyCounts = messages.replyCounts(roots);
    return Future.all(views, replyCounts).map(both -> {
      List<JsonObject> made = new ArrayList<>(docs.size());
      for (int i = 0; i < docs.size(); i++) {
        JsonObject view = views.result().get(i);
        String root = docs.get(i).getString("parent_message_id");
        JsonObject event = root == null ? MessageEvents.newMessageEvent(view)
            : MessageEvents.threadReplyEvent(view, replyCounts.result().getOrDefault(root, 0));
        made.add(event.put("seq", entries.get(i).seq()));
      }
      return made;
    });
  }
}
