package com.connectbest.chat.channels;

import com.connectbest.chat.common.Addresses;
import com.connectbest.chat.common.ApiException;
import com.connectbest.chat.common.Ids;
import com.connectbest.chat.common.InternalActions;
import com.connectbest.chat.common.MongoDocs;
import com.connectbest.chat.common.Principal;
import com.connectbest.chat.common.ServiceClient;
import com.connectbest.chat.common.UserDirectory;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Channels themselves: creation, details, the caller's list with activity, the administrators' list. */
final class ChannelService {

  static final String NAME_TAKEN = "Channel with this name already exists";
  /** The most channels one {@code channelActivity} call takes (InternalActions.CHANNEL_ACTIVITY). */
  static final int ACTIVITY_BATCH = 1000;

  private final ChannelStore channels;
  private final MembershipStore members;
  private final ReadStateStore reads;
  private final ChannelGuard guard;
  private final UserDirectory directory;
  private final ServiceClient services;
  private final ChannelEvents events;
  private final ChannelDocCache listed;

  ChannelService(ChannelStore channels, MembershipStore members, ReadStateStore reads, ChannelGuard guard,
                 UserDirectory directory, ServiceClient services, ChannelEvents events, ChannelDocCache listed) {
    this.channels = channels;
    this.members = members;
    this.reads = reads;
    this.guard = guard;
    this.directory = directory;
    this.services = services;
    this.events = events;
    this.listed = listed;
  }

  Future<JsonObject> create(Principal caller, JsonObject body) {
    String name = ChannelRules.name(body.getValue("name"));
    String description = ChannelRules.description(body.getValue("description"));
    String type = ChannelRules.type(body.getValue("type"));
    String nameLower = ChannelRules.lower(name);
    Instant now = ChannelViews.now();
    JsonObject doc = new JsonObject().put("name", name).put("name_lower", nameLower).put("description", description)
        .put("type", type).put("created_by", caller.id()).put("created_at", MongoDocs.date(now))
        .put("is_deleted", false);
    return channels.findByName(nameLower)
        .compose(existing -> existing != null
            ? Future.<String>failedFuture(ApiException.conflict(NAME_TAKEN))
            : channels.insert(doc.copy()))
        .recover(err -> Future.failedFuture(MongoDocs.isDuplicateKey(err) ? ApiException.conflict(NAME_TAKEN) : err))
        .compose(id -> members.add(id, caller.id(), MembershipStore.ADMIN, now)
            .recover(err -> {
              // Forgotten before and after: a list that read the channel meanwhile does not keep it.
              listed.forget(id);
              return channels.delete(id).onComplete(done -> listed.forget(id))
                  .transform(ignored -> Future.failedFuture(err));
            })
            .map(added -> {
              events.membershipChanged(id, caller.id(), ChannelEvents.JOINED);
              return new JsonObject().put("channel", ChannelViews.channel(doc.put("_id", id)));
            }));
  }

  /**
   * Public channels are readable by any signed-in user; private ones by members and site administrators. Members
   * whose account no longer exists are left out (the contract requires each member's name and e-mail). Members come
   * in pages ({@link MemberPage}).
   */
  Future<JsonObject> details(Principal caller, String channelId, JsonObject query) {
    return guard.channel(channelId).compose(channel -> members.find(channelId, caller.id()).compose(membership -> {
      if ("private".equals(channel.getString("type")) && membership == null && !caller.isAdmin()) {
        return Future.failedFuture(ApiException.forbidden(ChannelGuard.NOT_A_MEMBER));
      }
      MemberPage.Request asked = MemberPage.request(query);
      return members.page(channelId, asked.joinedAt(), asked.userId(), asked.limit() + 1).compose(read -> {
        MemberPage page = MemberPage.of(read, asked);
        return directory.lookup(page.members().stream().map(m -> m.getString("user_id")).toList()).map(users -> {
          JsonArray views = new JsonArray();
          page.members().stream().filter(m -> users.containsKey(m.getString("user_id")))
              .forEach(m -> views.add(ChannelViews.member(m, users.get(m.getString("user_id")))));
          return new JsonObject().put("channel", ChannelViews.channel(channel).put("members", views)
              .put("members_has_more", page.nextCursor() != null).put("members_next_cursor", page.nextCursor()));
        });
      });
    }));
  }

