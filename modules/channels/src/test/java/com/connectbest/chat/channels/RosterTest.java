package com.connectbest.chat.channels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.connectbest.chat.common.MongoDocs;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class RosterTest {

  private static final Instant T0 = Instant.parse("2026-01-01T10:00:00Z");

  private static JsonObject member(String channel, String user, String role, Instant joined) {
    return new JsonObject().put("channel_id", channel).put("user_id", user).put("role", role)
        .put("joined_at", MongoDocs.date(joined));
  }

  private static List<String> users(List<JsonObject> members) {
    return members.stream().map(m -> m.getString("user_id")).toList();
  }

  @Test
  @DisplayName("a membership is found by channel and by user until the member leaves")
  void bothDirections() {
    Roster roster = new Roster();
    roster.putMember(member("c1", "u1", "admin", T0));
    roster.putMember(member("c2", "u1", "member", T0));
    roster.putMember(member("c1", "u2", "member", T0));
    assertEquals("admin", roster.member("c1", "u1").getString("role"));
    assertEquals(List.of("u1", "u2"), users(roster.ofChannel("c1")));
    assertEquals(2, roster.ofUser("u1").size());
    assertEquals(2, roster.memberCount("c1"));

    assertTrue(roster.removeMember("c1", "u1"));
    assertFalse(roster.removeMember("c1", "u1"), "a second leave finds nobody");
    assertNull(roster.member("c1", "u1"));
    assertEquals(List.of("u2"), users(roster.ofChannel("c1")));
    assertEquals(List.of("c2"), roster.ofUser("u1").stream().map(m -> m.getString("channel_id")).toList());
    assertEquals(1, roster.memberCount("c1"));
  }

  @Test
  @DisplayName("what the roster hands out is a copy, so a caller cannot change the roster")
  void copies() {
    Roster roster = new Roster();
    roster.putMember(member("c1", "u1", "member", T0));
    roster.member("c1", "u1").put("role", "admin");
    roster.ofChannel("c1").get(0).put("role", "admin");
    roster.ofUser("u1").get(0).put("role", "admin");
    assertEquals("member", roster.member("c1", "u1").getString("role"));
  }

  @Test
  @DisplayName("after a load the members of a channel are in joining order, whatever order the store gave")
  void joiningOrder() {
    Roster roster = new Roster();
    roster.putMember(member("c1", "late", "member", T0.plusSeconds(20)));
    roster.putMember(member("c1", "first", "admin", T0));
    roster.putMember(member("c1", "middle", "member", T0.plusSeconds(10)));
    roster.sortByJoining();
    assertEquals(List.of("first", "middle", "late"), users(roster.ofChannel("c1")));
    assertEquals(List.of("first", "middle", "late"), roster.memberIds("c1"));
  }

  @Test
  @DisplayName("read positions are kept per channel and user, the newest write winning")
  void reads() {
    Roster roster = new Roster();
    roster.putRead("c1", "u1", T0);
    roster.putRead("c1", "u1", T0.plusSeconds(5));
    roster.putReadDoc(new JsonObject().put("channel_id", "c1").put("user_id", "u2")
        .put("last_read_at", MongoDocs.date(T0)));
    assertEquals(T0.plusSeconds(5), roster.lastRead("c1", "u1"));
    assertEquals(Map.of("u1", T0.plusSeconds(5), "u2", T0), roster.readsOf("c1"));
    assertNull(roster.lastRead("c2", "u1"));
  }

  @Test
  @DisplayName("a channel's sorted read positions count members only and follow every read, join and leave")
  void sortedReads() {
    Roster roster = new Roster();
    roster.putMember(member("c1", "u1", "member", T0));
    roster.putMember(member("c1", "u2", "member", T0));
    roster.putRead("c1", "u1", T0.plusSeconds(20));
    roster.putRead("c1", "u2", T0.plusSeconds(10));
    roster.putRead("c1", "outsider", T0);
    assertEquals(List.of(T0.plusSeconds(10), T0.plusSeconds(20)), List.of(roster.sortedMemberReads("c1")));

    roster.putRead("c1", "u2", T0.plusSeconds(30));
    assertEquals(List.of(T0.plusSeconds(20), T0.plusSeconds(30)), List.of(roster.sortedMemberReads("c1")));
    roster.putMember(member("c1", "outsider", "member", T0));
    assertEquals(List.of(T0, T0.plusSeconds(20), T0.plusSeconds(30)), List.of(roster.sortedMemberReads("c1")));
    roster.removeMember("c1", "u1");
    assertEquals(List.of(T0, T0.plusSeconds(30)), List.of(roster.sortedMemberReads("c1")));
    assertNull(roster.memberRead("c1", "u1"), "a former member's read position no longer counts");
    assertEquals(T0.plusSeconds(30), roster.memberRead("c1", "u2"));
    assertEquals(0, roster.sortedMemberReads("unknown").length);
  }

  @Test
  @DisplayName("a reload replaces everything the roster held")
  void replace() {
    Roster roster = new Roster();
    roster.putMember(member("c1", "gone", "member", T0));
    roster.putRead("c1", "gone", T0);
    Roster fresh = new Roster();
    fresh.putMember(member("c1", "u1", "member", T0));
    roster.replaceWith(fresh);
    assertEquals(List.of("u1"), users(roster.ofChannel("c1")));
    assertTrue(roster.ofUser("gone").isEmpty());
    assertTrue(roster.readsOf("c1").isEmpty());
  }
}
