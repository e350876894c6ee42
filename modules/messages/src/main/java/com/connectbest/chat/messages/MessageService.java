package com.connectbest.chat.messages;

import com.connectbest.chat.common.ApiException;
import com.connectbest.chat.common.Events;
import com.connectbest.chat.common.Ids;
import com.connectbest.chat.common.Meters;
import com.connectbest.chat.common.MongoDocs;
import com.connectbest.chat.common.Principal;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** Channel pages, single messages, threads, sending, editing and deleting. */
final class MessageService {

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(MessageService.class);

  static final int DEFAULT_PAGE = 50;
  static final int MAX_PAGE = 100;
  static final int MAX_REPLIES = 1000;
  static final String NOT_FOUND_OR_UNAUTHORIZED = "Message not found or unauthorized";
  static final String PARENT_NOT_FOUND = "Parent message not found";
  static final String KEY_REUSED = "This idempotency key was already used for a message elsewhere";
  static final String KEY_BUSY = "A request with this idempotency key is in progress; retry";
  /** How long a client key names its message; after that the same key sends a new one. */
  static final Duration KEY_LIFETIME = Duration.ofHours(24);
  /** Inserts tried per send when its key changes hands (expired, freed) in between. */
  private static final int KEY_ATTEMPTS = 3;

  /**
   * What a send produced. {@code replayed}: an earlier request with the same client key (same user, within
   * {@link #KEY_LIFETIME}) stored this message, so nothing new was stored, counted or published.
   */
  record Sent(JsonObject message, boolean replayed) {
  }

  private record Stored(JsonObject doc, boolean replayed) {
  }

  private final MessageStore messages;
  private final ChannelAccess access;
  private final VisibleMessages visible;
  private final MessageRenderer renderer;
  private final MessageEvents events;
  /** Told when a send or a counter update failed half-way, so that this run audits its counters (CounterWriterRuns). */
  private final Runnable countsInDoubt;
  private final CounterStore counters;

  MessageService(MessageStore messages, ChannelAccess access, VisibleMessages visible, MessageRenderer renderer,
                 MessageEvents events, CounterStore counters, Runnable countsInDoubt) {
    this.messages = messages;
    this.countsInDoubt = countsInDoubt;
    this.counters = counters;
    this.access = access;
    this.visible = visible;
    this.renderer = renderer;
    this.events = events;
  }

  /**
   * A page of top-level messages, newest first (as the original service answered, and the original frontend reverses
   * each page): the newest {@code limit} strictly older than {@code before}; the last one's id pages further back.
   */
  Future<JsonObject> list(Principal caller, Object channelIdParam, JsonObject query) {
    String channelId = Ids.requireChannel(channelIdParam, "channelId");
    int limit = MessageRules.limit(query.getValue("limit"), DEFAULT_PAGE, MAX_PAGE);
    Object beforeParam = query.getValue("before");
    String before = beforeParam == null || "".equals(beforeParam) ? null : Ids.requireObjectId(beforeParam, "before");
    return access.requireMember(channelId, caller.id())
        .compose(member -> messages.page(channelId, before, limit + 1))
        .compose(newestFirst -> {
          boolean hasMore = newestFirst.size() > limit;
          List<JsonObject> page = newestFirst.subList(0, Math.min(limit, newestFirst.size()));
          return renderer.render(page).map(views -> new JsonObject()
              .put("messages", new JsonArray(views))
              .put("has_more", hasMore));
        });
  }

  Future<JsonObject> get(Principal caller, Object messageId) {
    return visible.find(messageId, caller.id())
        .compose(renderer::render)
        .map(view -> new JsonObject().put("message", view));
  }

  /**
   * {@code sendMessage}: a message, or a reply when parent_message_id names a live top-level message of the same
   * channel (404 otherwise, as the contract states; a malformed id is 400). With a client key, see {@link Sent}.
   */
  Future<Sent> send(Principal caller, Object channelIdParam, JsonObject body, String key) {
    return send(caller, channelIdParam, body, key, null);
  }

