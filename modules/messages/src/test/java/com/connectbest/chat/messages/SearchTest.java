package com.connectbest.chat.messages;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.connectbest.chat.common.Principal;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class SearchTest extends MessagesTestBase {

  private JsonObject search(Principal caller, JsonObject query) {
    return ok("searchMessages", caller, null, query, null);
  }

  private List<String> found(Principal caller, String q) {
    return contents(objects(search(caller, new JsonObject().put("q", q)).getJsonArray("messages")));
  }

  @Test
  @DisplayName("search is a case-insensitive substring match, newest first, with the total beyond the limit")
  void basics() {
    Principal ann = user("Ann");
    String general = channel(ann);
    send(ann, general, "Deploy on Friday");
    send(ann, general, "nothing here");
    JsonObject root = send(ann, general, "the DEPLOYMENT failed");
    reply(ann, root.getString("id"), "redeploy please");

    assertEquals(List.of("redeploy please", "the DEPLOYMENT failed", "Deploy on Friday"), found(ann, "deploy"));
    JsonObject limited = search(ann, new JsonObject().put("q", " Deploy ").put("limit", 2));
    assertEquals(2, limited.getJsonArray("messages").size());
    assertEquals(3, limited.getInteger("total"));
    assertEquals("Ann", limited.getJsonArray("messages").getJsonObject(0).getJsonObject("user").getString("name"));
  }

  @Test
  @DisplayName("the query is escaped: regex characters match only themselves")
  void escaping() {
    Principal ann = user("Ann");
    String general = channel(ann);
    send(ann, general, "plain words");
    send(ann, general, "literally .* here");
    send(ann, general, "a+b=c");
    send(ann, general, "aab=c");
    send(ann, general, "price $5 (approx) [x] {y} ^z | w? \\ end");

    assertEquals(List.of("literally .* here"), found(ann, ".*"));
    assertEquals(List.of("a+b=c"), found(ann, "a+b"));
    assertEquals(List.of(), found(ann, "^plain"));
    assertEquals(List.of("price $5 (approx) [x] {y} ^z | w? \\ end"), found(ann, "$5 (approx) [x] {y} ^z | w? \\"));
    assertEquals(List.of("price $5 (approx) [x] {y} ^z | w? \\ end"), found(ann, "("));
    assertEquals(List.of(), found(ann, "[a-z]+ words"));
    assertEquals(List.of(), found(ann, "words$|plain"));
  }

  @Test
  @DisplayName("search never finds messages of channels I am not in, and a channel filter must be one of mine")
  void visibility() {
    Principal ann = user("Ann");
    Principal eve = user("Eve");
    String shared = channel(ann, eve);
    String annOnly = channel(ann);
    String dm = "dm_" + ann.id() + "_" + eve.id();
    channels.create(dm, "dm", ann.id(), eve.id());
    send(ann, shared, "secret shared");
    send(ann, annOnly, "secret private");
    send(eve, dm, "secret dm");

    assertEquals(List.of("secret dm", "secret shared"), found(eve, "secret"));
    assertEquals(List.of("secret dm", "secret private", "secret shared"), found(ann, "secret"));
    assertEquals(List.of("secret private"), contents(objects(search(ann,
        new JsonObject().put("q", "secret").put("channel_id", annOnly)).getJsonArray("messages"))));
    assertFailure(failure("searchMessages", eve, null, new JsonObject().put("q", "secret").put("channel_id", annOnly),
        null), 403, "Not a member of this channel");
    assertFailure(failure("searchMessages", eve, null, new JsonObject().put("q", "secret")
        .put("channel_id", new ObjectId().toHexString()), null), 403, "Not a member of this channel");

    channels.remove(shared, eve.id(), true);
    assertEquals(List.of("secret dm"), found(eve, "secret"));
    Principal loner = user("Loner");
    assertEquals(0, search(loner, new JsonObject().put("q", "secret")).getInteger("total"));
  }

  @Test
  @DisplayName("q must be 1-200 characters, limit 1-100, channel_id a valid id")
  void rules() {
    Principal ann = user("Ann");
    channel(ann);
    assertFailure(failure("searchMessages", ann, null, new JsonObject(), null), 400, "Search query is required");
    assertFailure(failure("searchMessages", ann, null, new JsonObject().put("q", "  "), null), 400,
        "Search query is required");
    assertFailure(failure("searchMessages", ann, null, new JsonObject().put("q", "q".repeat(201)), null), 400,
        "Search query too long (max 200 characters)");
    assertEquals(0, search(ann, new JsonObject().put("q", "q".repeat(200))).getInteger("total"));
    assertFailure(failure("searchMessages", ann, null, new JsonObject().put("q", "x").put("limit", 101), null), 400,
        null);
    assertFailure(failure("searchMessages", ann, null, new JsonObject().put("q", "x").put("channel_id", "general"),
        null), 400, "Invalid channel_id");
  }
}
