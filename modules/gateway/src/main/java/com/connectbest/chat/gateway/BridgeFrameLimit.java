package com.connectbest.chat.gateway;

import com.connectbest.chat.common.Meters;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.core.parsetools.RecordParser;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A frame size limit for the TCP event-bus bridge, which has none: its parser buffers whatever length a frame
 * announces (a 4-byte length of 2 GB makes it hold 2 GB). Each connection's bytes pass through a {@link RecordParser}
 * first: a frame announcing more than the limit (or a negative length) is answered with one {@code err} frame and
 * the connection is closed, without reading the body; whole frames within the limit go on to the bridge's own parser
 * unchanged. So nothing buffers more than one frame of at most the limit.
 *
 * <p>The bridge offers no hook before its parser takes the socket, so the limit is put in through its public inputs:
 * the {@link Vertx} it is created with hands out a {@link NetServer} whose connections are wrapped, and the wrapper
 * puts this parser in front of the handler the bridge installs. Everything else is passed through as is.
 */
final class BridgeFrameLimit implements Handler<Buffer> {

  private static final Logger LOG = LoggerFactory.getLogger(BridgeFrameLimit.class);
  private static final int HEADER = 4;

  private final NetSocket socket;
  private final int maxBytes;
  private final Handler<Buffer> bridge;
  private final RecordParser parser = RecordParser.newFixed(HEADER);
  private Buffer header;
  private boolean refused;

  private BridgeFrameLimit(NetSocket socket, int maxBytes, Handler<Buffer> bridge) {
    this.socket = socket;
    this.maxBytes = maxBytes;
    this.bridge = bridge;
    parser.handler(this::record);
  }

  /**
   * The Vertx to create the bridge with: its TCP servers hand every connection to {@code onConnect} and then to the
   * bridge, with frames over {@code maxBytes} (of JSON, after the length) refused.
   */
  static Vertx limiting(Vertx vertx, int maxBytes, Handler<NetSocket> onConnect) {
    return around(Vertx.class, vertx, (proxy, method, args) -> {
      if ("createNetServer".equals(method.getName()) && args != null && args.length == 1
          && args[0] instanceof NetServerOptions) {
        NetServer server = vertx.createNetServer((NetServerOptions) args[0]);
        return around(NetServer.class, server, (serverProxy, serverMethod, serverArgs) -> {
          if ("connectHandler".equals(serverMethod.getName()) && serverArgs != null && serverArgs.length == 1) {
            @SuppressWarnings("unchecked")
            Handler<NetSocket> connected = (Handler<NetSocket>) serverArgs[0];
            server.connectHandler(connected == null ? null : socket -> {
              NetSocket limited = limited(socket, maxBytes);
              onConnect.handle(limited);
              connected.handle(limited);
            });
            return serverProxy;
          }
          return PASS;
        });
      }
      return PASS;
    });
  }

  /** The socket as the bridge sees it: the handler it installs gets whole frames within the limit only. */
  private static NetSocket limited(NetSocket socket, int maxBytes) {
    return around(NetSocket.class, socket, (proxy, method, args) -> {
      if ("handler".equals(method.getName()) && args != null && args.length == 1) {
        @SuppressWarnings("unchecked")
        Handler<Buffer> bridge = (Handler<Buffer>) args[0];
        socket.handler(bridge == null ? null : new BridgeFrameLimit(socket, maxBytes, bridge));
        return proxy;
      }
      return PASS;
    });
  }

  @Override
  public void handle(Buffer data) {
    if (!refused) {
      parser.handle(data);
    }
  }

  private void record(Buffer record) {
    if (refused) {
      return;
    }
    if (header == null) {
      int length = record.getInt(0);
      if (length < 0 || length > maxBytes) {
        refuse(length);
        return;
      }
      if (length == 0) {
        bridge.handle(record); // the bridge answers an empty frame itself (bad JSON)
        return;
      }
      header = record;
      parser.fixedSizeMode(length);
      return;
    }
    Buffer frame = Buffer.buffer(HEADER + record.length()).appendBuffer(header).appendBuffer(record);
    header = null;
    parser.fixedSizeMode(HEADER);
    bridge.handle(frame);
  }

  private void refuse(int length) {
    refused = true;
    Meters.count(Meters.REQUESTS_BLOCKED);
    LOG.warn("Bot bridge: closing a connection from {} that announced a frame of {} bytes (limit {})",
        socket.remoteAddress(), Integer.toUnsignedLong(length), maxBytes);
    String message = length < 0
        ? "Bad frame length " + Integer.toUnsignedLong(length) + ": at most " + maxBytes + " bytes"
        : "Frame too large: " + length + " bytes announced, at most " + maxBytes + " allowed";
    BotBridgeVerticle.write(socket, new JsonObject().put("type", "err").put("failureCode", 413)
        .put("message", message))
        .onComplete(written -> socket.close());
  }

  /** What an interceptor answers to let the call through to the wrapped object. */
  private static final Object PASS = new Object();

  private interface Interceptor {
    Object intercept(Object proxy, Method method, Object[] args) throws Exception;
  }

  /**
   * A dynamic proxy of the interface that asks the interceptor first and otherwise calls the target; a fluent call
   * answering the target answers the proxy instead, so callers keep the wrapper. Identity is the proxy's own.
   */
  @SuppressWarnings("unchecked")
  private static <T> T around(Class<T> type, T target, Interceptor interceptor) {
    return (T) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, method, args) -> {
      switch (method.getName()) {
        case "equals":
          if (args != null && args.length == 1 && method.getParameterTypes()[0] == Object.class) {
            return proxy == args[0];
          }
          break;
        case "hashCode":
          if (args == null || args.length == 0) {
            return System.identityHashCode(proxy);
          }
          break;
        default:
          break;
      }
      Object answer = interceptor.intercept(proxy, method, args);
      if (answer != PASS) {
        return answer;
      }
      try {
        Object result = method.invoke(target, args);
        return result == target ? proxy : result;
      } catch (InvocationTargetException failed) {
        throw failed.getCause();
      }
    });
  }
}