  /**
   * As {@link #send(Principal, Object, JsonObject, String)}, by a bot: {@code bot} ({@code {name, icon_url}}) is kept
   * with the message, which then shows {@code is_bot} and that name. The caller is the bot's own account, so every
   * rule (membership, content) applies to it as to anyone.
   */
  Future<Sent> send(Principal caller, Object channelIdParam, JsonObject body, String key, JsonObject bot) {
    String channelId = Ids.requireChannel(channelIdParam, "channelId");
    return access.requireMember(channelId, caller.id()).compose(member -> {
      String content = MessageRules.content(body.getValue("content"));
      JsonArray attachments = MessageRules.attachments(body.getValue("attachments"));
      Object parentParam = body.getValue("parent_message_id");
      if (parentParam == null) {
        return create(caller, channelId, null, content, attachments, key, bot);
      }
      if (!Ids.isObjectId(parentParam)) {
        throw ApiException.validation("Invalid parent_message_id", new JsonObject().put("field", "parent_message_id"));
      }
      return messages.findById(((String) parentParam).toLowerCase()).compose(parent -> {
        if (parent == null || MessageView.isDeleted(parent) || !channelId.equals(parent.getString("channel_id"))) {
          return Future.failedFuture(ApiException.notFound(PARENT_NOT_FOUND));
        }
        return create(caller, channelId, parent, content, attachments, key, bot);
      });
    });
  }

  /** {@code postReply}: a reply in the thread of a live message the caller can see (404 otherwise). */
  Future<Sent> reply(Principal caller, Object parentId, JsonObject body, String key) {
    return visible.findLive(parentId, caller.id()).compose(parent -> {
      String content = MessageRules.content(body.getValue("content"));
      JsonArray attachments = MessageRules.attachments(body.getValue("attachments"));
      return create(caller, parent.getString("channel_id"), parent, content, attachments, key, null);
    });
  }

  /**
   * {@code listReplies}: a thread's replies, oldest first, {@code limit} at a time (default and maximum
   * {@value #MAX_REPLIES}, so threads up to that size come whole), strictly after the reply id {@code after};
   * {@code has_more} says whether newer replies follow.
   */
  Future<JsonObject> listReplies(Principal caller, Object parentId, JsonObject query) {
    int limit = MessageRules.limit(query.getValue("limit"), MAX_REPLIES, MAX_REPLIES);
    Object afterParam = query.getValue("after");
    String after = afterParam == null || "".equals(afterParam) ? null : Ids.requireObjectId(afterParam, "after");
    return visible.find(parentId, caller.id())
        .compose(parent -> messages.replies(MongoDocs.id(parent), after, limit + 1))
        .compose(found -> {
          boolean more = found.size() > limit;
          return renderer.render(more ? found.subList(0, limit) : found)
              .map(views -> new JsonObject().put("replies", new JsonArray(views)).put("has_more", more));
        });
  }

  /** {@code editMessage}: only the author, only while the message is not deleted; anyone else gets 404. */
  Future<JsonObject> edit(Principal caller, Object messageId, JsonObject body) {
    return visible.find(messageId, caller.id(), NOT_FOUND_OR_UNAUTHORIZED).compose(doc -> {
      if (MessageView.isDeleted(doc) || !caller.id().equals(doc.getString("user_id"))) {
        return Future.failedFuture(ApiException.notFound(NOT_FOUND_OR_UNAUTHORIZED));
      }
      String content = MessageRules.content(body.getValue("content"));
      return touched(doc).compose(v -> messages.edit(MongoDocs.id(doc), caller.id(), content, Clock.now()));
    }).compose(updated -> updated == null
        ? Future.failedFuture(ApiException.notFound(NOT_FOUND_OR_UNAUTHORIZED))
        : counted(updated.getValue("parent_message_id") == null ? counters.edited(updated) : null)
            .compose(v -> renderer.render(updated))
    ).compose(view -> events.message(Events.MESSAGE_UPDATED, view)
        .map(published -> new JsonObject().put("message", view)));
  }

