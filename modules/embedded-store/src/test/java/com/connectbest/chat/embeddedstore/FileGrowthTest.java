package com.connectbest.chat.embeddedstore;

import static com.connectbest.chat.embeddedstore.StoreHarness.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(VertxExtension.class)
class FileGrowthTest {

  private static final int DOCUMENTS = 30_000;
  private static final int IN_FLIGHT = 64;

  @TempDir
  Path dir;

  @Test
  @DisplayName("Under a stream of small durable commits the file stays within a small multiple of its live data (180 MB instead of 51 MB here without compaction)")
  void fileStaysCompact(Vertx vertx) throws Exception {
    Path file = dir.resolve("growth.mv.db");
    DurableH2Backend backend = DurableH2Backend.open(file);
    try (StoreHarness store = new StoreHarness(vertx, backend)) {
      await(store.client.createIndex("messages", new JsonObject().put("channel_id", 1).put("_id", -1)));
      await(store.client.createIndex("messages", new JsonObject().put("parent_message_id", 1).put("_id", 1)));
      String text = "x".repeat(200);
      long started = System.nanoTime();
      for (int sent = 0; sent < DOCUMENTS; sent += IN_FLIGHT) {
        List<Future<String>> batch = new ArrayList<>();
        for (int i = 0; i < IN_FLIGHT; i++) {
          batch.add(store.client.insert("messages", new JsonObject().put("channel_id", "c" + (sent + i) % 50)
              .put("parent_message_id", null).put("content", text)));
        }
        batch.forEach(StoreHarness::await);
      }
      double seconds = (System.nanoTime() - started) / 1e9;
      Thread.sleep(1_500);
      long size = Files.size(file);
      long live = DOCUMENTS * 400L;
      System.out.printf("file growth: %d inserts in %.1f s (%.0f/s), %d file syncs, file %d MB (%s), about %d MB of documents%n",
          DOCUMENTS, seconds, DOCUMENTS / seconds, backend.fileSyncs(), size >> 20, backend.fileReport(), live >> 20);
      assertTrue(size < 8 * live, "file " + size + " bytes for about " + live + " bytes of documents");
    }
  }
}
