package com.connectbest.chat.channels;

import com.connectbest.chat.common.ApiException;
import com.connectbest.chat.common.Ids;
import com.connectbest.chat.common.MongoDocs;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;

/**
 * One page of a channel's members for {@code getChannel}: in join order (joined_at, then user id), at most
 * {@code members_limit} (default and maximum {@value #MAX}: channels up to that size list every member, as before),
 * strictly after {@code members_cursor}, the previous page's {@code members_next_cursor}
 * ({@code <joined_at epoch ms>.<user id>}, so that members who leave in between do not shift the next page).
 */
record MemberPage(List<JsonObject> members, String nextCursor) {

  static final int MAX = 1000;

  /** What a request asks for: at most {@code limit} members after the cursor's (joined_at, user id), if any. */
  record Request(int limit, Instant joinedAt, String userId) {
  }

  static Request request(JsonObject query) {
    int limit = limit(query.getValue("members_limit"));
    String cursor = cursor(query.getValue("members_cursor"));
    if (cursor == null) {
      return new Request(limit, null, null);
    }
    int dot = cursor.indexOf('.');
    return new Request(limit, Instant.ofEpochMilli(Long.parseLong(cursor.substring(0, dot))),
        cursor.substring(dot + 1));
  }

  /** The page from up to {@code limit + 1} members read in order after the cursor: the extra one says "more". */
  static MemberPage of(List<JsonObject> read, Request request) {
    boolean more = read.size() > request.limit();
    List<JsonObject> page = more ? read.subList(0, request.limit()) : read;
    return new MemberPage(page, more ? key(page.get(page.size() - 1)) : null);
  }

  private static long joinedMillis(JsonObject member) {
    Instant at = MongoDocs.instant(member.getValue("joined_at"));
    return at == null ? 0 : at.toEpochMilli();
  }

  private static String key(JsonObject member) {
    return String.format("%013d", joinedMillis(member)) + "." + member.getString("user_id", "").toLowerCase();
  }

  private static String cursor(Object value) {
    if (value == null || "".equals(value)) {
      return null;
    }
    String text = String.valueOf(value);
    int dot = text.indexOf('.');
    if (dot < 1 || dot > 13 || !text.substring(0, dot).matches("[0-9]+") || !Ids.isObjectId(text.substring(dot + 1))) {
      throw ApiException.validation("Invalid members_cursor", new JsonObject().put("field", "members_cursor"));
    }
    return String.format("%013d", Long.parseLong(text.substring(0, dot))) + "." + text.substring(dot + 1).toLowerCase();
  }

  private static int limit(Object value) {
    if (value == null || "".equals(value)) {
      return MAX;
    }
    String text = String.valueOf(value).strip();
    if (!text.matches("[0-9]{1,9}") || Integer.parseInt(text) < 1 || Integer.parseInt(text) > MAX) {
      throw ApiException.validation("members_limit must be a whole number between 1 and " + MAX,
          new JsonObject().put("field", "members_limit"));
    }
    return Integer.parseInt(text);
  }
}
