package com.connectbest.chat.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.connectbest.chat.common.MongoDocs;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The storage behaviour the auth service relies on, run against every store we support: the embedded server
 * and, where Docker exists, a real MongoDB.
 */
abstract class UserStoreContract {

  private Vertx vertx;
  private MongoClient mongo;
  private UserStore store;

  protected abstract String connectionString();

  @BeforeEach
  void connect() {
    vertx = Vertx.vertx();
    mongo = MongoClient.create(vertx, new JsonObject().put("connection_string", connectionString())
        .put("db_name", "store_" + UUID.randomUUID().toString().replace("-", "")).put("useObjectId", true));
    store = new UserStore(mongo);
    store.createIndexes().await();
  }

  @AfterEach
  void close() {
    mongo.close().await();
    vertx.close().await();
  }

  private String insert(String email, String name, String username) {
    Instant now = Instant.now();
    return store.insert(new JsonObject().put("email", email).put("full_name", name).put("username", username)
        .put("password_hash", "$2b$10$x").put("role", "user").put("status", "offline")
        .put("created_at", MongoDocs.date(now))).await();
  }

  @Test
  @DisplayName("a second account with the same e-mail is refused by the unique index")
  void uniqueEmail() {
    insert("dup@example.com", "First", "first");
    try {
      store.insert(new JsonObject().put("email", "dup@example.com").put("username", "second")).await();
      throw new AssertionError("duplicate accepted");
    } catch (RuntimeException e) {
      assertTrue(MongoDocs.isDuplicateKey(e), e.toString());
    }
  }

  @Test
  @DisplayName("a second account with the same username is refused, accounts without one are fine")
  void uniqueUsername() {
    insert("a@example.com", "A", "same");
    try {
      insert("b@example.com", "B", "same");
      throw new AssertionError("duplicate username accepted");
    } catch (RuntimeException e) {
      assertTrue(MongoDocs.isDuplicateKey(e), e.toString());
    }
    store.insert(new JsonObject().put("email", "c@example.com")).await();
    store.insert(new JsonObject().put("email", "d@example.com")).await();
  }

  @Test
  @DisplayName("search is case-insensitive and treats regex characters literally")
  void searchEscapes() {
    insert("dot@example.com", "Anna B. Smith", "anna.b");
    insert("x@example.com", "Annaxb", "annaxb");
    List<JsonObject> found = store.search("ANNA B.", 10).await();
    assertEquals(1, found.size());
    assertEquals("dot@example.com", found.get(0).getString("email"));
    assertEquals(0, store.search(".*", 10).await().size());
    assertEquals(0, store.search("(", 10).await().size());
    assertEquals(2, store.search("example.COM", 10).await().size());
  }

  @Test
  @DisplayName("a verification token is found only before it expires")
  void tokenExpiry() {
    String id = insert("v@example.com", "V", "v");
    store.update(id, new JsonObject().put("verification_token", "hash")
        .put("verification_expires", MongoDocs.date(Instant.now().plus(Duration.ofHours(1)))), null).await();
    assertNotNull(store.findByVerificationToken("hash", Instant.now()).await());
    assertNull(store.findByVerificationToken("hash", Instant.now().plus(Duration.ofHours(2))).await());
  }

  @Test
  @DisplayName("an update returns the new document with updated_at and unset fields removed")
  void update() {
    String id = insert("u@example.com", "U", "u");
    JsonObject updated = store.update(id, new JsonObject().put("status", "busy"),
        new JsonObject().put("password_hash", "")).await();
    assertEquals("busy", updated.getString("status"));
    assertNull(updated.getValue("password_hash"));
    assertNotNull(MongoDocs.instant(updated.getValue("updated_at")));
    assertEquals(id, MongoDocs.id(updated));
    assertNull(store.update("507f1f77bcf86cd7994390ff", new JsonObject().put("status", "busy"), null).await());
  }

  @Test
  @DisplayName("listed ADMIN_EMAILS are granted the admin role, others are untouched")
  void grantAdmin() {
    String admin = insert("boss@example.com", "Boss", "boss");
    String user = insert("user@example.com", "User", "user");
    store.grantAdmin(List.of("boss@example.com")).await();
    assertEquals("admin", store.findById(admin).await().getString("role"));
    assertEquals("user", store.findById(user).await().getString("role"));
  }

  @Test
  @DisplayName("dates are stored as BSON dates that compare in queries")
  void dates() {
    insert("d@example.com", "D", "d");
    assertEquals(1L, store.count(new JsonObject().put("created_at",
        new JsonObject().put("$lt", MongoDocs.date(Instant.now().plusSeconds(5))))).await());
  }

  @Test
  @DisplayName("users are found by a list of ids, unknown ids are skipped")
  void findByIds() {
    String a = insert("a1@example.com", "A", "a1");
    assertEquals(1, store.findByIds(List.of(a, "507f1f77bcf86cd7994390ff")).await().size());
  }

  @Test
  @DisplayName("the directory pages by name then id, with equal names and nameless users, each user exactly once")
  void directoryPages() {
    insert("b1@example.com", "Bea", "b1");
    insert("a1@example.com", "Al", "a1");
    insert("b2@example.com", "Bea", "b2");
    insert("b3@example.com", "Bea", "b3");
    store.insert(new JsonObject().put("email", "nameless@example.com").put("username", "nameless")).await();
    List<String> seen = new java.util.ArrayList<>();
    String afterName = null;
    String afterId = null;
    for (int round = 0; round < 10; round++) {
      List<JsonObject> page = store.listAll(afterName, afterId, 2).await();
      if (page.isEmpty()) {
        break;
      }
      page.forEach(user -> seen.add(user.getString("email")));
      JsonObject last = page.get(page.size() - 1);
      afterName = last.getString("full_name");
      afterId = MongoDocs.id(last);
    }
    assertEquals(List.of("nameless@example.com", "a1@example.com"), seen.subList(0, 2));
    assertEquals(5, seen.size());
    assertEquals(5, seen.stream().distinct().count());
  }
}
