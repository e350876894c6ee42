package com.connectbest.chat.app;

import com.connectbest.chat.app.CrashLoad.Expected;
import com.connectbest.chat.app.CrashLoad.Settled;
import com.connectbest.chat.app.CrashLoad.User;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The account writes of {@link CrashLoad}: renames, sign-ups, sign-outs, password changes and 2FA changes, each with
 * what its 2xx answers established and the check of it after the restart. Sign-outs and password changes revoke an
 * account's tokens, so they run on accounts of their own, not on the clients' accounts that carry the rest of the load.
 */
final class AccountWrites {

  private static final String PASSWORD = CrashLoad.PASSWORD;
  /** In an avatar's unconfirmed values: an upload is out, so any avatar URL may be the stored one. */
  private static final String ANY_URL = "(any URL)";
  /** The smallest PNG there is: one transparent pixel. */
  private static final byte[] PNG = java.util.Base64.getDecoder().decode(
      "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==");

  private final CrashLoad load;
  private final List<User> users;

  /** Per user: the last acknowledged name, and the names sent since without an answer. */
  private final Map<String, Expected> names = new ConcurrentHashMap<>();
  private final AtomicInteger renamesSent = new AtomicInteger();
  /** Per user: the avatar URL of the last acknowledged upload, and those sent since without an answer. */
  private final Map<String, Expected> avatars = new ConcurrentHashMap<>();
  private final AtomicInteger avatarsSent = new AtomicInteger();
  /** Acknowledged sign-ups: their e-mail addresses. */
  private final Set<String> signUps = ConcurrentHashMap.newKeySet();
  private final AtomicInteger signUpsSent = new AtomicInteger();
  /** Accounts that clients 2 and up sign in to and out of (not their own: a sign-out revokes the account's tokens). */
  private final List<String> signOutAccounts = new ArrayList<>();
  /** Tokens whose sign-out was acknowledged: revoked, so refused after the restart too. */
  private final Set<String> signedOut = ConcurrentHashMap.newKeySet();
  private final AtomicInteger logoutsSent = new AtomicInteger();
  /** Per client 0 and 1: an account whose password it changes back and forth, with its current token. */
  private final Map<Integer, PasswordAccount> passwordAccounts = new ConcurrentHashMap<>();
  /** Tokens issued before an acknowledged password change: revoked, so refused after the restart too. */
  private final Set<String> revokedByPasswordChange = ConcurrentHashMap.newKeySet();
  private final AtomicInteger passwordChangesSent = new AtomicInteger();
  /** Per user: 2FA on or off, as the last acknowledged change left it (absent before the first). */
  private final Map<String, Boolean> twoFactorAcked = new ConcurrentHashMap<>();
  /** Per user: the state a change without an answer may have left (absent when every change was answered). */
  private final Map<String, Boolean> twoFactorPending = new ConcurrentHashMap<>();
  /** Per user: the unused backup codes of the last acknowledged enable (a disable takes one). */
  private final Map<String, List<String>> backupCodes = new ConcurrentHashMap<>();
  private final AtomicInteger twoFactorSent = new AtomicInteger();

  /** The password the last acknowledged change set, the one a change still out would set, and a current token. */
  private static final class PasswordAccount {
    final String email;
    volatile String acked = PASSWORD;
    volatile String pending;
    volatile String token;

    PasswordAccount(String email, String token) {
      this.email = email;
      this.token = token;
    }
  }

  AccountWrites(CrashLoad load, List<User> users) {
    this.load = load;
    this.users = users;
  }

  /** The accounts client {@code index} signs out of or changes the password of (set up before the load). */
  void addClient(int index) {
    if (index >= 2) {
      String email = "crash-out-" + index + "@example.com";
      load.signUp(email, "Crash Out " + (char) ('A' + index));
      signOutAccounts.add(email);
    } else {
      String email = "crash-password-" + index + "@example.com";
      String token = load.signUp(email, "Crash Password " + (char) ('A' + index)).token();
      passwordAccounts.put(index, new PasswordAccount(email, token));
    }
  }

  /** Signs in to client {@code index}'s own account and out again (clients 2 and up). */
  void signInAndOut(int index) {
    signInAndOut(signOutAccounts.get(index - 2));
  }

  void rename(User user, int userIndex, int i) {
    String name = "Crash Client " + letters(userIndex) + " " + letters(i);
    Expected expected = names.computeIfAbsent(user.id(), id -> new Expected("Crash User " + (char) ('A' + userIndex)));
    expected.unconfirmed.add(name);
    renamesSent.incrementAndGet();
    if (load.acknowledged(load.call(HttpMethod.PUT, "/api/users/me", user, new JsonObject().put("name", name)), 200)) {
      expected.content = name;
      expected.unconfirmed.clear();
      expected.edited = true;
    }
  }

