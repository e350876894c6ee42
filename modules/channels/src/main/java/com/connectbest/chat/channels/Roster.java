package com.connectbest.chat.channels;

import com.connectbest.chat.common.MongoDocs;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Who belongs to which channel and how far each member has read: an in-memory copy of {@code channel_members} and
 * {@code user_channel_read}, so that lookups by user or by channel never scan a collection (the embedded store has
 * no secondary indexes, and a session start asks for both). Used on the channels verticle's event loop only.
 */
final class Roster {

  private final Map<String, Map<String, JsonObject>> membersByChannel = new HashMap<>();
  private final Map<String, Map<String, JsonObject>> membersByUser = new HashMap<>();
  private final Map<String, Map<String, Instant>> readsByChannel = new HashMap<>();
  // Per channel, its members' read positions in ascending order: every history page of a large channel needs them.
  private final Map<String, Instant[]> sortedReads = new HashMap<>();

  /** Adds or replaces a {@code channel_members} document ({channel_id, user_id, role, joined_at}). */
  void putMember(JsonObject doc) {
    String channelId = doc.getString("channel_id");
    String userId = doc.getString("user_id");
    if (channelId == null || userId == null) {
      return;
    }
    JsonObject member = new JsonObject().put("channel_id", channelId).put("user_id", userId)
        .put("role", doc.getString("role", MembershipStore.MEMBER)).put("joined_at", doc.getValue("joined_at"));
    membersByChannel.computeIfAbsent(channelId, id -> new LinkedHashMap<>()).put(userId, member);
    sortedReads.remove(channelId);
    membersByUser.computeIfAbsent(userId, id -> new LinkedHashMap<>()).put(channelId, member);
  }

  /** Resolves to whether there was such a member. */
  boolean removeMember(String channelId, String userId) {
    JsonObject removed = remove(membersByChannel, channelId, userId);
    sortedReads.remove(channelId);
    remove(membersByUser, userId, channelId);
    return removed != null;
  }

  void putRead(String channelId, String userId, Instant at) {
    if (channelId != null && userId != null && at != null) {
      readsByChannel.computeIfAbsent(channelId, id -> new HashMap<>()).put(userId, at);
      sortedReads.remove(channelId);
    }
  }

  JsonObject member(String channelId, String userId) {
    JsonObject member = membersByChannel.getOrDefault(channelId, Map.of()).get(userId);
    return member == null ? null : member.copy();
  }

  /** Members in the order they joined. */
  List<JsonObject> ofChannel(String channelId) {
    return copies(membersByChannel.get(channelId));
  }

  /** Ids of the members in the order they joined, without copying their documents. */
  List<String> memberIds(String channelId) {
    return List.copyOf(membersByChannel.getOrDefault(channelId, Map.of()).keySet());
  }

  List<JsonObject> ofUser(String userId) {
    return copies(membersByUser.get(userId));
  }

  int memberCount(String channelId) {
    return membersByChannel.getOrDefault(channelId, Map.of()).size();
  }

  /** user id → last_read_at of everyone who has read the channel (members or not). */
  Map<String, Instant> readsOf(String channelId) {
    return new HashMap<>(readsByChannel.getOrDefault(channelId, Map.of()));
  }

  /** The members' read positions in ascending order (members who never read are left out). Shared: not to be changed. */
  Instant[] sortedMemberReads(String channelId) {
    Instant[] sorted = sortedReads.get(channelId);
    if (sorted == null) {
      Map<String, Instant> reads = readsByChannel.getOrDefault(channelId, Map.of());
      sorted = membersByChannel.getOrDefault(channelId, Map.of()).keySet().stream().map(reads::get)
          .filter(Objects::nonNull).sorted().toArray(Instant[]::new);
      if (membersByChannel.containsKey(channelId)) {
        sortedReads.put(channelId, sorted);
      }
    }
    return sorted;
  }

  /** A member's read position; null for someone who is not a member or never read. */
  Instant memberRead(String channelId, String userId) {
    return membersByChannel.getOrDefault(channelId, Map.of()).containsKey(userId) ? lastRead(channelId, userId) : null;
  }

  Instant lastRead(String channelId, String userId) {
    return readsByChannel.getOrDefault(channelId, Map.of()).get(userId);
  }

  /** Puts each channel's members in joining order (a load reads them in store order). */
  void sortByJoining() {
    Comparator<JsonObject> byJoining = Comparator.comparing(
        (JsonObject member) -> MongoDocs.instant(member.getValue("joined_at")),
        Comparator.nullsFirst(Comparator.naturalOrder()));
    membersByChannel.replaceAll((channelId, members) -> {
      Map<String, JsonObject> sorted = new LinkedHashMap<>();
      members.values().stream().sorted(byJoining).forEach(member -> sorted.put(member.getString("user_id"), member));
      return sorted;
    });
  }

  /** Takes over everything another roster holds (a fresh load replacing this copy). */
  void replaceWith(Roster fresh) {
    membersByChannel.clear();
    membersByChannel.putAll(fresh.membersByChannel);
    membersByUser.clear();
    membersByUser.putAll(fresh.membersByUser);
    readsByChannel.clear();
    readsByChannel.putAll(fresh.readsByChannel);
    sortedReads.clear();
  }

  void putReadDoc(JsonObject doc) {
    putRead(doc.getString("channel_id"), doc.getString("user_id"), MongoDocs.instant(doc.getValue("last_read_at")));
  }

  private static JsonObject remove(Map<String, Map<String, JsonObject>> index, String outer, String inner) {
    Map<String, JsonObject> entries = index.get(outer);
    if (entries == null) {
      return null;
    }
    JsonObject removed = entries.remove(inner);
    if (entries.isEmpty()) {
      index.remove(outer);
    }
    return removed;
  }

  private static List<JsonObject> copies(Map<String, JsonObject> entries) {
    List<JsonObject> list = new ArrayList<>(entries == null ? 0 : entries.size());
    if (entries != null) {
      entries.values().forEach(member -> list.add(member.copy()));
    }
    return list;
  }
}
