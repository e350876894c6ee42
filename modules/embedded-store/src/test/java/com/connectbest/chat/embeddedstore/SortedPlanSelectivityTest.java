package com.connectbest.chat.embeddedstore;

import static com.connectbest.chat.embeddedstore.StoreHarness.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import de.bwaldvogel.mongo.bson.Document;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.BulkOperation;
import io.vertx.ext.mongo.FindOptions;
import io.vertx.junit5.VertxExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The shape that made search slow at 1M messages: a user's few channels ({@code channel_id $in}) hold a small share
 * of a large store, newer messages are all elsewhere, and the other conditions (a pattern, {@code $ne}) no index can
 * use. Reading the {@code _id} index newest first and stopping after the page looks cheap by a fixed guess, and reads
 * every newer message of other channels first; the channels' own runs are the plan to take.
 */
@ExtendWith(VertxExtension.class)
class SortedPlanSelectivityTest {

  private static final int MINE = 1_600;
  private static final int OTHERS = 20_000;

  @Test
  @DisplayName("A search over a user's channels reads their index runs, not the whole collection newest first")
  void searchReadsTheChannelsRuns(Vertx vertx) {
    DurableH2Backend backend = DurableH2Backend.inMemory();
    StoreHarness store = new StoreHarness(vertx, backend);
    try {
      await(store.client.createIndex("messages", new JsonObject().put("channel_id", 1).put("_id", -1)));
      // the user's channels first (older), then everyone else's traffic (newer), as in a store that keeps growing
      insert(store, MINE, i -> "mine-" + (i % 20), i -> i % 200 == 0 ? "needle " + i : "hay " + i);
      insert(store, OTHERS, i -> "other-" + (i % 500), i -> "hay " + i);

      JsonArray mine = new JsonArray();
      for (int c = 0; c < 20; c++) {
        mine.add("mine-" + c);
      }
      Document query = new Document("channel_id", new Document("$in", new ArrayList<>(mine.getList())))
          .append("is_deleted", new Document("$ne", true))
          .append("content", Pattern.compile("needle", Pattern.CASE_INSENSITIVE));
      OrderedH2Collection messages = (OrderedH2Collection) backend.resolveDatabase("test")
          .resolveCollection("messages", true);
      IndexScan.Plan plan = messages.plan(query, new Document("_id", -1), 0, 20);
      assertNotNull(plan, "an index plan");
      assertEquals("channel_id_1__id_-1", plan.index().getName());
      assertEquals(MINE, plan.entries(), "reads the user's channels' entries only");
      assertTrue(plan.sorted(), "20 runs merged in order, so the page stops the read early");

      List<JsonObject> found = await(store.client.findWithOptions("messages", new JsonObject()
              .put("channel_id", new JsonObject().put("$in", mine))
              .put("is_deleted", new JsonObject().put("$ne", true))
              .put("content", new JsonObject().put("$regex", "needle").put("$options", "i")),
          new FindOptions().setSort(new JsonObject().put("_id", -1)).setLimit(20)));
      assertEquals(MINE / 200, found.size());
      assertEquals("needle " + (MINE - 200), found.get(0).getString("content"), "newest first");
    } finally {
      store.close();
    }
  }

  @Test
  @DisplayName("Of two indexes with the same prefix and the same cost, the one that gives the wanted order is read, "
      + "so nothing is sorted afterwards")
  void aTieGoesToTheIndexInTheWantedOrder(Vertx vertx) {
    DurableH2Backend backend = DurableH2Backend.inMemory();
    StoreHarness store = new StoreHarness(vertx, backend);
    try {
      // as channel_members: the unique key is declared first, the joining order second
      await(store.client.createIndexWithOptions("members", new JsonObject().put("channel_id", 1).put("user_id", 1),
          new io.vertx.ext.mongo.IndexOptions().unique(true)));
      await(store.client.createIndex("members", new JsonObject().put("channel_id", 1).put("joined_at", 1)));
      List<BulkOperation> batch = new ArrayList<>();
      for (int i = 0; i < 2_000; i++) {
        // user ids in the opposite order to the joining order, so that the wrong index gives the wrong order
        batch.add(BulkOperation.createInsert(new JsonObject().put("channel_id", i % 2 == 0 ? "company" : "team")
            .put("user_id", String.format("u%05d", 10_000 - i)).put("joined_at", i)));
      }
      await(store.client.bulkWrite("members", batch));

      OrderedH2Collection members = (OrderedH2Collection) backend.resolveDatabase("test")
          .resolveCollection("members", true);
      IndexScan.Plan plan = members.plan(new Document("channel_id", "company"), new Document("joined_at", 1), 0, 0);
      assertNotNull(plan, "an index plan");
      assertEquals("channel_id_1_joined_at_1", plan.index().getName());
      assertTrue(plan.sorted(), "read in order");
      // without a sort either index will do, and the unique one (declared first) is still taken
      assertEquals(1_000, members.plan(new Document("channel_id", "company"), null, 0, 0).entries());

      List<JsonObject> found = await(store.client.findWithOptions("members", new JsonObject().put("channel_id", "company"),
          new FindOptions().setSort(new JsonObject().put("joined_at", 1))));
      assertEquals(1_000, found.size());
      for (int i = 0; i < found.size(); i++) {
        assertEquals(2 * i, found.get(i).getInteger("joined_at"));
      }
    } finally {
      store.close();
    }
  }

  private static void insert(StoreHarness store, int count, java.util.function.IntFunction<String> channel,
                             java.util.function.IntFunction<String> content) {
    List<BulkOperation> batch = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      batch.add(BulkOperation.createInsert(new JsonObject().put("channel_id", channel.apply(i))
          .put("content", content.apply(i)).put("is_deleted", false)));
      if (batch.size() == 1_000 || i == count - 1) {
        await(store.client.bulkWrite("messages", batch));
        batch = new ArrayList<>();
      }
    }
  }
}
