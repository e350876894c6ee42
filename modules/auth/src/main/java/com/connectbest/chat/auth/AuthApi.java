package com.connectbest.chat.auth;

import com.connectbest.chat.common.ApiException;
import com.connectbest.chat.common.InternalActions;
import com.connectbest.chat.common.Meters;
import com.connectbest.chat.common.ServiceDispatcher;
import com.connectbest.chat.common.ServiceReply;
import com.connectbest.chat.common.ServiceRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** The auth service's event-bus API: one handler per operation, delegating to the app logic. */
final class AuthApi {

  private static final JsonObject STATUS = new JsonObject()
      .put("auth_provider", "NextAuth.js")
      .put("backend_integration", "Vert.x gateway + NextAuth JWT validation")
      .put("supported_providers", new JsonArray().add("credentials").add("google"))
      .put("endpoints", new JsonObject()
          .put("login", "Handled by NextAuth at /api/auth/signin (direct API clients: POST /api/auth/login)")
          .put("logout", "Handled by NextAuth at /api/auth/signout")
          .put("session", "Handled by NextAuth at /api/auth/session")
          .put("registration", "/api/auth/register (limited use)")
          .put("email_verification", "/api/auth/verify-email"));

  private AuthApi() {
  }

  static void register(ServiceDispatcher dispatcher, AccountService accounts, ProfileService profiles,
                       TwoFactorService twoFactor, BotAccounts bots) {
    dispatcher
        .on("register", request -> accounts.register(request.bodyObject()).map(ServiceReply::created))
        .on("verifyEmail", request -> accounts.verifyEmail(request.bodyObject()).map(ServiceReply::ok))
        .on("changePassword", request -> accounts.changePassword(callerId(request), request.bodyObject())
            .onFailure(AuthApi::countRefusal).map(ServiceReply::ok))
        .on("login", request -> accounts.login(request.bodyObject()).onFailure(AuthApi::countRefusal)
            .map(ServiceReply::ok))
        .on("getAuthStatus", request -> io.vertx.core.Future.succeededFuture(ServiceReply.ok(STATUS.copy())))
        .on("getCurrentUser", request -> profiles.me(callerId(request)).map(ServiceReply::ok))
        .on("getMyProfile", request -> profiles.me(callerId(request)).map(ServiceReply::ok))
        .on("logout", request -> profiles.logout(callerId(request)).map(ServiceReply::ok))
        .on("updateMyProfile", request -> profiles.update(callerId(request), request.bodyObject()).map(ServiceReply::ok))
        .on("listUsers", request -> {
          request.requirePrincipal();
          return profiles.directory(request.query()).map(ServiceReply::ok);
        })
        .on("searchUsers", request -> {
          request.requirePrincipal();
          return profiles.search(request.query().getString("query"), request.query().getInteger("limit", 20))
              .map(ServiceReply::ok);
        })
        .on("getUserStatistics", request -> {
          request.requireAdmin();
          return profiles.statistics().map(ServiceReply::ok);
        })
        .on("setupTwoFactor", request -> twoFactor.setup(callerId(request), request.bodyObject()).map(ServiceReply::ok))
        .on("verifyTwoFactorSetup", request -> twoFactor.verifySetup(callerId(request), request.bodyObject())
            .map(ServiceReply::ok))
        .on("disableTwoFactor", request -> twoFactor.disable(callerId(request), request.bodyObject()).map(ServiceReply::ok))
        .on("getTwoFactorStatus", request -> twoFactor.status(callerId(request)).map(ServiceReply::ok))
        .on("regenerateBackupCodes", request -> twoFactor.regenerateBackupCodes(callerId(request), request.bodyObject())
            .map(ServiceReply::ok))
        .on(InternalActions.RESOLVE_PRINCIPAL, request -> profiles.resolvePrincipal(request.bodyObject()).map(ServiceReply::ok))
        .on(InternalActions.CREATE_BOT_USER, request -> bots.create(request.bodyObject()).map(ServiceReply::ok))
        .on(InternalActions.RESOLVE_BOT_TOKEN, request -> bots.resolveToken(request.bodyObject()).map(ServiceReply::ok))
        .on("createBot", request -> bots.createBot(request.requireAdmin(), request.bodyObject())
            .map(ServiceReply::created))
        .on(InternalActions.BOT_PERMISSIONS, request -> bots.permissions(request.bodyObject()).map(ServiceReply::ok))
        .on("updateBotPermissions", request -> {
          request.requireAdmin();
          return bots.updatePermissions(request.pathParam("botId"), request.bodyObject()).map(ServiceReply::ok);
        })
        .on("listBots", request -> {
          request.requireAdmin();
          return bots.listBots().map(ServiceReply::ok);
        })
        .on("revokeBot", request -> {
          request.requireAdmin();
          return bots.revokeBot(request.pathParam("botId")).map(ServiceReply::ok);
        })
        .on(InternalActions.LOOKUP_USERS, request -> profiles.lookup(request.bodyObject()).map(ServiceReply::ok))
        .on(InternalActions.COUNT_USERS, request -> profiles.countRegisteredSince(request.bodyObject())
            .map(ServiceReply::ok));
  }

  private static String callerId(ServiceRequest request) {
    return request.requirePrincipal().id();
  }

  /** Wrong passwords and wrong second factors feed the security figures. */
  private static void countRefusal(Throwable error) {
    if (error instanceof ApiException api && api.status() == 401) {
      Meters.count(Meters.AUTH_FAILURES);
    }
  }
}
