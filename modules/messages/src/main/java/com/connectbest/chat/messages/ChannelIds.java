package com.connectbest.chat.messages;

import com.connectbest.chat.common.ApiException;
import com.connectbest.chat.common.Ids;
import io.vertx.core.json.JsonObject;

/**
 * Channel ids as this service accepts them: a channel's 24-hex ObjectId, or a direct-message channel
 * {@code dm_<user id>_<user id>} (hex in any case; answered in lower case).
 */
final class ChannelIds {

  private ChannelIds() {
  }

  static boolean isValid(Object value) {
    return Ids.isObjectId(value) || Ids.isDmChannel(value);
  }

  /** The id in canonical form (ObjectIds lower-cased), or a 400 naming the field. */
  static String require(Object value, String field) {
    String id = Ids.canonicalChannel(value);
    if (id == null) {
      throw ApiException.validation("Invalid " + field, new JsonObject().put("field", field)
          .put("reason", "must be a 24-character hexadecimal id or dm_<id>_<id>"));
    }
    return id;
  }
}
