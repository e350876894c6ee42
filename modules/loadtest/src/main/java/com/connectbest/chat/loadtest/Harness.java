package com.connectbest.chat.loadtest;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.io.PrintStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/** What every scenario works with: the client runtime, one API per target, the socket client, the metrics. */
final class Harness implements AutoCloseable {

  final Options options;
  final Vertx vertx;
  final Lanes lanes;
  final List<ChatApi> apis = new ArrayList<>();
  final WebSocketClient sockets;
  final RunMetrics metrics = new RunMetrics();
  final PrintStream out;
  private final WebClient web;

  Harness(Options options, PrintStream out) {
    this.options = options;
    this.out = out;
    int threads = options.integer("client-threads", Runtime.getRuntime().availableProcessors());
    vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(threads).setWorkerPoolSize(2));
    lanes = Lanes.create(vertx, threads);
    long timeoutMs = options.duration("timeout", "10s").toMillis();
    web = WebClient.create(vertx, new WebClientOptions().setKeepAlive(true).setConnectTimeout((int) timeoutMs)
            .setUserAgent("connectbest-loadtest").setFollowRedirects(false),
        new PoolOptions().setHttp1MaxSize(options.integer("pool-size", 256)).setEventLoopSize(threads)
            .setMaxWaitQueueSize(-1));
    for (URI target : options.targets()) {
      apis.add(new ChatApi(web, target, timeoutMs));
    }
    sockets = vertx.createWebSocketClient(new WebSocketClientOptions().setMaxConnections(1_000_000)
        .setConnectTimeout((int) timeoutMs).setMaxFrameSize(1 << 20).setMaxMessageSize(4 << 20));
  }

  /** Users are spread round-robin over the targets. */
  ChatApi apiFor(int user) {
    return apis.get(user % apis.size());
  }

  URI targetFor(int user) {
    return apiFor(user).target();
  }

  void say(String line) {
    out.println(line);
    out.flush();
  }

  @Override
  public void close() {
    vertx.close().await();
  }
}