  /**
   * {@code deleteMessage}: the author (while a member of the channel) or a site admin (any message). A soft
   * delete: the message keeps its place, loses its content; anyone else gets 404.
   */
  Future<JsonObject> delete(Principal caller, Object messageIdParam) {
    String messageId = Ids.requireObjectId(messageIdParam, "messageId");
    return messages.findById(messageId).compose(doc -> {
      if (doc == null || MessageView.isDeleted(doc)) {
        return Future.failedFuture(ApiException.notFound(NOT_FOUND_OR_UNAUTHORIZED));
      }
      if (caller.isAdmin()) {
        return Future.succeededFuture(doc);
      }
      if (!caller.id().equals(doc.getString("user_id"))) {
        return Future.failedFuture(ApiException.notFound(NOT_FOUND_OR_UNAUTHORIZED));
      }
      return access.canRead(doc.getString("channel_id"), caller.id()).compose(member -> member
          ? Future.succeededFuture(doc)
          : Future.failedFuture(ApiException.notFound(NOT_FOUND_OR_UNAUTHORIZED)));
    }).compose(doc -> touched(doc).compose(corrections -> messages.softDelete(messageId, caller.id(), Clock.now())
        .compose(deleted -> {
          if (deleted == null) {
            return Future.failedFuture(ApiException.notFound(NOT_FOUND_OR_UNAUTHORIZED));
          }
          String parentId = deleted.getString("parent_message_id");
          Future<Integer> counted = parentId == null
              ? counted(counters.deleted(deleted, corrections)).map(0)
              : messages.addToReplyCount(parentId, -1);
          return counted.compose(count -> events.deleted(deleted.getString("channel_id"), messageId, parentId, count))
              .map(published -> new JsonObject().put("message", "Message deleted successfully"));
        })));
  }

  private Future<Sent> create(Principal caller, String channelId, JsonObject parent, String content,
                              JsonArray attachments, String key, JsonObject bot) {
    if (parent != null && parent.getString("parent_message_id") != null) {
      return Future.failedFuture(ApiException.validation("Cannot reply to a thread reply",
          new JsonObject().put("field", "parent_message_id")));
    }
    String parentId = parent == null ? null : MongoDocs.id(parent);
    // a bot account's own message (REST, bridge) is marked like a hook's, with the bot's name
    JsonObject mark = bot != null ? bot
        : caller.isBot() ? new JsonObject().put("name", caller.name()).put("icon_url", null) : null;
    String clientKey = key == null ? null : MessageStore.clientKey(caller.id(), key);
    // The ticket gives the message its id and seq in channel order; it must be settled on every path.
    ChannelSequencer.Ticket ticket = events.ticket(channelId);
    if (clientKey == null) {
      // No key, so no replay: the counters (or the thread's reply count) are written alongside the insert, not after
      // it; both are staged, and the event's durable barrier follows both. If the insert fails, a count is one off,
      // as when a counter update fails (see counted).
      return ticket.seq()
          .compose(seq -> {
            JsonObject doc = MessageStore.document(ticket.messageId(), seq, channelId, caller.id(), content, parentId,
                attachments, Clock.now(), null, mark);
            Future<Integer> counts = count(doc, parentId, ticket.corrections());
            return Future.all(messages.insert(doc), counts)
                .compose(both -> announce(doc, parentId, ticket, counts.result()));
          })
          .map(view -> new Sent(view, false))
          .onFailure(err -> {
            ticket.abandon();
            // The insert and the counters are written side by side: one of them may have landed without the other.
            if (!(err instanceof ApiException)) {
              countsInDoubt.run();
            }
          });
    }
    return ticket.seq()
        .compose(seq -> insertOnce(ticket.messageId(), seq, caller.id(), channelId, parentId, content, attachments,
            clientKey, mark, KEY_ATTEMPTS))
        .compose(stored -> {
          if (stored.replayed()) {
            ticket.abandon();
            return replay(stored.doc(), channelId, parentId);
          }
          return count(stored.doc(), parentId, ticket.corrections())
              .compose(replyCount -> announce(stored.doc(), parentId, ticket, replyCount))
              .map(view -> new Sent(view, false));
        })
        .onFailure(err -> ticket.abandon());
  }

  /**
   * Before a top-level message's edit or delete: its channel's figures are marked as changing (CounterAudit).
   * Resolves to the channel's corrections then, which its counted write expects (0 for a reply: not counted there).
   */
  private Future<Long> touched(JsonObject doc) {
    return doc.getValue("parent_message_id") == null ? counters.touch(doc.getString("channel_id"))
        : Future.succeededFuture(0L);
  }