  /** Uploads an avatar (a 1×1 PNG), which becomes the user's avatar. */
  void uploadAvatar(User user, int userIndex) {
    Expected expected = avatars.computeIfAbsent(user.id(), id -> new Expected(""));
    expected.unconfirmed.add(ANY_URL); // an upload without an answer may have set a URL this side never saw
    avatarsSent.incrementAndGet();
    HttpResponse<Buffer> answer = load.sendFile("/api/upload/avatar", user, "avatar-" + userIndex + ".png",
        Buffer.buffer(PNG), "image/png");
    if (load.acknowledged(answer, 200)) {
      expected.content = answer.bodyAsJsonObject().getString("avatar_url");
      expected.unconfirmed.clear();
      expected.edited = true;
    } else {
      expected.unconfirmed.remove(ANY_URL); // answered: it set nothing
    }
  }

  /** Signs a new account up; client 1's then sign in and out, and the token they signed out must stay refused. */
  void signUpNew(int userIndex, int i) {
    String email = "crash-new-" + userIndex + "-" + i + "@example.com";
    signUpsSent.incrementAndGet();
    if (!load.acknowledged(load.call(HttpMethod.POST, "/api/auth/register", null, new JsonObject().put("email", email)
        .put("password", PASSWORD).put("name", "Crash New " + letters(userIndex) + " " + letters(i))), 201)) {
      return;
    }
    signUps.add(email);
    if (userIndex == 1) {
      signInAndOut(email);
    }
  }

  /**
   * Signs in and out again: a sign-out revokes every token of the account issued before it, so if an acknowledged
   * sign-out were lost, the token it revoked, issued after the sign-out before it, would be accepted again.
   */
  private void signInAndOut(String email) {
    HttpResponse<Buffer> login = signIn(email, PASSWORD);
    if (load.acknowledged(login, 200)) {
      String token = login.bodyAsJsonObject().getString("token");
      logoutsSent.incrementAndGet();
      if (load.acknowledged(load.call(HttpMethod.POST, "/api/auth/logout", new User(null, token), null), 200)) {
        signedOut.add(token);
      }
    }
  }

  /**
   * Turns 2FA on (setup, then the current TOTP code) or off (with a backup code, since the current TOTP code may
   * already have been used to turn it on). While a change is out, either state is right; a refusal (400, 401)
   * changed nothing; any other answer, or none, leaves the change possible.
   */
  void toggleTwoFactor(User user) {
    boolean on = twoFactorAcked.getOrDefault(user.id(), false);
    twoFactorPending.put(user.id(), !on);
    twoFactorSent.incrementAndGet();
    HttpResponse<Buffer> answer;
    if (on) {
      answer = load.call(HttpMethod.POST, "/api/2fa/disable", user,
          new JsonObject().put("password", PASSWORD).put("code", backupCodes.get(user.id()).remove(0)));
    } else {
      answer = load.call(HttpMethod.POST, "/api/2fa/setup", user, new JsonObject().put("password", PASSWORD));
      if (answer.statusCode() == 200) {
        String code = TwoFactorFlowTest.code(answer.bodyAsJsonObject().getString("secret").replace(" ", ""),
            Instant.now());
        answer = load.call(HttpMethod.POST, "/api/2fa/verify-setup", user, new JsonObject().put("code", code));
        if (answer.statusCode() == 200) {
          List<String> codes = new ArrayList<>();
          answer.bodyAsJsonObject().getJsonArray("backup_codes").forEach(c -> codes.add((String) c));
          backupCodes.put(user.id(), codes);
        }
      }
    }
    if (load.acknowledged(answer, 200)) {
      twoFactorAcked.put(user.id(), !on);
      twoFactorPending.remove(user.id());
    } else if (answer.statusCode() == 400 || answer.statusCode() == 401) {
      twoFactorPending.remove(user.id());
    }
  }

  /**
   * Changes the account's password to the other of two; an acknowledged change sets it and revokes the token that
   * asked for it (the answer brings a new one). A refusal changed nothing; no answer, or another, leaves it open.
   */
  void changePassword(int userIndex) {
    PasswordAccount account = passwordAccounts.get(userIndex);
    if (account.pending != null) {
      return; // a change without an answer: which password holds is unknown
    }
    String next = PASSWORD.equals(account.acked) ? PASSWORD + "x" : PASSWORD;
    account.pending = next;
    passwordChangesSent.incrementAndGet();
    String before = account.token;
    HttpResponse<Buffer> answer = load.call(HttpMethod.POST, "/api/users/me/password", new User(null, before),
        new JsonObject().put("current_password", account.acked).put("new_password", next));
    if (load.acknowledged(answer, 200)) {
      account.acked = next;
      account.token = answer.bodyAsJsonObject().getString("token");
      revokedByPasswordChange.add(before);
      account.pending = null;
    } else if (answer.statusCode() == 400 || answer.statusCode() == 401) {
      account.pending = null;
    }
  }

  /** A number in letters (0 is a, 26 is ba): names may hold only letters, spaces, hyphens and apostrophes. */
  private static String letters(int number) {
    StringBuilder text = new StringBuilder();
    do {
      text.insert(0, (char) ('a' + number % 26));
      number /= 26;
    } while (number > 0);
    return text.toString();
  }

