package com.connectbest.chat.loadtest;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The run's users: {@code <prefix>-<n>@loadtest.example.com}, registered (409: already there from an earlier run)
 * then signed in. Tokens can be kept in {@code --accounts-file} so that later runs skip the bcrypt work.
 */
final class Accounts {

  record Account(int index, String email, String id, String token) {
  }

  private final Harness harness;
  private final String prefix;
  private final String password;

  Accounts(Harness harness) {
    this(harness, harness.options.string("prefix", "lt"));
  }

  /** Users {@code <prefix>-<n>} for a prefix of the caller's (the growth mode's roles of one run). */
  Accounts(Harness harness, String prefix) {
    this.harness = harness;
    this.prefix = prefix;
    this.password = harness.options.string("password", "LoadTest123");
  }

  String email(int index) {
    return String.format(Locale.ROOT, "%s-%06d@loadtest.example.com", prefix, index).toLowerCase(Locale.ROOT);
  }

  /** Signs in users 0..count-1, reusing cached tokens when they still work. */
  List<Account> signIn(int count) {
    String file = harness.options.string("accounts-file", null);
    JsonObject cache = file == null || harness.options.flag("fresh-login") ? new JsonObject() : load(Path.of(file));
    List<Account> accounts = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      JsonObject cached = cache.getJsonObject(email(i));
      if (cached == null) {
        break;
      }
      accounts.add(new Account(i, email(i), cached.getString("id"), cached.getString("token")));
    }
    if (!accounts.isEmpty() && harness.apiFor(0).me(accounts.get(0).token()).await().statusCode() != 200) {
      harness.say("cached tokens are no longer accepted; signing in again");
      accounts.clear();
    }
    int cachedCount = accounts.size();
    if (cachedCount < count) {
      harness.say(String.format(Locale.ROOT, "signing in %d users (%d cached)...", count, cachedCount));
      int concurrency = harness.options.integer("setup-concurrency", 16);
      accounts.addAll(Bounded.map(count - cachedCount, concurrency, i -> signInOne(cachedCount + i)).await());
    }
    if (file != null && cachedCount < count) {
      accounts.forEach(account -> cache.put(account.email(),
          new JsonObject().put("id", account.id()).put("token", account.token())));
      save(Path.of(file), cache);
    }
    return accounts;
  }

  private Future<Account> signInOne(int index) {
    ChatApi api = harness.apiFor(index);
    String email = email(index);
    String name = "Load Tester " + letters(index);
    return api.register(email, password, name)
        .compose(registered -> expect(registered, "register", 201, 409))
        .compose(registered -> api.login(email, password))
        .compose(login -> expect(login, "login", 200))
        .map(login -> {
          JsonObject body = login.bodyAsJsonObject();
          return new Account(index, email, body.getJsonObject("user").getString("id"), body.getString("token"));
        });
  }

  /** Names may hold letters only, so the index is spelled in letters. */
  static String letters(int index) {
    StringBuilder text = new StringBuilder();
    int n = index;
    do {
      text.append((char) ('a' + n % 26));
      n /= 26;
    } while (n > 0);
    return text.reverse().toString();
  }

  static Future<HttpResponse<Buffer>> expect(HttpResponse<Buffer> response, String what, int... statuses) {
    for (int status : statuses) {
      if (response.statusCode() == status) {
        return Future.succeededFuture(response);
      }
    }
    String hint = response.statusCode() == 429 ? " (rate limited: start the server with relaxed RATE_LIMITS)" : "";
    return Future.failedFuture(what + " answered " + response.statusCode() + hint + ": " + response.bodyAsString());
  }

  private static JsonObject load(Path file) {
    try {
      return Files.exists(file) ? new JsonObject(Files.readString(file)) : new JsonObject();
    } catch (IOException | RuntimeException e) {
      return new JsonObject();
    }
  }

  private static void save(Path file, JsonObject cache) {
    try {
      Files.writeString(file, cache.encodePrettily());
    } catch (IOException e) {
      throw new IllegalStateException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }
}