  /**
   * A new message's counts: the channel's counters (made only if the channel's figures were corrected
   * {@code corrections} times, as at its seq allocation), or for a reply its thread's new reply count (0 otherwise).
   */
  private Future<Integer> count(JsonObject doc, String parentId, long corrections) {
    return parentId == null ? counted(counters.sent(doc, corrections)).map(0) : messages.addToReplyCount(parentId, 1);
  }

  /**
   * Stores the message, unless an earlier request with the same client key stored one: the unique index on
   * {@code client_key} decides, across nodes and concurrent retries, so exactly one insert wins and every other
   * request answers with the winner's message. A key held longer than {@link #KEY_LIFETIME} is freed and used anew.
   */
  private Future<Stored> insertOnce(String id, long seq, String userId, String channelId, String parentId,
                                    String content, JsonArray attachments, String clientKey, JsonObject bot,
                                    int attempts) {
    Instant now = Clock.now();
    return messages.insert(id, seq, channelId, userId, content, parentId, attachments, now, clientKey, bot)
        .map(doc -> new Stored(doc, false))
        .recover(err -> {
          if (clientKey == null || !MongoDocs.isDuplicateKey(err)) {
            return Future.failedFuture(err);
          }
          if (attempts <= 1) {
            // Only reachable when the key keeps changing hands between our insert and our lookup.
            return Future.failedFuture(ApiException.conflict(KEY_BUSY));
          }
          return messages.findByClientKey(clientKey).compose(holder -> {
            if (holder == null) {
              // Freed between our insert and our lookup (it had expired): the next insert may win.
              return insertOnce(id, seq, userId, channelId, parentId, content, attachments, clientKey, bot,
                  attempts - 1);
            }
            Instant heldSince = MongoDocs.instant(holder.getValue("created_at"));
            if (heldSince == null || !heldSince.plus(KEY_LIFETIME).isAfter(now)) {
              return messages.releaseClientKey(MongoDocs.id(holder), clientKey)
                  .compose(v -> insertOnce(id, seq, userId, channelId, parentId, content, attachments, clientKey,
                      bot, attempts - 1));
            }
            return Future.succeededFuture(new Stored(holder, true));
          });
        });
  }

  /** A new message, stored and counted: rendered, and published once. */
  private Future<JsonObject> announce(JsonObject doc, String parentId, ChannelSequencer.Ticket ticket, int replyCount) {
    Meters.count(Meters.MESSAGES_SENT);
    return renderer.renderNew(doc).compose(view ->
        // A reply is a thread event only: clients appending every new_message to the channel view would show it there.
        (parentId == null
            ? events.created(view, ticket)
            : events.threadReply(view, replyCount, ticket)).map(published -> view));
  }

  /**
   * A counter update after its message was stored: a failure there must not fail the request (the message exists and
   * a retry would store nothing new), so it is logged. The member counters heal at the next read mark; a channel's
   * count stays off by one until this run's next check audits it ({@link CounterWriterRuns}).
   */
  private Future<Void> counted(Future<Void> update) {
    return update == null ? Future.succeededFuture() : update.recover(err -> {
      LOG.warn("A message counter was not updated: {}", err.getMessage());
      countsInDoubt.run();
      return Future.succeededFuture();
    });
  }

  /**
   * The message an earlier request with the same key stored, as it is now: no event, no count. A key names one
   * send, so reusing it for another conversation or thread is the client's mistake (409), not a replay.
   */
  private Future<Sent> replay(JsonObject doc, String channelId, String parentId) {
    if (!channelId.equals(doc.getString("channel_id"))
        || !java.util.Objects.equals(parentId, MongoDocs.hex(doc.getValue("parent_message_id")))) {
      return Future.failedFuture(ApiException.conflict(KEY_REUSED));
    }
    // The earlier request may still be waiting for its writes to be durable: answer only once they are.
    return messages.barrier().compose(v -> renderer.render(doc)).map(view -> new Sent(view, true));
  }
}
