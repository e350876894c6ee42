package com.connectbest.chat.channels;

import com.connectbest.chat.common.ApiException;
import com.connectbest.chat.common.Ids;
import com.connectbest.chat.common.MongoDocs;
import com.connectbest.chat.common.Principal;
import com.connectbest.chat.common.UserDirectory;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * Who belongs to a channel: joining public channels, adding and removing members, the {@code general} channel
 * every user joins on registration, and the two members of a direct-message channel.
 */
final class MembershipService {

  static final String GENERAL = "general";
  static final String PRIVATE_JOIN = "Cannot join private channel";
  static final String ALREADY_MEMBER = "Already a member";
  static final String USER_ALREADY_MEMBER = "User already a member";
  static final String USER_NOT_FOUND = "User not found";
  static final String PRIVATE_ADD = "Only channel admins can add members to a private channel";
  static final String NOT_AUTHORIZED_REMOVE = "Not authorized to remove members";
  static final String REMOVE_FAILED = "Failed to remove member";

  private final ChannelStore channels;
  private final MembershipStore members;
  private final TypingBoard typing;
  private final ChannelGuard guard;
  private final UserDirectory directory;
  private final ChannelEvents events;
  private String generalId;

  MembershipService(ChannelStore channels, MembershipStore members, TypingBoard typing, ChannelGuard guard,
                    UserDirectory directory, ChannelEvents events) {
    this.channels = channels;
    this.members = members;
    this.typing = typing;
    this.guard = guard;
    this.directory = directory;
    this.events = events;
  }

  Future<JsonObject> join(Principal caller, String channelId) {
    return guard.channel(channelId).compose(channel -> "private".equals(channel.getString("type"))
            ? Future.<Boolean>failedFuture(ApiException.forbidden(PRIVATE_JOIN))
            : members.add(channelId, caller.id(), MembershipStore.MEMBER, ChannelViews.now()))
        .compose(added -> {
          if (!added) {
            return Future.failedFuture(ApiException.badRequest(ALREADY_MEMBER));
          }
          return events.joined(channelId, caller.id())
              .map(logged -> new JsonObject().put("message", "Joined channel successfully"));
        });
  }

  /** Members may add to public channels; only channel admins and site admins (who are members) to private ones. */
  Future<JsonObject> add(Principal caller, String channelId, JsonObject body) {
    String userId = Ids.requireObjectId(body.getValue("user_id"), "user_id");
    return guard.channel(channelId)
        .compose(channel -> guard.member(channelId, caller.id()).compose(membership -> {
          boolean channelAdmin = MembershipStore.ADMIN.equals(membership.getString("role"));
          if ("private".equals(channel.getString("type")) && !channelAdmin && !caller.isAdmin()) {
            return Future.failedFuture(ApiException.forbidden(PRIVATE_ADD));
          }
          return directory.lookup(List.of(userId));
        }))
        .compose(users -> users.containsKey(userId)
            ? members.add(channelId, userId, MembershipStore.MEMBER, ChannelViews.now())
            : Future.failedFuture(ApiException.notFound(USER_NOT_FOUND)))
        .compose(added -> {
          if (!added) {
            return Future.failedFuture(ApiException.badRequest(USER_ALREADY_MEMBER));
          }
          return events.joined(channelId, userId)
              .map(logged -> new JsonObject().put("message", "Member added successfully"));
        });
  }

  /** Channel admins and site admins may remove anyone; everyone may remove themselves. */
  Future<JsonObject> remove(Principal caller, String channelId, String userId) {
    return guard.channel(channelId)
        .compose(channel -> userId.equals(caller.id()) || caller.isAdmin()
            ? Future.succeededFuture()
            : members.find(channelId, caller.id()).compose(membership -> membership != null
                && MembershipStore.ADMIN.equals(membership.getString("role"))
                ? Future.succeededFuture()
                : Future.failedFuture(ApiException.forbidden(NOT_AUTHORIZED_REMOVE))))
        .compose(allowed -> members.remove(channelId, userId))
        .compose(removed -> {
          if (!removed) {
            return Future.failedFuture(ApiException.badRequest(REMOVE_FAILED));
          }
          typing.set(channelId, userId, false);
          return events.left(channelId, userId)
              .map(logged -> new JsonObject().put("message", "Member removed successfully"));
        });
  }

  /** Creates the public {@code general} channel unless it exists (concurrent starts settle on one). */
  Future<String> ensureGeneral() {
    return channels.findByName(GENERAL)
        .compose(existing -> existing != null ? Future.succeededFuture(MongoDocs.id(existing))
            : channels.insert(new JsonObject().put("name", GENERAL).put("name_lower", GENERAL)
                    .put("description", "General discussion").put("type", "public").put("created_by", null)
                    .put("created_at", MongoDocs.date(ChannelViews.now())).put("is_deleted", false))
                .recover(err -> MongoDocs.isDuplicateKey(err)
                    ? channels.findByName(GENERAL).map(MongoDocs::id)
                    : Future.failedFuture(err)))
        .onSuccess(id -> generalId = id);
  }

  /** Adds a newly registered user to {@code general}; repeated deliveries change nothing. */
  Future<Boolean> joinGeneral(Object userIdValue) {
    if (!Ids.isObjectId(userIdValue) || generalId == null) {
      return Future.succeededFuture(false);
    }
    String userId = ((String) userIdValue).toLowerCase();
    return members.add(generalId, userId, MembershipStore.MEMBER, ChannelViews.now()).onSuccess(added -> {
      if (added) {
        events.joined(generalId, userId);
      }
    });
  }

  /**
   * The DM channel of two users, created with both as members on first use: {@code {user_ids: [a, b]}} →
   * {@code {channel_id, created}}. Idempotent; whether the users exist is the caller's concern.
   */
  Future<JsonObject> ensureDm(JsonObject body) {
    List<?> ids = body.getJsonArray("user_ids", new JsonArray()).getList();
    if (ids.size() != 2) {
      return Future.failedFuture(ApiException.validation("user_ids must name two users", null));
    }
    String a = Ids.requireObjectId(ids.get(0), "user_ids");
    String b = Ids.requireObjectId(ids.get(1), "user_ids");
    if (a.equals(b)) {
      return Future.failedFuture(ApiException.validation("user_ids must name two different users", null));
    }
    String id = Ids.dmChannel(a, b);
    JsonObject doc = new JsonObject().put("_id", id).put("name", id).put("name_lower", id).put("description", "")
        .put("type", "dm").put("created_by", null).put("created_at", MongoDocs.date(ChannelViews.now()))
        .put("is_deleted", false);
    return channels.findLive(id)
        .compose(existing -> existing != null ? Future.succeededFuture(false)
            : channels.insert(doc).map(true)
                .recover(err -> MongoDocs.isDuplicateKey(err) ? Future.succeededFuture(false) : Future.failedFuture(err)))
        .compose(created -> Future.all(addDmMember(id, a), addDmMember(id, b))
            .map(done -> new JsonObject().put("channel_id", id).put("created", created)));
  }

  private Future<Boolean> addDmMember(String channelId, String userId) {
    return members.add(channelId, userId, MembershipStore.MEMBER, ChannelViews.now()).onSuccess(added -> {
      if (added) {
        events.membershipChanged(channelId, userId, ChannelEvents.JOINED);
      }
    });
  }
}
