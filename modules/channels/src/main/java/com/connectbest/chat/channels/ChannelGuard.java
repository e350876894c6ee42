package com.connectbest.chat.channels;

import com.connectbest.chat.common.ApiException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/** The existence and membership checks every channel operation starts with, with the original's sentences. */
final class ChannelGuard {

  static final String CHANNEL_NOT_FOUND = "Channel not found";
  static final String NOT_A_MEMBER = "Not a member of this channel";

  private final ChannelStore channels;
  private final MembershipStore members;

  ChannelGuard(ChannelStore channels, MembershipStore members) {
    this.channels = channels;
    this.members = members;
  }

  /** A live ordinary channel (never a DM), else 404. */
  Future<JsonObject> channel(String channelId) {
    return channels.findLive(channelId).compose(channel -> channel == null || ChannelViews.isDm(channel)
        ? Future.failedFuture(ApiException.notFound(CHANNEL_NOT_FOUND))
        : Future.succeededFuture(channel));
  }

  /** A live channel of any kind, DMs included, else 404. */
  Future<JsonObject> anyChannel(String channelId) {
    return channels.findLive(channelId).compose(channel -> channel == null
        ? Future.failedFuture(ApiException.notFound(CHANNEL_NOT_FOUND))
        : Future.succeededFuture(channel));
  }

  /** The caller's membership document, else 403. */
  Future<JsonObject> member(String channelId, String userId) {
    return members.find(channelId, userId).compose(member -> member == null
        ? Future.failedFuture(ApiException.forbidden(NOT_A_MEMBER))
        : Future.succeededFuture(member));
  }

  /** A live channel of any kind (404) of which the caller is a member (403). */
  Future<JsonObject> memberOf(String channelId, String userId) {
    return anyChannel(channelId).compose(channel -> member(channelId, userId).map(channel));
  }
}
