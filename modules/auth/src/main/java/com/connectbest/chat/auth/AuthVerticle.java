package com.connectbest.chat.auth;

import com.connectbest.chat.common.Addresses;
import com.connectbest.chat.common.MongoClients;
import com.connectbest.chat.common.ServiceDispatcher;
import com.connectbest.chat.common.ServiceVerticle;
import io.vertx.core.Future;
import java.util.List;

/** Identity and users: registration, verification, sign-in, profiles, and (later) two-factor authentication. */
public class AuthVerticle extends ServiceVerticle {

  @Override
  protected String address() {
    return Addresses.AUTH;
  }

  @Override
  protected Future<?> configure(ServiceDispatcher dispatcher) {
    UserStore users = new UserStore(MongoClients.shared(vertx, settings));
    List<String> admins = settings.list("ADMIN_EMAILS").stream().map(String::toLowerCase).toList();
    AccountService accounts = new AccountService(users, new PasswordHasher(vertx, settings.integer("BCRYPT_COST", 10)),
        new Mailer(vertx, settings), new TokenIssuer(vertx, settings), vertx.eventBus(), admins);
    ProfileService profiles = new ProfileService(users, services, vertx.eventBus());
    AuthApi.register(dispatcher, accounts, profiles);
    return users.createIndexes().compose(v -> users.grantAdmin(admins));
  }
}
