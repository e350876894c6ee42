package com.connectbest.chat.gateway;

import com.connectbest.chat.common.Addresses;
import com.connectbest.chat.common.ApiException;
import com.connectbest.chat.common.BotPermissions;
import com.connectbest.chat.common.InternalActions;
import com.connectbest.chat.common.Principal;
import com.connectbest.chat.common.ServiceClient;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.Map;

/**
 * A bot's {@link BotPermissions}, asked of the auth service every time (no cache, so a change applies to the next
 * request on every node, whatever events were lost). The bot bridge uses it for registrations and actions; the
 * HTTP gateway for the REST operations that are bot actions, so a bot cannot do over REST what its permissions
 * refuse it on the bridge.
 */
final class BotGate {

  /** The REST operations that are bot actions, and the action each one is. */
  static final Map<String, String> ACTION_OF_OPERATION = Map.of(
      "sendMessage", BotPermissions.SEND_MESSAGE,
      "postReply", BotPermissions.REPLY,
      "sendDirectMessage", BotPermissions.SEND_DIRECT_MESSAGE);

  private final ServiceClient services;

  BotGate(ServiceClient services) {
    this.services = services;
  }

  /** The bot's permissions now; 401 for a bot revoked (or unknown) meanwhile. */
  Future<BotPermissions> permissions(Principal bot) {
    return services.call(Addresses.AUTH, InternalActions.BOT_PERMISSIONS, new JsonObject().put("bot_id", bot.id()))
        .compose(reply -> reply.getBoolean("found", false)
            ? Future.succeededFuture(BotPermissions.fromJson(reply.getValue("permissions")))
            : Future.failedFuture(ApiException.unauthorized("This bot was revoked")));
  }

  /** Succeeds when the bot may take the action; 403 naming it otherwise. */
  Future<Void> mayTake(Principal bot, String action) {
    return permissions(bot).compose(permissions -> permissions.mayTake(action) ? Future.<Void>succeededFuture()
        : Future.failedFuture(ApiException.forbidden("This bot's permissions do not allow the action " + action)));
  }

  /**
   * For an HTTP call: succeeds at once unless a bot calls an operation that is a bot action, which then needs the
   * permission (a hook's bot never calls REST: it has no token).
   */
  Future<Void> mayCall(Principal caller, String operationId) {
    String action = caller == null || !caller.isBot() ? null : ACTION_OF_OPERATION.get(operationId);
    return action == null ? Future.succeededFuture() : mayTake(caller, action);
  }
}