  /**
   * The caller's ordinary channels, with last message and unread count from the messages service (one call). The
   * channels themselves come from {@link ChannelDocCache}, sorted by name (then id, for names equal once lowered).
   */
  Future<JsonObject> listMine(Principal caller) {
    return members.ofUser(caller.id()).compose(memberships -> {
      Map<String, String> roles = new HashMap<>();
      memberships.forEach(m -> roles.put(m.getString("channel_id"), m.getString("role", MembershipStore.MEMBER)));
      List<String> candidates = roles.keySet().stream().filter(Ids::isObjectId).toList();
      return listed.get(candidates, channels::findByIds).compose(found -> {
        List<ListedChannel> mine = found.values().stream().filter(ListedChannel::ordinary)
            .sorted(Comparator.comparing(ListedChannel::sortKey).thenComparing(ListedChannel::id)).toList();
        if (mine.isEmpty()) {
          return Future.succeededFuture(new JsonObject().put("channels", new JsonArray()));
        }
        List<String> ids = mine.stream().map(ListedChannel::id).toList();
        return reads.ofUser(caller.id(), ids)
            .compose(lastRead -> activity(caller.id(), ids, lastRead))
            .map(activity -> new JsonObject().put("channels", new JsonArray(mine.stream()
                .map(channel -> mine(channel, roles.get(channel.id()), activity.getJsonObject(channel.id())))
                .toList())));
      });
    });
  }

  Future<JsonObject> listAll() {
    return channels.listOrdinary().compose(docs -> members.countByChannel(docs.stream().map(MongoDocs::id).toList())
        .map(counts -> new JsonObject()
            .put("channels", new JsonArray(docs.stream()
                .map(doc -> ChannelViews.adminEntry(doc, counts.getOrDefault(MongoDocs.id(doc), 0L))).toList()))
            .put("total", docs.size())));
  }

  Future<JsonObject> count() {
    return channels.countOrdinary().map(count -> new JsonObject().put("count", count));
  }

  /** One {@code channelActivity} call per {@value #ACTIVITY_BATCH} channels (what it takes), one for most users. */
  private Future<JsonObject> activity(String userId, List<String> channelIds, Map<String, Instant> lastRead) {
    List<Future<JsonObject>> calls = new ArrayList<>();
    for (int from = 0; from < channelIds.size(); from += ACTIVITY_BATCH) {
      JsonArray list = new JsonArray();
      channelIds.subList(from, Math.min(channelIds.size(), from + ACTIVITY_BATCH)).forEach(id -> {
        Instant at = lastRead.get(id);
        list.add(new JsonObject().put("channel_id", id).put("last_read_at", at == null ? null : at.toString()));
      });
      calls.add(services.call(Addresses.MESSAGES, InternalActions.CHANNEL_ACTIVITY,
              new JsonObject().put("user_id", userId).put("channels", list))
          .map(reply -> reply.getJsonObject("activity", new JsonObject())));
    }
    return Future.all(calls).map(done -> {
      JsonObject activity = new JsonObject();
      calls.forEach(call -> activity.mergeIn(call.result()));
      return activity;
    });
  }

  private static JsonObject mine(ListedChannel channel, String role, JsonObject activity) {
    JsonObject latest = activity == null ? new JsonObject() : activity;
    Object unread = latest.getValue("unread_count");
    return channel.viewCopy()
        .put("member_role", role)
        .put("last_message", latest.getString("last_message"))
        .put("last_message_at", MongoDocs.iso(latest.getValue("last_message_at")))
        .put("unreadCount", unread instanceof Number number ? number.longValue() : 0L);
  }
}
