package com.connectbest.chat.channels;

import com.connectbest.chat.common.MongoDocs;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;

/**
 * A channel as channel lists show it, computed once from its stored document and then shared by every list that
 * shows it ({@link ChannelDocCache}): its id, whether lists show it at all, and for those that do the key lists sort
 * by and its view (a channel lists never show keeps only its id, so it is not read again while cached).
 */
record ListedChannel(String id, String sortKey, boolean ordinary, JsonObject view) {

  static ListedChannel of(JsonObject doc) {
    if (!ChannelStore.isOrdinary(doc)) {
      return new ListedChannel(MongoDocs.id(doc), null, false, null);
    }
    return new ListedChannel(MongoDocs.id(doc), ChannelRules.lower(doc.getString("name")), true,
        ChannelViews.channel(doc));
  }

  /** A copy of the view for one caller's list (the shared view itself is never changed). */
  JsonObject viewCopy() {
    return new JsonObject(new LinkedHashMap<>(view.getMap()));
  }
}
