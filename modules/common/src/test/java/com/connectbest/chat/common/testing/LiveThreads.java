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
}
