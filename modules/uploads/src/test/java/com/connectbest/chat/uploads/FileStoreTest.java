package com.connectbest.chat.uploads;

import static org.junit.jupiter.api.Assertions.assertEquals;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;
import java.time.Instant;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class FileStoreTest {

  @Test
  @DisplayName("Storage usage sums every recorded file's count and bytes with one aggregate command, and is zero when "
      + "nothing is recorded")
  void usageSumsFilesAndBytes() {
    Vertx vertx = Vertx.vertx();
    MongoServer server = new MongoServer(new MemoryBackend());
    try {
      server.bind("127.0.0.1", 0);
      MongoClient mongo = MongoClient.create(vertx, new JsonObject()
          .put("connection_string", "mongodb://127.0.0.1:" + server.getLocalAddress().getPort())
          .put("db_name", "files"));
      FileStore files = new FileStore(mongo);
      assertEquals(new JsonObject().put("files", 0L).put("bytes", 0L), files.usage().await());
      Instant now = Instant.now();
      for (int i = 1; i <= 30; i++) {
        files.insert("attachments/" + i, FileKind.values()[0], "owner", "f" + i + ".txt", "text/plain", i * 100L, now)
            .await();
      }
      assertEquals(new JsonObject().put("files", 30L).put("bytes", 46_500L), files.usage().await());
      mongo.close().await();
    } finally {
      server.shutdownNow();
      vertx.close().await();
    }
  }
}
