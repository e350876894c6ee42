package com.connectbest.chat.loadtest;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The server's heap, when it runs on this machine and its pid is given ({@code --server-pid}): read with
 * {@code jcmd GC.heap_info} before and after a full GC, the latter being what the live connections really hold.
 */
final class ServerHeap {

  private static final Pattern USED = Pattern.compile("total (\\d+)K, used (\\d+)K");

  private ServerHeap() {
  }

  static JsonObject measure(String pid) {
    JsonObject heap = new JsonObject().put("pid", pid);
    try {
      heap.put("used_mb", usedMb(pid));
      jcmd(pid, "GC.run");
      heap.put("used_after_gc_mb", usedMb(pid));
    } catch (IOException | RuntimeException e) {
      heap.put("error", "jcmd failed: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return heap;
  }

  static double parseUsedMb(String heapInfo) {
    Matcher matcher = USED.matcher(heapInfo);
    if (!matcher.find()) {
      throw new IllegalStateException("no heap figures in jcmd output");
    }
    long usedKb = Long.parseLong(matcher.group(2));
    return Math.round(usedKb / 1024.0 * 10) / 10.0;
  }

  private static double usedMb(String pid) throws IOException, InterruptedException {
    return parseUsedMb(jcmd(pid, "GC.heap_info"));
  }

  private static String jcmd(String pid, String command) throws IOException, InterruptedException {
    Process process = new ProcessBuilder("jcmd", pid, command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
      throw new IOException(output.strip());
    }
    return output;
  }
}
