package com.connectbest.chat.loadtest;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code chaos}: starts a local three-node cluster from the app's fat jar (node a owns the embedded store, b and c use
 * it; every node runs every service and a gateway), puts it under load (messages posted through all three gateways
 * at {@code --rate}, {@code --subscribers} live bridge sockets per node on the channel), and injects faults into the
 * victim node one after the other: {@code kill} (SIGKILL, then restarted as an orchestrator would), {@code stop}
 * (SIGSTOP for {@code --pause}, then SIGCONT) and {@code term} (SIGTERM, graceful, then restarted). Per fault it
 * reports: sends acknowledged, lost (acknowledged but not in the channel's history at the end), duplicated,
 * deliveries missed on sockets that stayed connected (silent losses) and on sockets the server closed or lost
 * (announced: the client reconnects and catches up over REST), and the time to recover (from the fault, or from
 * SIGCONT, until the victim is ready again and a send through it is acknowledged).
 *
 * <p>Heavy: three JVMs. Do not run it on a machine others are measuring on.
 */
final class Chaos {

  private static final String READY = "ConnectBest Chat ready";
  private static final String SECRET = "chaos-run-secret-that-is-long-enough-0123456789abcdef";
  /**
   * The bridge does not acknowledge a registration, which a freshly started, loaded node may take a few seconds to
   * complete (it asks the auth and channels services). A socket is held to every message sent after its first
   * delivery, or after this long, whichever comes first.
   */
  private static final long REGISTRATION_MS = 3_000;

  private final PrintStream out;
  private final Map<String, String> options;
  private final Vertx vertx = Vertx.vertx();
  private final WebClient http = WebClient.create(vertx, new WebClientOptions().setConnectTimeout(2_000));
  private final WebSocketClient sockets = vertx.createWebSocketClient();
  private final List<Node> nodes = new ArrayList<>();
  private final List<Send> sends = new CopyOnWriteArrayList<>();
  private final List<Session> sessions = new CopyOnWriteArrayList<>();
  private final AtomicInteger sequence = new AtomicInteger();
  private volatile boolean loading;
  private volatile boolean stopping;
  private final long began = System.currentTimeMillis();
  private String token;
  private String channel;
  private Path work;

  private Chaos(Map<String, String> options, PrintStream out) {
    this.options = options;
    this.out = out;
  }

  /** A sent message: when, through which node, and what came back (status 0: no answer). */
  private record Send(int seq, int node, long sentAt, long answeredAt, int status) {
  }

  /** One bridge socket connection, from open to close. */
  private static final class Session {
    final int node;
    volatile long openedAt;
    final Set<Integer> received = ConcurrentHashMap.newKeySet();
    volatile long closedAt;
    volatile String close;

    Session(int node, long openedAt) {
      this.node = node;
      this.openedAt = openedAt;
    }
  }

  /** One cluster member as a child JVM. */
  private final class Node {
    final String name;
    final int index;
    final Map<String, String> env;
    final Path log;
    Process process;

    Node(int index, Map<String, String> env) {
      this.index = index;
      this.name = String.valueOf((char) ('a' + index));
      this.env = env;
      this.log = work.resolve("node-" + name + ".log");
    }

    int port() {
      return Integer.parseInt(env.get("PORT"));
    }

    void start() throws IOException {
      Files.deleteIfExists(log);
      List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-Xmx384m", "-jar", options.get("jar"));
      ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.to(log.toFile()));
      builder.environment().remove("MONGODB_URI");
      builder.environment().putAll(env);
      process = builder.start();
    }

    boolean started() {
      try {
        return Files.exists(log) && Files.readString(log).contains(READY);
      } catch (IOException e) {
        return false;
      }
    }

    void signal(String signal) throws IOException, InterruptedException {
      new ProcessBuilder("kill", "-" + signal, String.valueOf(process.pid())).inheritIO().start().waitFor();
    }
  }

  static int run(String[] args, PrintStream out) throws Exception {
    Map<String, String> options = new HashMap<>(Map.of("jar", "modules/app/target/connectbest-chat.jar",
        "faults", "kill,stop,term", "victim", "c", "rate", "20", "subscribers", "2", "pause", "20",
        "settle", "10", "failure-timeout", "10"));
    for (int i = 0; i < args.length; i++) {
      if (!args[i].startsWith("--") || i + 1 >= args.length) {
        out.println("error: chaos takes --option value pairs: --jar --faults --victim --rate --subscribers --pause "
            + "--settle --failure-timeout --out");
        return LoadTest.USAGE;
      }
      options.put(args[i].substring(2), args[++i]);
    }
    if (!Files.isRegularFile(Path.of(options.get("jar")))) {
      out.println("error: no app jar at " + options.get("jar") + " (build it: mvn -pl modules/app -am package)");
      return LoadTest.USAGE;
    }
    Chaos chaos = new Chaos(options, out);
    try {
      return chaos.execute();
    } finally {
      chaos.shutdown();
    }
  }

  private int execute() throws Exception {
    work = Files.createTempDirectory("connectbest-chaos");
    startCluster();
    setUp();
    loading = true;
    vertx.setPeriodic(Math.max(1, Math.round(1000 / Double.parseDouble(options.get("rate")))), id -> {
      if (loading) {
        send();
      } else {
        vertx.cancelTimer(id);
      }
    });
    for (Node node : nodes) {
      for (int i = 0; i < Integer.parseInt(options.get("subscribers")); i++) {
        connect(node.index);
      }
    }
    long settle = Long.parseLong(options.get("settle")) * 1000;
    Thread.sleep(settle);
    Node victim = nodes.get(options.get("victim").charAt(0) - 'a');
    Map<String, long[]> windows = new LinkedHashMap<>();
    Map<String, Long> recoveries = new LinkedHashMap<>();
    for (String fault : options.get("faults").split(",")) {
      long start = System.currentTimeMillis();
      long from = inject(fault.trim(), victim);
      long recovered = awaitRecovered(victim, 120_000);
      recoveries.put(fault, recovered < 0 ? -1 : recovered - from);
      out.printf("%s: recovered %s after %s%n", fault, recovered < 0 ? "NOT" : (recovered - from) + " ms",
          fault.equals("stop") ? "SIGCONT" : "the fault");
      Thread.sleep(settle);
      windows.put(fault, new long[] {start, System.currentTimeMillis()});
    }
    loading = false;
    Thread.sleep(5_000); // deliveries and answers in flight
    stopping = true;
    Map<Integer, Integer> stored = storedCopies();
    JsonObject report = report(windows, recoveries, stored);
    out.println(report.encodePrettily());
    if (options.containsKey("out")) {
      Files.writeString(Path.of(options.get("out")), report.encodePrettily());
    }
    return LoadTest.OK;
  }

  private void startCluster() throws Exception {
    int[] ports = freePorts(7);
    String members = "127.0.0.1:" + ports[0] + ",127.0.0.1:" + ports[1] + ",127.0.0.1:" + ports[2];
    for (int i = 0; i < 3; i++) {
      Map<String, String> env = new HashMap<>();
      env.put("CLUSTER", "true");
      env.put("CLUSTER_HOST", "127.0.0.1");
      env.put("CLUSTER_MEMBERS", members);
      env.put("CLUSTER_PORT", String.valueOf(ports[i]));
      env.put("CLUSTER_FAILURE_TIMEOUT_SECONDS", options.get("failure-timeout"));
      env.put("PORT", String.valueOf(ports[3 + i]));
      env.put("HOST", "127.0.0.1");
      env.put("JWT_SECRET_KEY", SECRET);
      env.put("EMBEDDED_MONGO_PORT", String.valueOf(ports[6]));
      env.put("GATEWAY_INSTANCES", "1");
      env.put("DATA_DIR", work.resolve("data-" + i).toString());
      env.put("RATE_LIMITS", new JsonObject().put("send_message", new JsonObject().put("per_ip", "off")
          .put("per_account", "off")).put("login", new JsonObject().put("per_ip", "off").put("per_account", "off"))
          .encode());
      if (i > 0) {
        env.put("MONGODB_URI", "mongodb://127.0.0.1:" + ports[6]);
      }
      nodes.add(new Node(i, env));
    }
    for (Node node : nodes) {
      node.start();
    }
    for (Node node : nodes) {
      awaitReady(node, 180_000);
    }
    out.println("cluster of 3 ready; logs under " + work);
  }

  private void awaitReady(Node node, long timeoutMs) throws InterruptedException {
    long deadline = System.currentTimeMillis() + timeoutMs;
    while (System.currentTimeMillis() < deadline) {
      if (node.started() && status(node.index, "/health/ready") == 200) {
        return;
      }
      Thread.sleep(250);
    }
    throw new IllegalStateException("node " + node.name + " not ready; see " + node.log);
  }

  private void setUp() {
    HttpResponse<Buffer> registered = call(0, HttpMethod.POST, "/api/auth/register", null, new JsonObject()
        .put("email", "chaos@example.com").put("password", "SecurePass123").put("name", "Chaos Monkey")).await();
    if (registered.statusCode() != 201) {
      throw new IllegalStateException("register: " + registered.statusCode() + " " + registered.bodyAsString());
    }
    token = registered.bodyAsJsonObject().getString("token");
    if (token == null) {
      token = call(0, HttpMethod.POST, "/api/auth/login", null, new JsonObject().put("email", "chaos@example.com")
          .put("password", "SecurePass123")).await().bodyAsJsonObject().getString("token");
    }
    channel = call(0, HttpMethod.POST, "/api/chat/channels", token, new JsonObject().put("name", "chaos"))
        .await().bodyAsJsonObject().getJsonObject("channel").getString("id");
  }

  private void send() {
    int seq = sequence.incrementAndGet();
    int node = seq % 3;
    long sentAt = System.currentTimeMillis();
    call(node, HttpMethod.POST, "/api/chat/channels/" + channel + "/messages/send", token,
        new JsonObject().put("content", "chaos-" + seq))
        .onComplete(done -> sends.add(new Send(seq, node, sentAt, System.currentTimeMillis(),
            done.succeeded() ? done.result().statusCode() : 0)));
  }

  /** A bridge socket on this node, registered on the channel; reconnects (to the same node) when closed. */
  private void connect(int node) {
    if (stopping) {
      return;
    }
    sockets.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(nodes.get(node).port())
            .setURI("/eventbus/websocket").setTimeout(3_000))
        .onFailure(error -> vertx.setTimer(1_000, id -> connect(node)))
        .onSuccess(socket -> {
          socket.writeTextMessage(new JsonObject().put("type", "register")
              .put("address", "chat.channel." + channel)
              .put("headers", new JsonObject().put("Authorization", "Bearer " + token)).encode());
          Session session = new Session(node, System.currentTimeMillis() + REGISTRATION_MS);
          sessions.add(session);
          socket.textMessageHandler(text -> received(session, text));
          socket.binaryMessageHandler(bytes -> received(session, bytes.toString()));
          socket.closeHandler(v -> {
            session.closedAt = System.currentTimeMillis();
            session.close = socket.closeStatusCode() + " " + socket.closeReason();
            vertx.setTimer(1_000, id -> connect(node));
          });
          socket.exceptionHandler(error -> { });
          ping(socket, session);
        });
  }

  /** SockJS raw sockets are closed by the server without pings after a while; keep them alive. */
  private void ping(WebSocket socket, Session session) {
    vertx.setTimer(5_000, id -> {
      if (session.closedAt == 0 && !stopping) {
        socket.writeTextMessage(new JsonObject().put("type", "ping").encode());
        ping(socket, session);
      }
    });
  }

  private static void received(Session session, String text) {
    try {
      JsonObject frame = new JsonObject(text);
      JsonObject message = frame.getJsonObject("body", new JsonObject()).getJsonObject("message");
      String content = message == null ? null : message.getString("content");
      if (content != null && content.startsWith("chaos-")) {
        if (session.received.isEmpty()) {
          session.openedAt = Math.min(session.openedAt, System.currentTimeMillis());
        }
        session.received.add(Integer.parseInt(content.substring(6)));
      }
    } catch (RuntimeException notOurs) {
      // pong, errors, other events
    }
  }

  /** Injects the fault; returns the moment recovery is measured from. */
  private long inject(String fault, Node victim) throws Exception {
    out.println("fault: " + fault + " on node " + victim.name);
    switch (fault) {
      case "kill" -> {
        victim.signal("KILL");
        long at = System.currentTimeMillis();
        victim.process.waitFor();
        victim.start();
        return at;
      }
      case "stop" -> {
        victim.signal("STOP");
        Thread.sleep(Long.parseLong(options.get("pause")) * 1000);
        victim.signal("CONT");
        return System.currentTimeMillis();
      }
      case "term" -> {
        victim.signal("TERM");
        long at = System.currentTimeMillis();
        victim.process.waitFor(60, TimeUnit.SECONDS);
        victim.start();
        return at;
      }
      default -> throw new IllegalArgumentException("unknown fault " + fault + " (kill, stop, term)");
    }
  }

  /** The moment the victim is ready again and a send through it is acknowledged, or -1. */
  private long awaitRecovered(Node victim, long timeoutMs) throws InterruptedException {
    long deadline = System.currentTimeMillis() + timeoutMs;
    while (System.currentTimeMillis() < deadline) {
      if (victim.started() && status(victim.index, "/health/ready") == 200) {
        HttpResponse<Buffer> probe = call(victim.index, HttpMethod.GET, "/api/chat/channels/" + channel
            + "/messages?limit=1", token, null).otherwiseEmpty().await();
        if (probe != null && probe.statusCode() == 200) {
          return System.currentTimeMillis();
        }
      }
      Thread.sleep(200);
    }
    return -1;
  }

  /** How many times each sequence number is stored in the channel, read through node a. */
  private Map<Integer, Integer> storedCopies() {
    Map<Integer, Integer> copies = new HashMap<>();
    String before = null;
    while (true) {
      HttpResponse<Buffer> page = call(0, HttpMethod.GET, "/api/chat/channels/" + channel + "/messages?limit=100"
          + (before == null ? "" : "&before=" + before), token, null).await();
      if (page.statusCode() != 200) {
        throw new IllegalStateException("history: " + page.statusCode() + " " + page.bodyAsString());
      }
      JsonArray messages = page.bodyAsJsonObject().getJsonArray("messages", new JsonArray());
      for (int i = 0; i < messages.size(); i++) {
        String content = messages.getJsonObject(i).getString("content", "");
        if (content.startsWith("chaos-")) {
          copies.merge(Integer.parseInt(content.substring(6)), 1, Integer::sum);
        }
      }
      if (messages.isEmpty() || !page.bodyAsJsonObject().getBoolean("has_more", false)) {
        return copies;
      }
      before = messages.getJsonObject(0).getString("id");
    }
  }

  private JsonObject report(Map<String, long[]> windows, Map<String, Long> recoveries, Map<Integer, Integer> stored) {
    JsonObject report = new JsonObject().put("rate_per_s", Double.parseDouble(options.get("rate")))
        .put("subscribers_per_node", Integer.parseInt(options.get("subscribers")))
        .put("failure_timeout_s", Integer.parseInt(options.get("failure-timeout")))
        .put("pause_s", Integer.parseInt(options.get("pause"))).put("victim", options.get("victim"));
    JsonArray faults = new JsonArray();
    for (Map.Entry<String, long[]> window : windows.entrySet()) {
      long from = window.getValue()[0];
      long to = window.getValue()[1];
      List<Send> inWindow = sends.stream().filter(s -> s.sentAt() >= from && s.sentAt() < to).toList();
      List<Send> acked = inWindow.stream().filter(s -> s.status() == 201).toList();
      long lost = acked.stream().filter(s -> !stored.containsKey(s.seq())).count();
      long duplicated = inWindow.stream().filter(s -> stored.getOrDefault(s.seq(), 0) > 1).count();
      Map<String, Integer> failures = new LinkedHashMap<>();
      inWindow.stream().filter(s -> s.status() != 201)
          .forEach(s -> failures.merge(s.status() == 0 ? "no answer" : String.valueOf(s.status()), 1, Integer::sum));
      long silent = 0;
      long announced = 0;
      long expected = 0;
      JsonArray silentExamples = new JsonArray();
      for (Session session : sessions) {
        boolean stayed = session.closedAt == 0; // still connected when the run ended
        for (Send send : acked) {
          boolean due = session.openedAt <= send.sentAt()
              && (stayed || session.closedAt >= send.answeredAt());
          if (!due) {
            continue;
          }
          expected++;
          if (!session.received.contains(send.seq())) {
            if (stayed) {
              silent++;
              if (silentExamples.size() < 5) {
                silentExamples.add("message " + send.seq() + " sent through node " + (char) ('a' + send.node())
                    + " at +" + (send.sentAt() - began) + " ms, socket on node " + (char) ('a' + session.node)
                    + " held from +" + (session.openedAt - began) + " ms");
              }
            } else {
              announced++;
            }
          }
        }
      }
      long longestFailure = longestFailureOnSurvivors(inWindow, options.get("victim").charAt(0) - 'a');
      faults.add(new JsonObject().put("fault", window.getKey()).put("sent", inWindow.size())
          .put("acknowledged", acked.size()).put("failed", new JsonObject(new LinkedHashMap<>(failures)))
          .put("lost", lost).put("duplicated", duplicated)
          .put("deliveries_expected", expected).put("deliveries_missed_silently", silent)
          .put("deliveries_missed_on_closed_sockets", announced)
          .put("silent_examples", silentExamples)
          .put("recovery_ms", recoveries.get(window.getKey()))
          .put("longest_failing_ms_on_other_nodes", longestFailure));
    }
    report.put("faults", faults);
    report.put("socket_closes", new JsonArray(sessions.stream().filter(s -> s.close != null)
        .map(s -> "node " + (char) ('a' + s.node) + " at +" + (s.closedAt - began) + " ms: " + s.close).toList()));
    JsonObject windowTimes = new JsonObject();
    windows.forEach((fault, window) -> windowTimes.put(fault, "+" + (window[0] - began) + " .. +" + (window[1] - began)));
    report.put("fault_windows_ms", windowTimes);
    return report;
  }

  /** The longest stretch, on the nodes that were not faulted, from a failed send to the next acknowledged one. */
  private static long longestFailureOnSurvivors(List<Send> window, int victim) {
    long longest = 0;
    long failingSince = -1;
    for (Send send : window.stream().filter(s -> s.node() != victim)
        .sorted(java.util.Comparator.comparingLong(Send::sentAt)).toList()) {
      if (send.status() == 201) {
        if (failingSince >= 0) {
          longest = Math.max(longest, send.answeredAt() - failingSince);
        }
        failingSince = -1;
      } else if (failingSince < 0) {
        failingSince = send.sentAt();
      }
    }
    return longest;
  }

  private int status(int node, String path) {
    HttpResponse<Buffer> response = call(node, HttpMethod.GET, path, null, null).otherwiseEmpty().await();
    return response == null ? 0 : response.statusCode();
  }

  private Future<HttpResponse<Buffer>> call(int node, HttpMethod method, String path, String bearer, JsonObject body) {
    HttpRequest<Buffer> request = http.request(method, nodes.get(node).port(), "127.0.0.1", path).timeout(15_000);
    if (bearer != null) {
      request.bearerTokenAuthentication(bearer);
    }
    return body == null ? request.send() : request.sendJsonObject(body);
  }

  private void shutdown() {
    stopping = true;
    loading = false;
    for (Node node : nodes) {
      if (node.process != null && node.process.isAlive()) {
        try {
          node.signal("CONT");
        } catch (IOException | InterruptedException ignored) {
          // best effort
        }
        node.process.destroyForcibly();
      }
    }
    vertx.close().await();
  }

  private static int[] freePorts(int count) throws IOException {
    ServerSocket[] open = new ServerSocket[count];
    int[] ports = new int[count];
    try {
      for (int i = 0; i < count; i++) {
        open[i] = new ServerSocket(0);
        ports[i] = open[i].getLocalPort();
      }
    } finally {
      for (ServerSocket socket : open) {
        if (socket != null) {
          socket.close();
        }
      }
    }
    return ports;
  }
}
