package com.connectbest.chat.messages;

import com.connectbest.chat.common.ApiException;
import com.connectbest.chat.common.Ids;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * {@code fileVisibility} for the uploads service: may this user see a stored file? Yes when a non-deleted message
 * of a channel (or DM) the user can read carries it in its attachments, by {@code key} or by a url ending in
 * {@code /api/files/<key>}. With {@code owner_id}, only messages written by the file's uploader count, so knowing
 * a file's key is not enough to share it into another channel.
 */
final class FileVisibility {

  static final Pattern KEY = Pattern.compile(
      "(avatars|messages)/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\\.[a-z0-9]{1,5}");
  /** Messages looked at per batch: a file is normally attached once or twice, so one batch answers. */
  static final int BATCH = 200;

  private final MessageStore messages;
  private final ChannelAccess access;

  FileVisibility(MessageStore messages, ChannelAccess access) {
    this.messages = messages;
    this.access = access;
  }

  /** {key, user_id, owner_id?} → {visible}. */
  Future<JsonObject> check(JsonObject body) {
    String userId = Ids.requireObjectId(body.getValue("user_id"), "user_id");
    String ownerId = body.getValue("owner_id") == null ? null : Ids.requireObjectId(body.getValue("owner_id"), "owner_id");
    if (!(body.getValue("key") instanceof String key) || !KEY.matcher(key).matches()) {
      throw ApiException.validation("Invalid key", new JsonObject().put("field", "key"));
    }
    return visibleFrom(key, ownerId, userId, null, new HashSet<>())
        .map(visible -> new JsonObject().put("visible", visible));
  }

  /** Batch after batch of carriers, until a readable channel is found or every carrier was looked at. */
  private Future<Boolean> visibleFrom(String key, String ownerId, String userId, String after, Set<String> asked) {
    return messages.channelsCarryingFile(key, ownerId, after, BATCH).compose(carriers -> {
      List<String> fresh = carriers.channelIds().stream().filter(asked::add).toList();
      return anyReadable(fresh, 0, userId).compose(readable -> readable || carriers.lastId() == null
          ? Future.succeededFuture(readable)
          : visibleFrom(key, ownerId, userId, carriers.lastId(), asked));
    });
  }

  /** Asks channel by channel (cached answers mostly) and stops at the first readable one. */
  private Future<Boolean> anyReadable(List<String> channels, int index, String userId) {
    if (index >= channels.size()) {
      return Future.succeededFuture(false);
    }
    return access.canRead(channels.get(index), userId)
        .compose(readable -> readable ? Future.succeededFuture(true) : anyReadable(channels, index + 1, userId));
  }
}
