package com.connectbest.chat.channels;

import com.connectbest.chat.common.ApiException;
import com.connectbest.chat.common.Ids;
import com.connectbest.chat.common.InternalActions;
import com.connectbest.chat.common.MongoDocs;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The membership facts other services ask for (internal actions). Malformed ids are answered as "nothing",
 * never as errors: the bridge forwards whatever a browser names.
 */
final class AccessService {

  private final ChannelStore channels;
  private final MembershipStore members;
  private final ReadStateStore reads;
  private final ChannelReaders readers;

  AccessService(ChannelStore channels, MembershipStore members, ReadStateStore reads, ChannelReaders readers) {
    this.channels = channels;
    this.members = members;
    this.reads = reads;
    this.readers = readers;
  }

  /** {@code {channel_id, user_id}} → {@code {exists, type, member, member_role}}. */
  Future<JsonObject> checkAccess(JsonObject body) {
    String channelId = canonicalChannel(body.getValue("channel_id"));
    String userId = canonicalUser(body.getValue("user_id"));
    if (channelId == null) {
      return Future.succeededFuture(access(null, null));
    }
    return channels.findLive(channelId).compose(channel -> channel == null || userId == null
        ? Future.succeededFuture(access(channel, null))
        : members.find(channelId, userId).map(member -> access(channel, member)));
  }

  /** One channel's answer: whether the (live) channel exists, its type, and the membership (null: none). */
  private static JsonObject access(JsonObject channel, JsonObject member) {
    return new JsonObject().put("exists", channel != null)
        .put("type", channel == null ? null : ChannelViews.type(channel))
        .put("member", member != null)
        .put("member_role", member == null ? null : member.getString("role", MembershipStore.MEMBER));
  }

  /**
   * {@link #checkAccess} for many channels of one user ({@link InternalActions#CHECK_ACCESS_MANY}): the live channels
   * in one {@code _id} read, the user's memberships among them in one read of the unique index. Ids that are not
   * channel ids answer as unknown channels.
   */
  Future<JsonObject> checkAccessMany(JsonObject body) {
    JsonArray given = body.getValue("channel_ids") instanceof JsonArray ids ? ids : new JsonArray();
    if (given.size() > InternalActions.CHECK_ACCESS_MANY_LIMIT) {
      return Future.failedFuture(ApiException.validation("At most " + InternalActions.CHECK_ACCESS_MANY_LIMIT
          + " channel_ids", new JsonObject().put("field", "channel_ids")));
    }
    String userId = canonicalUser(body.getValue("user_id"));
    Map<Object, String> canonical = new LinkedHashMap<>();
    given.forEach(id -> canonical.put(id, canonicalChannel(id)));
    Set<String> known = new LinkedHashSet<>(canonical.values());
    known.remove(null);
    Future<List<JsonObject>> live = known.isEmpty() ? Future.succeededFuture(List.of()) : channels.findLive(known);
    return live.compose(found -> {
      Map<String, JsonObject> byId = new HashMap<>();
      found.forEach(channel -> byId.put(MongoDocs.id(channel), channel));
      Future<List<JsonObject>> memberships = userId == null || byId.isEmpty() ? Future.succeededFuture(List.of())
          : members.find(byId.keySet(), userId);
      return memberships.map(mine -> {
        Map<String, JsonObject> roleOf = new HashMap<>();
        mine.forEach(member -> roleOf.put(member.getString("channel_id"), member));
        JsonObject answers = new JsonObject();
        canonical.forEach((asGiven, id) -> {
          JsonObject channel = id == null ? null : byId.get(id);
          JsonObject member = id == null ? null : roleOf.get(id);
          answers.put(String.valueOf(asGiven), access(channel, member));
        });
        return new JsonObject().put("access", answers);
      });
    });
  }

  /** {@code {user_id}} → {@code {channel_ids}}: every channel the user belongs to, DMs included. */
  Future<JsonObject> memberChannels(JsonObject body) {
    String userId = canonicalUser(body.getValue("user_id"));
    if (userId == null) {
      return Future.succeededFuture(new JsonObject().put("channel_ids", new JsonArray()));
    }
    return members.ofUser(userId).map(list -> new JsonObject().put("channel_ids",
        new JsonArray(list.stream().map(m -> m.getString("channel_id")).distinct().toList())));
  }

  /** {@code {channel_id}} → {@code {reads: [{user_id, last_read_at}]}} for current members (null: never read). */
  Future<JsonObject> readStates(JsonObject body) {
    String channelId = canonicalChannel(body.getValue("channel_id"));
    if (channelId == null) {
      return Future.succeededFuture(new JsonObject().put("reads", new JsonArray()));
    }
    return memberReads(channelId).map(lastRead -> {
      JsonArray states = new JsonArray();
      lastRead.forEach((userId, at) -> states.add(new JsonObject().put("user_id", userId)
          .put("last_read_at", at == null ? null : at.toString())));
      return new JsonObject().put("reads", states);
    });
  }

