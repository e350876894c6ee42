package com.connectbest.chat.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import io.vertx.ext.mongo.MongoClient;
import io.vertx.ext.web.client.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class AuthAndUsersTest {

  private static final List<String> SECRET_FIELDS = List.of("password_hash", "two_factor_secret", "backup_codes",
      "verification_token", "verification_expires", "password");

  private static TestSystem system;

  @BeforeAll
  static void start() {
    system = new TestSystem(new JsonObject());
  }

  @AfterAll
  static void stop() {
    system.close();
  }

  static JsonObject assertError(HttpResponse<Buffer> response, int status) {
    assertEquals(status, response.statusCode(), response::bodyAsString);
    JsonObject body = response.bodyAsJsonObject();
    assertNotNull(body.getString("error"));
    assertNotNull(body.getString("message"));
    assertTrue(body.containsKey("details"));
    assertNotNull(body.getString("timestamp"));
    return body;
  }

  private static void assertNoSecrets(HttpResponse<Buffer> response) {
    String text = response.bodyAsString();
    SECRET_FIELDS.forEach(field -> assertFalse(text.contains("\"" + field + "\""), field + " leaked: " + text));
    assertFalse(text.contains("$2b$") || text.contains("$2a$"), "a bcrypt hash leaked");
  }

  @Test
  @DisplayName("a new user registers, verifies the e-mailed link, signs in and reads /api/auth/me")
  void signUpJourney() {
    HttpResponse<Buffer> registered = system.contract.assertConforms("register", system.post("/api/auth/register", null,
        new JsonObject().put("email", "Journey@Example.com").put("password", TestSystem.PASSWORD)
            .put("name", "Jo Urney").put("phone", "+1 234 567 8901")));
    assertEquals(201, registered.statusCode(), registered.bodyAsString());
    JsonObject user = registered.bodyAsJsonObject().getJsonObject("user");
    assertEquals("journey@example.com", user.getString("email"));
    assertEquals("journey", user.getString("username"));
    assertEquals("user", user.getString("role"));
    assertFalse(user.getBoolean("email_verified"));
    assertTrue(registered.bodyAsJsonObject().getBoolean("email_sent"));
    assertNoSecrets(registered);

    String token = system.verificationTokenFor("journey@example.com");
    HttpResponse<Buffer> verified = system.contract.assertConforms("verifyEmail",
        system.post("/api/auth/verify-email", null, new JsonObject().put("token", token)));
    assertEquals(200, verified.statusCode(), verified.bodyAsString());
    assertTrue(verified.bodyAsJsonObject().getJsonObject("user").getBoolean("email_verified"));
    assertError(system.post("/api/auth/verify-email", null, new JsonObject().put("token", token)), 400);

    HttpResponse<Buffer> login = system.contract.assertConforms("login", system.post("/api/auth/login", null,
        new JsonObject().put("email", "JOURNEY@example.com").put("password", TestSystem.PASSWORD)));
    assertEquals(200, login.statusCode(), login.bodyAsString());
    assertEquals("Bearer", login.bodyAsJsonObject().getString("token_type"));
    String jwt = login.bodyAsJsonObject().getString("token");

    HttpResponse<Buffer> me = system.contract.assertConforms("getCurrentUser", system.get("/api/auth/me", jwt));
    assertEquals(200, me.statusCode());
    JsonObject profile = me.bodyAsJsonObject().getJsonObject("user");
    assertEquals("Jo Urney", profile.getString("name"));
    assertEquals("Jo Urney", profile.getString("full_name"));
    assertTrue(profile.getBoolean("email_verified"));
    assertNotNull(profile.getString("last_login"));
    assertNoSecrets(me);
    system.contract.assertConforms("getMyProfile", system.get("/api/users/me", jwt));
  }

  static List<JsonObject> badRegistrations() {
    JsonObject valid = new JsonObject().put("email", "valid@example.com").put("password", TestSystem.PASSWORD)
        .put("name", "Val Id");
    return List.of(
        valid.copy().put("email", "not-an-email"),
        valid.copy().put("email", "a@b.c"),
        valid.copy().put("password", "short1A"),
        valid.copy().put("password", "nouppercase1"),
        valid.copy().put("password", "NOLOWERCASE1"),
        valid.copy().put("password", "NoDigitsAtAll"),
        valid.copy().put("name", "X"),
        valid.copy().put("name", "R2-D2"),
        valid.copy().put("phone", "123"),
        valid.copy().put("email", 42),
        valid.copy().putNull("name"),
        new JsonObject().put("password", TestSystem.PASSWORD).put("name", "No Mail"));
  }

  @ParameterizedTest
  @MethodSource("badRegistrations")
  @DisplayName("registration input that breaks a rule answers 400 in the standard format")
  void badRegistration(JsonObject body) {
    assertError(system.contract.assertConforms("register", system.post("/api/auth/register", null, body)), 400);
  }

  @Test
  @DisplayName("an e-mail already registered, in any case, answers 409")
  void duplicate() {
    system.signUp("dup@example.com", "Dup One");
    assertError(system.contract.assertConforms("register", system.post("/api/auth/register", null,
        new JsonObject().put("email", "DUP@example.com").put("password", TestSystem.PASSWORD).put("name", "Dup Two"))),
        409);
  }

  @Test
  @DisplayName("usernames stay unique when two e-mails share a local part")
  void uniqueUsernames() {
    system.signUp("same@one.example.com", "Same One");
    HttpResponse<Buffer> second = system.post("/api/auth/register", null, new JsonObject()
        .put("email", "same@two.example.com").put("password", TestSystem.PASSWORD).put("name", "Same Two"));
    assertEquals("same2", second.bodyAsJsonObject().getJsonObject("user").getString("username"));
  }

  @Test
  @DisplayName("a role in the registration body is ignored; ADMIN_EMAILS become admins")
  void roleIgnored() {
    HttpResponse<Buffer> sneaky = system.post("/api/auth/register", null, new JsonObject()
        .put("email", "sneaky@example.com").put("password", TestSystem.PASSWORD).put("name", "Sneaky").put("role", "admin"));
    assertEquals("user", sneaky.bodyAsJsonObject().getJsonObject("user").getString("role"));
    HttpResponse<Buffer> boss = system.post("/api/auth/register", null, new JsonObject()
        .put("email", "Admin@Example.com").put("password", TestSystem.PASSWORD).put("name", "The Admin"));
    assertEquals("admin", boss.bodyAsJsonObject().getJsonObject("user").getString("role"));
  }

  @Test
  @DisplayName("an unknown verification token answers 400")
  void unknownVerificationToken() {
    assertError(system.contract.assertConforms("verifyEmail",
        system.post("/api/auth/verify-email", null, new JsonObject().put("token", "nope"))), 400);
  }

  @Test
  @DisplayName("a wrong password or an unknown e-mail answers 401 INVALID_CREDENTIALS")
  void badLogin() {
    system.signUp("login@example.com", "Log In");
    JsonObject wrong = assertError(system.contract.assertConforms("login", system.post("/api/auth/login", null,
        new JsonObject().put("email", "login@example.com").put("password", "WrongPass123"))), 401);
    assertEquals("INVALID_CREDENTIALS", wrong.getString("error"));
    JsonObject unknown = assertError(system.post("/api/auth/login", null,
        new JsonObject().put("email", "nobody@example.com").put("password", "WrongPass123")), 401);
    assertEquals(wrong.getString("message"), unknown.getString("message"), "must not reveal which accounts exist");
  }

  @Test
  @DisplayName("the stored user is one NextAuth can sign in: lower-cased e-mail, $2b$ hash, full_name, BSON dates")
  void nextAuthCompatibleDocument() {
    system.signUp("Stored@Example.com", "Sto Red");
    MongoClient mongo = MongoClient.create(system.vertx, new JsonObject()
        .put("connection_string", system.mongoUri()).put("db_name", system.database()));
    JsonObject doc = mongo.findOne("users", new JsonObject().put("email", "stored@example.com"), null).await();
    assertNotNull(doc);
    assertTrue(doc.getString("password_hash").startsWith("$2b$10$") || doc.getString("password_hash").startsWith("$2b$1"));
    assertEquals("Sto Red", doc.getString("full_name"));
    assertEquals("user", doc.getString("role"));
    assertNotNull(doc.getJsonObject("created_at").getValue("$date"), "created_at must be a BSON date");
    assertNotNull(doc.getJsonObject("last_login").getValue("$date"));
    assertEquals(64, doc.getString("verification_token").length(), "only a SHA-256 of the token is stored");
    mongo.close();
  }

  @Test
  @DisplayName("a profile update changes name, phone, status, message and avatar; bad values answer 400")
  void profileUpdate() {
    JsonObject ann = system.signUp("profile@example.com", "Pro File");
    HttpResponse<Buffer> updated = system.contract.assertConforms("updateMyProfile", system.put("/api/users/me",
        ann.getString("token"), new JsonObject().put("name", "Pro Updated").put("phone", "+9876543210")
            .put("status", "busy").put("status_message", "In a meeting").put("avatar", "https://example.com/a.png")));
    assertEquals(200, updated.statusCode(), updated.bodyAsString());
    JsonObject user = updated.bodyAsJsonObject().getJsonObject("user");
    assertEquals("Pro Updated", user.getString("full_name"));
    assertEquals("busy", user.getString("status"));
    assertEquals("In a meeting", user.getString("status_message"));
    assertEquals("https://example.com/a.png", user.getString("avatar"));
    assertEquals("Pro Updated", system.get("/api/auth/me", ann.getString("token")).bodyAsJsonObject()
        .getJsonObject("user").getString("name"));
    assertError(system.put("/api/users/me", ann.getString("token"), new JsonObject().put("status", "sleeping")), 400);
    assertError(system.put("/api/users/me", ann.getString("token"), new JsonObject()), 400);
    assertError(system.put("/api/users/me", ann.getString("token"), new JsonObject().put("avatar", "javascript:x")), 400);
  }

  @Test
  @DisplayName("logout sets the user's status to offline")
  void logout() {
    JsonObject user = system.signUp("logout@example.com", "Log Out");
    system.put("/api/users/me", user.getString("token"), new JsonObject().put("status", "online"));
    HttpResponse<Buffer> out = system.contract.assertConforms("logout",
        system.post("/api/auth/logout", user.getString("token"), null));
    assertEquals(200, out.statusCode());
    String fresh = system.post("/api/auth/login", null, new JsonObject().put("email", "logout@example.com")
        .put("password", TestSystem.PASSWORD)).bodyAsJsonObject().getString("token");
    assertEquals("offline", system.get("/api/users/me", fresh).bodyAsJsonObject()
        .getJsonObject("user").getString("status"));
  }

  @Test
  @DisplayName("a sign-out revokes every earlier token, over REST and the bridge, and closes live sockets; a new sign-in works at once")
  void signOutRevokesTokens() {
    JsonObject user = system.signUp("revoke@example.com", "Re Voke");
    String before = user.getString("token");
    assertEquals(200, system.get("/api/auth/me", before).statusCode());
    try (com.connectbest.chat.common.testing.BridgeClient live =
             new com.connectbest.chat.common.testing.BridgeClient(system.vertx, system.port)) {
      String address = com.connectbest.chat.common.Addresses.user(user.getString("id"));
      live.register(address, before);
      assertTrue(live.awaitRegistered(address, 3000));
      assertEquals(200, system.post("/api/auth/logout", before, null).statusCode());
      assertEquals("4401 token revoked: logout", live.closedWith(1000), "the socket opened before is cut");
    }
    assertError(system.get("/api/auth/me", before), 401);
    try (com.connectbest.chat.common.testing.BridgeClient socket =
             new com.connectbest.chat.common.testing.BridgeClient(system.vertx, system.port)) {
      socket.register(com.connectbest.chat.common.Addresses.user(user.getString("id")), before);
      assertEquals("err", socket.next(3000).getString("type"));
    }
    String after = system.post("/api/auth/login", null, new JsonObject().put("email", "revoke@example.com")
        .put("password", TestSystem.PASSWORD)).bodyAsJsonObject().getString("token");
    assertEquals(200, system.get("/api/auth/me", after).statusCode());
  }

  @Test
  @DisplayName("a password change needs the current password, revokes earlier tokens and hands out a working one")
  void passwordChangeRevokesTokens() {
    JsonObject user = system.signUp("rotate@example.com", "Ro Tate");
    String before = user.getString("token");
    String otherSession = system.post("/api/auth/login", null, new JsonObject().put("email", "rotate@example.com")
        .put("password", TestSystem.PASSWORD)).bodyAsJsonObject().getString("token");
    assertError(system.post("/api/users/me/password", before, new JsonObject()
        .put("current_password", "NotMyPassword1").put("new_password", "NewSecret456")), 400);
    assertError(system.post("/api/users/me/password", before, new JsonObject()
        .put("current_password", TestSystem.PASSWORD).put("new_password", "weak")), 400);
    assertEquals(200, system.get("/api/auth/me", before).statusCode(), "failed attempts change nothing");

    com.connectbest.chat.common.testing.BridgeClient live =
        new com.connectbest.chat.common.testing.BridgeClient(system.vertx, system.port);
    String address = com.connectbest.chat.common.Addresses.user(user.getString("id"));
    live.register(address, otherSession);
    assertTrue(live.awaitRegistered(address, 3000));
    HttpResponse<Buffer> changed = system.contract.assertConforms("changePassword", system.post(
        "/api/users/me/password", before, new JsonObject().put("current_password", TestSystem.PASSWORD)
            .put("new_password", "NewSecret456")));
    assertEquals(200, changed.statusCode(), changed.bodyAsString());
    assertEquals("4401 token revoked: password_changed", live.closedWith(1000), "the other session's socket is cut");
    live.close();
    assertError(system.get("/api/auth/me", before), 401);
    assertError(system.get("/api/auth/me", otherSession), 401);
    assertEquals(200, system.get("/api/auth/me", changed.bodyAsJsonObject().getString("token")).statusCode());
    assertError(system.post("/api/auth/login", null, new JsonObject().put("email", "rotate@example.com")
        .put("password", TestSystem.PASSWORD)), 401);
    assertEquals(200, system.post("/api/auth/login", null, new JsonObject().put("email", "rotate@example.com")
        .put("password", "NewSecret456")).statusCode());
    assertError(system.post("/api/users/me/password", null, new JsonObject().put("current_password", "x")
        .put("new_password", "NewSecret789")), 401);
  }

  @Test
  @DisplayName("the directory lists users with a total and no secrets; anonymous callers get 401")
  void directory() {
    JsonObject user = system.signUp("directory@example.com", "Direc Tory");
    HttpResponse<Buffer> list = system.contract.assertConforms("listUsers", system.get("/api/users", user.getString("token")));
    assertEquals(200, list.statusCode());
    JsonArray users = list.bodyAsJsonObject().getJsonArray("users");
    assertTrue(users.size() >= 1);
    assertEquals(users.size(), list.bodyAsJsonObject().getInteger("total"));
    assertNoSecrets(list);
    assertError(system.get("/api/users", null), 401);
  }

  @Test
  @DisplayName("user search is case-insensitive on name, e-mail and username, and treats regex input literally")
  void search() {
    JsonObject user = system.signUp("searcher@example.com", "Sear Cher");
    system.signUp("zelda.q@example.com", "Zelda Quinn");
    String token = user.getString("token");
    HttpResponse<Buffer> byName = system.contract.assertConforms("searchUsers",
        system.get("/api/users/search?query=zELDA", token));
    assertEquals(1, byName.bodyAsJsonObject().getJsonArray("users").size(), byName.bodyAsString());
    assertEquals(1, system.get("/api/users/search?query=ZELDA.Q@", token).bodyAsJsonObject().getJsonArray("users").size());
    assertEquals(0, system.get("/api/users/search?query=.*", token).bodyAsJsonObject().getJsonArray("users").size());
    assertEquals(0, system.get("/api/users/search?query=%5B", token).bodyAsJsonObject().getJsonArray("users").size());
    assertNoSecrets(byName);
    assertError(system.get("/api/users/search", token), 400);
    assertError(system.get("/api/users/search?query=a&limit=1000", token), 400);
  }

  @Test
  @DisplayName("statistics are for admins only; a forged admin claim on a real account gets 403")
  void statistics() {
    JsonObject user = system.signUp("stats-user@example.com", "Stats User");
    assertError(system.contract.assertConforms("getUserStatistics",
        system.get("/api/users/statistics", user.getString("token"))), 403);
    String forged = JWTAuth.create(system.vertx, new JWTAuthOptions().addPubSecKey(new PubSecKeyOptions()
            .setAlgorithm("HS256").setBuffer(TestSystem.SECRET)))
        .generateToken(new JsonObject().put("user_id", user.getString("id")).put("role", "admin"),
            new JWTOptions().setExpiresInSeconds(600));
    assertError(system.get("/api/users/statistics", forged), 403);

    system.post("/api/auth/register", null, new JsonObject().put("email", "admin@example.com")
        .put("password", TestSystem.PASSWORD).put("name", "The Admin"));
    String admin = system.post("/api/auth/login", null, new JsonObject().put("email", "admin@example.com")
        .put("password", TestSystem.PASSWORD)).bodyAsJsonObject().getString("token");
    HttpResponse<Buffer> stats = system.contract.assertConforms("getUserStatistics",
        system.get("/api/users/statistics", admin));
    assertEquals(200, stats.statusCode(), stats.bodyAsString());
    JsonObject figures = stats.bodyAsJsonObject().getJsonObject("statistics");
    assertTrue(figures.getInteger("totalUsers") >= 2);
    assertTrue(figures.getInteger("totalChannels") >= 0);
    assertTrue(figures.getInteger("totalMessages") >= 0);
  }

  @Test
  @DisplayName("the auth status endpoint is public")
  void status() {
    HttpResponse<Buffer> status = system.contract.assertConforms("getAuthStatus", system.get("/api/auth/status", null));
    assertEquals(200, status.statusCode());
    assertEquals("NextAuth.js", status.bodyAsJsonObject().getString("auth_provider"));
  }
}
