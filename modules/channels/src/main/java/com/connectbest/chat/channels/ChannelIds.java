package com.connectbest.chat.channels;

import com.connectbest.chat.common.ApiException;
import com.connectbest.chat.common.Ids;

/**
 * Channel ids as this service sees them: an ordinary channel's 24-hex ObjectId, or a direct-message channel's
 * string id {@code dm_<smaller user id>_<larger user id>} (lower-case hex, sorted as strings).
 */
final class ChannelIds {

  private ChannelIds() {
  }

  static boolean isDm(Object value) {
    return Ids.isDmChannel(value);
  }

  static boolean isValid(Object value) {
    return Ids.isObjectId(value) || isDm(value);
  }

  /** An ordinary channel's id: 400 when malformed, 404 for a DM id (DMs are not served as channels). */
  static String channel(Object value) {
    if (isDm(value)) {
      throw ApiException.notFound(ChannelGuard.CHANNEL_NOT_FOUND);
    }
    return Ids.requireObjectId(value, "channelId");
  }

  /** Any channel's id, DMs included: 400 when malformed. */
  static String any(Object value) {
    if (isDm(value)) {
      return (String) value;
    }
    return Ids.requireObjectId(value, "channelId");
  }
}
