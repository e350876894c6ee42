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
    return Ids.isChannel(value);
  }

  /** An ordinary channel's id: 400 when malformed, 404 for a DM id (DMs are not served as channels). */
  static String channel(Object value) {
    if (isDm(Ids.canonicalChannel(value))) {
      throw ApiException.notFound(ChannelGuard.CHANNEL_NOT_FOUND);
    }
    return Ids.requireObjectId(value, "channelId");
  }

  /**
   * {@code dm-<partner id>} (the original frontend's name for a conversation) as the conversation id between the
   * caller and that partner; empty when the value has another form. Naming oneself is a 400.
   */
  static java.util.Optional<String> dmWithPartner(Object value, String callerId) {
    if (!(value instanceof String text) || !text.startsWith("dm-")) {
      return java.util.Optional.empty();
    }
    String partner = Ids.requireObjectId(text.substring(3), "channelId");
    if (partner.equals(callerId)) {
      throw ApiException.validation("A conversation needs two different users",
          new io.vertx.core.json.JsonObject().put("field", "channelId"));
    }
    return java.util.Optional.of(Ids.dmChannel(callerId, partner));
  }

  /** Any channel's id, DMs included: 400 when malformed. */
  static String any(Object value) {
    String canonical = Ids.canonicalChannel(value);
    if (isDm(canonical)) {
      return canonical;
    }
    return Ids.requireObjectId(value, "channelId");
  }
}