  /** See {@link InternalActions#MEMBER_REMOVALS}: ids that are not channel ids are left out of the answer. */
  Future<JsonObject> memberRemovals(JsonObject body) {
    JsonArray given = body.getJsonArray("channel_ids", new JsonArray());
    if (given.size() > InternalActions.MEMBER_REMOVALS_LIMIT) {
      throw ApiException.validation("At most " + InternalActions.MEMBER_REMOVALS_LIMIT + " channels per request",
          new JsonObject().put("field", "channel_ids"));
    }
    List<String> ids = given.stream().map(AccessService::canonicalChannel).filter(Objects::nonNull).distinct().toList();
    if (ids.isEmpty()) {
      return Future.succeededFuture(new JsonObject().put("removals", new JsonObject()));
    }
    return members.removals(ids).map(counts -> {
      JsonObject removals = new JsonObject();
      counts.forEach(removals::put);
      return new JsonObject().put("removals", removals);
    });
  }

  /** Current members, in joining order, with their last_read_at (null: never read). */
  private Future<Map<String, Instant>> memberReads(String channelId) {
    return members.memberIds(channelId).compose(ids -> reads.ofChannel(channelId).map(lastRead -> {
      Map<String, Instant> byMember = new LinkedHashMap<>();
      ids.forEach(id -> byMember.put(id, lastRead.get(id)));
      return byMember;
    }));
  }

  /**
   * See {@link InternalActions#READ_COUNTS}. The channel's members' read positions come sorted from
   * {@link ChannelReaders} (a short-lived cache: read counts may lag the store by its TTL), so each message costs a
   * binary search rather than a pass over every member (a company-wide channel has thousands).
   */
  Future<JsonObject> readCounts(JsonObject body) {
    String channelId = canonicalChannel(body.getValue("channel_id"));
    JsonArray messages = body.getJsonArray("messages", new JsonArray());
    if (channelId == null || messages.isEmpty()) {
      return Future.succeededFuture(new JsonObject().put("counts", new JsonObject()));
    }
    List<JsonObject> page = messages.stream().filter(item -> item instanceof JsonObject).map(JsonObject.class::cast)
        .filter(message -> message.getValue("id") instanceof String).toList();
    return readers.get(channelId, () -> loadReaders(channelId)).map(channelReaders -> {
      JsonObject counts = new JsonObject();
      page.forEach(message -> counts.put(message.getString("id"),
          readers(channelReaders.sorted(), channelReaders.byMember(), message)));
      return new JsonObject().put("counts", counts);
    });
  }

  /** Two index reads: the channel's members and its read positions (those of former members are left out). */
  private Future<ChannelReaders.Readers> loadReaders(String channelId) {
    return memberReads(channelId).map(byMember -> {
      Map<String, Instant> read = new HashMap<>();
      byMember.forEach((userId, at) -> {
        if (at != null) {
          read.put(userId, at);
        }
      });
      return new ChannelReaders.Readers(read, read.values().stream().sorted().toArray(Instant[]::new));
    });
  }

  /** Members other than the author whose read position is at or after the message. */
  private static long readers(Instant[] sortedReads, Map<String, Instant> memberReads, JsonObject message) {
    Instant created = MongoDocs.instant(message.getValue("created_at"));
    if (created == null) {
      return 0;
    }
    int from = Arrays.binarySearch(sortedReads, created);
    if (from < 0) {
      from = -from - 1;
    }
    while (from > 0 && sortedReads[from - 1].equals(created)) {
      from--;
    }
    Instant authorRead = memberReads.get(message.getValue("user_id") instanceof String id ? id : "");
    boolean authorCounted = authorRead != null && !authorRead.isBefore(created);
    return sortedReads.length - from - (authorCounted ? 1 : 0);
  }

  /** {@code {user_id}} → {@code {dms: [{channel_id, last_read_at}]}}: every DM conversation of the user. */
  Future<JsonObject> dmReadStates(JsonObject body) {
    String userId = canonicalUser(body.getValue("user_id"));
    if (userId == null) {
      return Future.succeededFuture(new JsonObject().put("dms", new JsonArray()));
    }
    return members.ofUser(userId).compose(list -> {
      List<String> dmIds = list.stream().map(m -> m.getString("channel_id")).filter(ChannelIds::isDm).distinct()
          .toList();
      return reads.ofUser(userId, dmIds).map(lastRead -> new JsonObject().put("dms", new JsonArray(dmIds.stream()
          .map(id -> new JsonObject().put("channel_id", id)
              .put("last_read_at", lastRead.get(id) == null ? null : lastRead.get(id).toString()))
          .toList())));
    });
  }

  private static String canonicalChannel(Object value) {
    if (ChannelIds.isDm(value)) {
      return (String) value;
    }
    return Ids.isObjectId(value) ? ((String) value).toLowerCase(Locale.ROOT) : null;
  }

  private static String canonicalUser(Object value) {
    return Ids.isObjectId(value) ? ((String) value).toLowerCase(Locale.ROOT) : null;
  }
}
