package com.connectbest.chat.auth;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

class UserStoreEmbeddedTest extends UserStoreContract {

  private static MongoServer server;

  @BeforeAll
  static void start() {
    server = new MongoServer(new MemoryBackend());
    server.bind("127.0.0.1", 0);
  }

  @AfterAll
  static void stop() {
    server.shutdownNow();
  }

  @Override
  protected String connectionString() {
    InetSocketAddress address = server.getLocalAddress();
    return "mongodb://127.0.0.1:" + address.getPort();
  }
}
