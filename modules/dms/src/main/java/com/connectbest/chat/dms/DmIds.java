package com.connectbest.chat.dms;

import com.connectbest.chat.common.ApiException;
import com.connectbest.chat.common.Ids;
import io.vertx.core.json.JsonObject;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Conversation ids {@code dm_<smaller user id>_<larger user id>} (lower-case hex, compared as strings). */
final class DmIds {

  private static final Pattern DM = Pattern.compile("dm_([0-9a-f]{24})_([0-9a-f]{24})");

  /** The two participants of a conversation id. */
  record Participants(String first, String second) {

    boolean includes(String userId) {
      return first.equals(userId) || second.equals(userId);
    }

    String partnerOf(String userId) {
      return first.equals(userId) ? second : first;
    }
  }

  private DmIds() {
  }

  /** The participants named by a conversation id; 400 when it is not one (two different users, either order). */
  static Participants parse(Object value) {
    Matcher matcher = value instanceof String text ? DM.matcher(text.toLowerCase(Locale.ROOT)) : null;
    if (matcher == null || !matcher.matches() || matcher.group(1).equals(matcher.group(2))) {
      throw ApiException.validation("Invalid dmChannelId", new JsonObject().put("field", "dmChannelId")
          .put("reason", "must be dm_<user id>_<user id> naming two different users"));
    }
    return new Participants(matcher.group(1), matcher.group(2));
  }

  static final String NO_SELF_SEND = "You cannot send direct messages to yourself";
  static final String NO_SELF_CONVERSATION = "There is no conversation with yourself";

  /** A recipient's id: 400 when malformed or when it is the caller, with the sentence for what was asked. */
  static String recipient(Object value, String callerId, String selfMessage) {
    String recipientId = Ids.requireObjectId(value, "recipientId");
    if (recipientId.equals(callerId)) {
      throw ApiException.validation(selfMessage, new JsonObject().put("field", "recipientId"));
    }
    return recipientId;
  }
}
