package com.connectbest.chat.common.testing;

import java.util.List;
import java.util.function.Predicate;

/** The names of this JVM's live threads, for tests that check a component's threads start and end with it. */
public final class LiveThreads {

  private LiveThreads() {
  }

  public static List<String> named(Predicate<String> wanted) {
    return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
        .filter(wanted).toList();
  }

  /**
   * The names of the wanted threads still alive after waiting up to {@code timeoutMs} for them to end: an executor
   * reports its termination from its own thread just before that thread exits, so "closed" and "gone" are a moment
   * apart.
   */
  public static List<String> afterEnding(Predicate<String> wanted, long timeoutMs) throws InterruptedException {
    long deadline = System.currentTimeMillis() + timeoutMs;
    List<String> alive = named(wanted);
    while (!alive.isEmpty() && System.currentTimeMillis() < deadline) {
      Thread.sleep(10);
      alive = named(wanted);
    }
    return alive;
  }
}
