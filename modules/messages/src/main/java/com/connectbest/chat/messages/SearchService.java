package com.connectbest.chat.messages;

import com.connectbest.chat.common.Addresses;
import com.connectbest.chat.common.ApiException;
import com.connectbest.chat.common.Ids;
import com.connectbest.chat.common.InternalActions;
import com.connectbest.chat.common.Principal;
import com.connectbest.chat.common.ServiceClient;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/** {@code searchMessages}: literal, case-insensitive text search over the channels the caller belongs to. */
final class SearchService {

  static final int DEFAULT_LIMIT = 20;
  static final int MAX_LIMIT = 100;

  private final MessageStore messages;
  private final MessageRenderer renderer;
  private final ServiceClient services;

  SearchService(MessageStore messages, MessageRenderer renderer, ServiceClient services) {
    this.messages = messages;
    this.renderer = renderer;
    this.services = services;
  }

  Future<JsonObject> search(Principal caller, JsonObject query) {
    String text = MessageRules.searchText(query.getValue("q"));
    int limit = MessageRules.limit(query.getValue("limit"), DEFAULT_LIMIT, MAX_LIMIT);
    Object channelParam = query.getValue("channel_id");
    String channelId = channelParam == null || "".equals(channelParam) ? null
        : Ids.requireChannel(channelParam, "channel_id");
    return memberChannels(caller.id()).compose(mine -> {
      List<String> scope = mine;
      if (channelId != null) {
        if (!mine.contains(channelId)) {
          return Future.failedFuture(ApiException.forbidden(ChannelAccess.NOT_A_MEMBER));
        }
        scope = List.of(channelId);
      }
      if (scope.isEmpty()) {
        return Future.succeededFuture(new JsonObject().put("messages", new JsonArray()).put("total", 0));
      }
      Future<Long> total = messages.countSearch(scope, text);
      Future<List<JsonObject>> views = messages.search(scope, text, limit).compose(renderer::render);
      return Future.all(total, views).map(all -> new JsonObject()
          .put("messages", new JsonArray(views.result()))
          .put("total", total.result()));
    });
  }

  private Future<List<String>> memberChannels(String userId) {
    return services.call(Addresses.CHANNELS, InternalActions.MEMBER_CHANNELS, new JsonObject().put("user_id", userId))
        .map(reply -> reply.getJsonArray("channel_ids", new JsonArray()).stream()
            .filter(Ids::isChannel).map(String::valueOf).distinct().toList());
  }
}
