package com.connectbest.chat.messages;

import com.connectbest.chat.common.Principal;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/** {@code getReadBy}: which members other than the author have read up to a message. */
final class ReadReceiptService {

  private final VisibleMessages visible;
  private final MessageRenderer renderer;

  ReadReceiptService(VisibleMessages visible, MessageRenderer renderer) {
    this.visible = visible;
    this.renderer = renderer;
  }

  Future<JsonObject> readBy(Principal caller, Object messageId) {
    return visible.find(messageId, caller.id()).compose(doc -> renderer.readStates(doc.getString("channel_id"))
        .compose(states -> {
          List<MessageRenderer.ReadState> readers = MessageRenderer.readers(doc, states);
          return renderer.authors(readers.stream().map(MessageRenderer.ReadState::userId).toList()).map(users -> {
            JsonArray list = new JsonArray();
            for (MessageRenderer.ReadState reader : readers) {
              JsonObject user = users.get(reader.userId());
              if (user != null) {
                list.add(MessageView.user(user).put("last_read_at", reader.lastReadAt().toString()));
              }
            }
            return new JsonObject().put("users", list).put("read_count", readers.size());
          });
        }));
  }
}
