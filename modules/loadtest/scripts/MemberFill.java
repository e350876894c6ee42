import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.BulkOperation;
import io.vertx.ext.mongo.MongoClient;
import java.util.ArrayList;
import java.util.List;

/**
 * MemberFill PORT CHANNEL N (run by member-pages.sh, the server jar on the class path): N accounts and their
 * memberships of CHANNEL, written straight into the embedded store on PORT, 1,000 per bulk write. They joined one
 * second apart, ending now, so that pages in join order have distinct cursors.
 */
public class MemberFill {
  public static void main(String[] args) throws Exception {
    Vertx vertx = Vertx.vertx();
    MongoClient mongo = MongoClient.create(vertx, new JsonObject()
        .put("connection_string", "mongodb://127.0.0.1:" + args[0]).put("db_name", "chatapp").put("useObjectId", true));
    String channel = args[1];
    int n = Integer.parseInt(args[2]);
    long base = System.currentTimeMillis() - n * 1000L;
    for (int start = 0; start < n; start += 1000) {
      List<BulkOperation> users = new ArrayList<>();
      List<BulkOperation> members = new ArrayList<>();
      for (int i = start; i < Math.min(n, start + 1000); i++) {
        String id = new org.bson.types.ObjectId().toHexString();
        JsonObject at = new JsonObject().put("$date", java.time.Instant.ofEpochMilli(base + i * 1000L).toString());
        users.add(BulkOperation.createInsert(new JsonObject().put("_id", id).put("email", "m" + channel + "-" + i + "@example.com")
            .put("username", "m" + channel + "-" + i).put("full_name", "Member " + i).put("avatar", null).put("role", "user")
            .put("status", "offline").put("email_verified", true).put("two_factor_enabled", false)
            .put("created_at", at).put("updated_at", at)));
        members.add(BulkOperation.createInsert(new JsonObject().put("channel_id", channel).put("user_id", id)
            .put("role", "member").put("joined_at", at)));
      }
      mongo.bulkWrite("users", users).await();
      mongo.bulkWrite("channel_members", members).await();
      if (start % 10000 == 0) System.out.println("filled " + start);
    }
    mongo.close().await();
    vertx.close().await();
  }
}
