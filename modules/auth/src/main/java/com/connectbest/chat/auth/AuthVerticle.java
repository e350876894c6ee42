package com.connectbest.chat.auth;

import com.connectbest.chat.common.Addresses;
import com.connectbest.chat.common.ServiceDispatcher;
import com.connectbest.chat.common.ServiceVerticle;
import io.vertx.core.Future;
import java.time.Clock;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Identity and users: registration, verification, sign-in, profiles and two-factor authentication. */
public class AuthVerticle extends ServiceVerticle {

  private static final Logger LOG = LoggerFactory.getLogger(AuthVerticle.class);

  private final Clock clock;

  public AuthVerticle() {
    this(Clock.systemUTC());
  }

  /** With the clock that TOTP codes are checked against (tests set it). */
  AuthVerticle(Clock clock) {
    this.clock = clock;
  }

  @Override
  protected String address() {
    return Addresses.AUTH;
  }

  @Override
  protected Future<?> configure(ServiceDispatcher dispatcher) {
    UserStore users = new UserStore(mongo());
    List<String> admins = settings.list("ADMIN_EMAILS").stream().map(String::toLowerCase).toList();
    PasswordHasher passwords = new PasswordHasher(vertx, settings.integer("BCRYPT_COST", 10));
    if (settings.string(TwoFactorCrypto.KEY_SETTING, null) == null) {
      LOG.info("{} is not set: 2FA secrets are encrypted with a key derived from the JWT secret, so rotating that "
          + "secret would make them unreadable", TwoFactorCrypto.KEY_SETTING);
    }
    TwoFactorService twoFactor = new TwoFactorService(users, passwords, TwoFactorCrypto.fromSettings(settings),
        new Totp(clock), new QrCodes(vertx));
    AccountService accounts = new AccountService(users, passwords, new Mailer(vertx, settings),
        new TokenIssuer(vertx, settings), vertx.eventBus(), admins, twoFactor);
    ProfileService profiles = new ProfileService(users, services, vertx.eventBus());
    AuthApi.register(dispatcher, accounts, profiles, twoFactor, new BotAccounts(users, vertx.eventBus()));
    return users.createIndexes().compose(v -> users.grantAdmin(admins));
  }
}
