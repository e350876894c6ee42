package com.connectbest.chat.embeddedstore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import de.bwaldvogel.mongo.bson.Document;
import io.netty.channel.Channel;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class SlowCommandLogTest {

  private static final long MS = 1_000_000;

  private final AtomicLong clock = new AtomicLong(1_000);
  private final List<String> lines = new ArrayList<>();
  private final SlowCommandLog log = new SlowCommandLog(100, clock::get, lines::add);

  private static Document find(String channelId) {
    return new Document("find", "memberships").append("filter", new Document("channel_id", channelId))
        .append("sort", new Document("joined_at", 1));
  }

  private static Document reply(int documents) {
    List<Document> batch = new ArrayList<>();
    for (int i = 0; i < documents; i++) {
      batch.add(new Document("_id", i));
    }
    return new Document("cursor", new Document("firstBatch", batch)).append("ok", 1.0);
  }

  @Test
  @DisplayName("A command slower than the threshold is logged with its collection, its shape without values and "
      + "the documents it answered; a faster one is not")
  void logsOnlySlowCommandsWithoutTheirValues() {
    log.record("chat", "find", find("secret-channel"), reply(3), 99 * MS);
    assertTrue(lines.isEmpty());
    log.record("chat", "find", find("secret-channel"), reply(3), 250 * MS);
    assertEquals(List.of("Slow store command, 250 ms: find chat.memberships filter {\"channel_id\" : \"?\"} "
        + "sort {\"joined_at\" : \"?\"} -> 3 documents"), lines);
    assertFalse(lines.get(0).contains("secret-channel"));
    assertEquals(1, log.count());
  }

  @Test
  @DisplayName("Repeats of one shape are logged at most once per quiet period, with how many were left out")
  void repeatsOfAShapeAreCountedNotLogged() {
    for (int i = 0; i < 5; i++) {
      log.record("chat", "find", find("c" + i), reply(1), 150 * MS);
    }
    log.record("chat", "count", new Document("count", "messages").append("query", new Document("x", 1)), null,
        150 * MS);
    assertEquals(2, lines.size(), lines.toString());
    clock.addAndGet(SlowCommandLog.QUIET_MS + 1);
    log.record("chat", "find", find("c9"), reply(1), 150 * MS);
    assertEquals(3, lines.size());
    assertTrue(lines.get(2).endsWith("(4 more of this shape in the 10 s before)"), lines.get(2));
    assertEquals(7, log.count());
  }

  @Test
  @DisplayName("A threshold of zero turns the log off")
  void zeroTurnsItOff() {
    SlowCommandLog off = new SlowCommandLog(0, clock::get, lines::add);
    off.record("chat", "find", find("c"), reply(1), 60_000 * MS);
    assertTrue(lines.isEmpty());
    assertEquals(0, off.count());
  }

  @Test
  @DisplayName("The backend logs a query that reads 50,000 documents without an index, and counts it")
  void theBackendLogsItsSlowCommands() {
    DurableH2Backend backend = DurableH2Backend.inMemory();
    try {
      Channel channel = new EmbeddedChannel();
      List<Document> items = new ArrayList<>();
      for (int i = 0; i < 50_000; i++) {
        items.add(new Document("_id", i).append("name", "item " + i));
      }
      backend.handleCommand(channel, "chat", "insert", new Document("insert", "items").append("documents", items));
      backend.logSlowCommands(new SlowCommandLog(1, clock::get, lines::add));
      backend.handleCommand(channel, "chat", "find", new Document("find", "items")
          .append("filter", new Document("name", new Document("$regex", "^item 4999[0-9]$"))));
      assertEquals(1, backend.slowCommands());
      assertEquals(1, lines.size());
      assertTrue(lines.get(0).contains("find chat.items filter {\"name\" : {\"$regex\" : \"?\"}} -> 10 documents"),
          lines.get(0));
    } finally {
      backend.close();
    }
  }
}
