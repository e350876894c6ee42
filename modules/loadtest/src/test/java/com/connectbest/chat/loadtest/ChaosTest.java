package com.connectbest.chat.loadtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ChaosTest {

  @Test
  @DisplayName("chaos refuses to start without the app jar or with malformed options, saying what to do")
  void usage() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    assertEquals(LoadTest.USAGE, LoadTest.run(new String[] {"chaos", "--jar", "/nonexistent/app.jar"}, out));
    assertTrue(bytes.toString(StandardCharsets.UTF_8).contains("no app jar at /nonexistent/app.jar"), bytes.toString());
    assertEquals(LoadTest.USAGE, LoadTest.run(new String[] {"chaos", "--rate"}, out));
    assertTrue(Help.text().contains("chaos"));
  }
}
