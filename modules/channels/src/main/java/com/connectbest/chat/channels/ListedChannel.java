package com.connectbest.chat.channels;

import com.connectbest.chat.common.MongoDocs;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;

/**
 * A channel as channel lists show it, computed once from its stored document and then shared by every list that
 * shows it ({@link ChannelDocCache}): its id, the key lists sort by, whether lists show it at all, and its view.
 */
record ListedChannel(String id, String sortKey, boolean ordinary, JsonObject view) {

  static ListedChannel of(JsonObject doc) {
    String name = doc.getValue("name") instanceof String text ? text : "";
    return new ListedChannel(MongoDocs.id(doc), ChannelRules.lower(name), ChannelStore.isOrdinary(doc),
        ChannelViews.channel(doc));
  }

  /** A copy of the view for one caller's list (the shared view itself is never changed). */
  JsonObject viewCopy() {
    return new JsonObject(new LinkedHashMap<>(view.getMap()));
  }
}
