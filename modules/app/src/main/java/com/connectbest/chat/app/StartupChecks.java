package com.connectbest.chat.app;

import com.connectbest.chat.common.Settings;
import java.util.Optional;

/** Refuses configurations that must never serve real users. */
public final class StartupChecks {

  public static final int MIN_SECRET_LENGTH = 32;

  private StartupChecks() {
  }

  /** Why this configuration must not start, if it must not. */
  public static Optional<String> refusal(Settings settings) {
    if (!"production".equalsIgnoreCase(settings.string("APP_ENV", "development"))) {
      return Optional.empty();
    }
    String secret = settings.jwtSecret();
    String prefix = "Refusing to start with APP_ENV=production: the JWT secret (JWT_SECRET_KEY, else NEXTAUTH_SECRET) ";
    if (settings.string("JWT_SECRET_KEY", null) == null && settings.string("NEXTAUTH_SECRET", null) == null) {
      return Optional.of(prefix + "is not set.");
    }
    if (Settings.DEVELOPMENT_SECRET.equals(secret)) {
      return Optional.of(prefix + "is the public development default.");
    }
    if (secret.length() < MIN_SECRET_LENGTH) {
      return Optional.of(prefix + "is shorter than " + MIN_SECRET_LENGTH + " characters.");
    }
    return Optional.empty();
  }

  public static void verify(Settings settings) {
    refusal(settings).ifPresent(reason -> {
      throw new StartupFailure(reason);
    });
  }
}
