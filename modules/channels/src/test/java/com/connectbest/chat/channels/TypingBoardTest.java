package com.connectbest.chat.channels;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class TypingBoardTest {

  private static final long WINDOW = 5_000;

  private static void settle() {
    try {
      TimeUnit.MILLISECONDS.sleep(200);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Test
  @DisplayName("A second channels instance's board follows the first one's typing signals over the bus")
  void boardsFollowEachOther(Vertx vertx) throws Exception {
    AtomicLong now = new AtomicLong(1_000_000);
    TypingBoard first = new TypingBoard(vertx, WINDOW, now::get);
    TypingBoard second = new TypingBoard(vertx, WINDOW, now::get);
    first.start().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    second.start().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    first.set("c1", "bob", true);
    settle();
    assertEquals(List.of("bob"), second.typing("c1"));
    first.set("c1", "bob", false);
    settle();
    assertEquals(List.of(), second.typing("c1"));
  }

  @Test
  @DisplayName("An entry whose stop signal was lost disappears by itself after one typing window")
  void lostStopExpires(Vertx vertx) {
    AtomicLong now = new AtomicLong(1_000_000);
    TypingBoard board = new TypingBoard(vertx, WINDOW, now::get);
    board.set("c1", "bob", true);
    now.addAndGet(WINDOW - 1);
    assertEquals(List.of("bob"), board.typing("c1"));
    now.addAndGet(1);
    assertEquals(List.of(), board.typing("c1"));
  }
}
