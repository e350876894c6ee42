package com.connectbest.chat.dms;

import com.connectbest.chat.common.IdempotencyKey;
import com.connectbest.chat.common.ServiceDispatcher;
import com.connectbest.chat.common.ServiceReply;
import io.vertx.core.json.JsonObject;

/** The dms service's event-bus API: one handler per operation, delegating to the app logic. */
final class DmsApi {

  private DmsApi() {
  }

  static void register(ServiceDispatcher dispatcher, ConversationService conversations) {
    dispatcher
        .on("listConversations", request -> conversations.list(request.requirePrincipal()).map(ServiceReply::ok))
        .on("listDirectMessages", request -> conversations.messages(request.requirePrincipal(),
            request.pathParam("recipientId"), request.query(), request.requestId()).map(ServiceReply::ok))
        .on("sendDirectMessage", request -> conversations.send(request.requirePrincipal(),
            request.pathParam("recipientId"), request.bodyObject(), request.requestId(), IdempotencyKey.of(request))
            .map(sent -> new ServiceReply(201, sent.body(), sent.replayed()
                ? new JsonObject().put(IdempotencyKey.REPLAYED_HEADER, "true") : null)))
        .on("markDirectRead", request -> conversations.markRead(request.requirePrincipal(),
            request.pathParam("dmChannelId"), request.requestId()).map(ServiceReply::ok));
  }
}
