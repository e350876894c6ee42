package com.connectbest.chat.auth;

import at.favre.lib.crypto.bcrypt.BCrypt;
import at.favre.lib.crypto.bcrypt.LongPasswordStrategies;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;

/**
 * bcrypt ($2b$, as NextAuth's bcryptjs reads and writes it) on worker threads: hashing takes tens of milliseconds
 * and must never run on an event loop.
 */
final class PasswordHasher {

  private static final BCrypt.Hasher HASHER = BCrypt.with(BCrypt.Version.VERSION_2B, LongPasswordStrategies.truncate(BCrypt.Version.VERSION_2B));
  private static final BCrypt.Verifyer VERIFIER = BCrypt.verifyer(null, LongPasswordStrategies.truncate(BCrypt.Version.VERSION_2B));
  /** Compared against when the account does not exist, so that both paths cost the same. */
  private static final String DUMMY_HASH = HASHER.hashToString(10, "not-a-password".toCharArray());

  private final Vertx vertx;
  private final int cost;

  PasswordHasher(Vertx vertx, int cost) {
    this.vertx = vertx;
    this.cost = Math.max(10, cost);
  }

  Future<String> hash(String password) {
    return vertx.executeBlocking(() -> HASHER.hashToString(cost, password.toCharArray()), false);
  }

  Future<Boolean> verify(String password, String hash) {
    String against = hash == null || hash.isEmpty() ? DUMMY_HASH : hash;
    return vertx.executeBlocking(() -> {
      boolean verified = VERIFIER.verify(password.getBytes(StandardCharsets.UTF_8),
          against.getBytes(StandardCharsets.UTF_8)).verified;
      return verified && against != DUMMY_HASH;
    }, false);
  }
}