  /** Each renamed user's profile has the last acknowledged name (or one sent after it without an answer). */
  private Settled verifyNames(Map<String, JsonObject> profiles) {
    List<String> wrong = new ArrayList<>();
    int settled = 0;
    for (User user : users) {
      Expected expected = names.get(user.id());
      if (expected == null || !expected.edited) {
        continue;
      }
      settled++;
      String name = profiles.get(user.id()).getString("name");
      if (!expected.accepts(name)) {
        wrong.add(user.id() + " acknowledged \"" + expected.content + "\", after restart \"" + name + "\"");
      }
    }
    return new Settled("renames", renamesSent.get(), settled, wrong);
  }

  /**
   * Each user's avatar is the URL of its last acknowledged upload (or of one without an answer), and that file is
   * served with the bytes sent.
   */
  private Settled verifyAvatars(Map<String, JsonObject> profiles) {
    List<String> wrong = new ArrayList<>();
    int settled = 0;
    for (User user : users) {
      Expected expected = avatars.get(user.id());
      if (expected == null || !expected.edited) {
        continue;
      }
      settled++;
      String avatar = profiles.get(user.id()).getString("avatar");
      if (avatar == null || !expected.accepts(avatar) && !expected.unconfirmed.contains(ANY_URL)) {
        wrong.add(user.id() + " acknowledged " + expected.content + ", after restart " + avatar);
        continue;
      }
      HttpResponse<Buffer> file = load.getFile(avatar.substring(avatar.indexOf("/api/files/")), user);
      if (file.statusCode() != 200 || !java.util.Arrays.equals(PNG, file.body().getBytes())) {
        wrong.add(user.id() + "'s avatar " + avatar + " answered " + file.statusCode());
      }
    }
    return new Settled("avatar uploads", avatarsSent.get(), settled, wrong);
  }

  /** Every acknowledged sign-up can sign in. */
  private Settled verifySignUps() {
    List<String> wrong = new ArrayList<>();
    signUps.forEach(email -> {
      HttpResponse<Buffer> response = signIn(email, PASSWORD);
      if (response.statusCode() != 200) {
        wrong.add(email + ": " + response.statusCode() + " " + response.bodyAsString());
      }
    });
    return new Settled("sign-ups", signUpsSent.get(), signUps.size(), wrong);
  }

  /** Each user's 2FA is on or off as the last acknowledged change left it, or as a change without an answer would. */
  private Settled verifyTwoFactor() {
    List<String> wrong = new ArrayList<>();
    for (User user : users) {
      Boolean on = twoFactorAcked.get(user.id());
      if (on == null) {
        continue;
      }
      boolean stored = load.getWithRetry("/api/2fa/status", 20, user).getBoolean("two_factor_enabled");
      if (stored != on && !Boolean.valueOf(stored).equals(twoFactorPending.get(user.id()))) {
        wrong.add(user.id() + " was acknowledged " + (on ? "on" : "off") + ", is " + (stored ? "on" : "off"));
      }
    }
    return new Settled("2FA changes", twoFactorSent.get(), twoFactorAcked.size(), wrong);
  }

  /**
   * Each account signs in with the password its last acknowledged change set (or one a change still out would),
   * and every token such a change revoked is refused.
   */
  private Settled verifyPasswords() {
    List<String> wrong = new ArrayList<>();
    int settled = revokedByPasswordChange.size();
    passwordAccounts.values().forEach(account -> {
      boolean signsIn = signsIn(account.email, account.acked)
          || account.pending != null && signsIn(account.email, account.pending);
      if (!signsIn) {
        wrong.add(account.email + " refuses the password of its last acknowledged change");
      }
    });
    expectRefused(revokedByPasswordChange, "a token revoked by a password change", wrong);
    return new Settled("password changes", passwordChangesSent.get(), settled, wrong);
  }

  private HttpResponse<Buffer> signIn(String email, String password) {
    return load.call(HttpMethod.POST, "/api/auth/login", null, new JsonObject().put("email", email)
        .put("password", password));
  }

  private boolean signsIn(String email, String password) {
    return signIn(email, password).statusCode() == 200;
  }

  /** Adds to {@code wrong} each of these revoked tokens that is not refused with 401. */
  private void expectRefused(Set<String> tokens, String what, List<String> wrong) {
    tokens.forEach(token -> {
      int status = load.call(HttpMethod.GET, "/api/auth/me", new User(null, token), null).statusCode();
      if (status != 401) {
        wrong.add(what + " answered " + status);
      }
    });
  }

  /** Every token whose sign-out was acknowledged is refused. */
  private Settled verifySignOuts() {
    List<String> wrong = new ArrayList<>();
    expectRefused(signedOut, "a signed-out token", wrong);
    return new Settled("sign-outs", logoutsSent.get(), signedOut.size(), wrong);
  }

  /** Every check, after the restart. */
  List<Settled> verify() {
    Map<String, JsonObject> profiles = new java.util.HashMap<>();
    users.forEach(user -> profiles.put(user.id(), load.getWithRetry("/api/users/me", 20, user).getJsonObject("user")));
    return List.of(verifyNames(profiles), verifyAvatars(profiles), verifySignUps(), verifySignOuts(),
        verifyPasswords(), verifyTwoFactor());
  }
}
