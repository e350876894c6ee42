package com.connectbest.chat.auth;

import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.mongodb.MongoDBContainer;

/** The same storage contract against a real MongoDB 7; skipped (not failed) where Docker is unavailable. */
@Testcontainers(disabledWithoutDocker = true)
class UserStoreRealMongoTest extends UserStoreContract {

  @Container
  private static final MongoDBContainer MONGO = new MongoDBContainer("mongo:7.0.14");

  @Override
  protected String connectionString() {
    return MONGO.getConnectionString();
  }
}
