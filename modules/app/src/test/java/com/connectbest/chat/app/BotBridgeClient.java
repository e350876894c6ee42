package com.connectbest.chat.app;

import io.vertx.core.json.JsonObject;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/** A raw-socket client of the TCP bot bridge: 4-byte big-endian length + JSON frames, as any language would speak. */
final class BotBridgeClient implements AutoCloseable {

  final Socket socket;
  private final DataInputStream in;
  private final DataOutputStream out;

  BotBridgeClient(int port) throws IOException {
    this(new Socket("127.0.0.1", port));
  }

  /** Over a socket already connected (a TLS one, say). */
  BotBridgeClient(Socket connected) throws IOException {
    socket = connected;
    in = new DataInputStream(socket.getInputStream());
    out = new DataOutputStream(socket.getOutputStream());
  }

  static JsonObject auth(String token) {
    return new JsonObject().put("Authorization", "Bearer " + token);
  }

  void write(JsonObject frame) throws IOException {
    raw(frame.encode().getBytes(StandardCharsets.UTF_8));
  }

  /** A length-prefixed frame of any bytes. */
  void raw(byte[] json) throws IOException {
    out.writeInt(json.length);
    out.write(json);
    out.flush();
  }

  /** Bytes as they are, without a length. */
  void bytes(byte[] bytes) throws IOException {
    out.write(bytes);
    out.flush();
  }

  /** The next frame, or null when none arrives within the wait; throws when the server closed the connection. */
  JsonObject next(long millis) throws IOException {
    socket.setSoTimeout((int) millis);
    try {
      int length = in.readInt();
      byte[] json = new byte[length];
      in.readFully(json);
      return new JsonObject(new String(json, StandardCharsets.UTF_8));
    } catch (SocketTimeoutException timeout) {
      return null;
    }
  }

  /** The next frame of this type, skipping others; null if none comes in time. */
  JsonObject next(String type, long millis) throws IOException {
    long deadline = System.currentTimeMillis() + millis;
    for (long left = millis; left > 0; left = deadline - System.currentTimeMillis()) {
      JsonObject frame = next(left);
      if (frame == null) {
        return null;
      }
      if (type.equals(frame.getString("type"))) {
        return frame;
      }
    }
    return null;
  }

  /** Whether the server closed the connection within the wait (reads until end of stream). */
  boolean closedWithin(long millis) throws IOException {
    long deadline = System.currentTimeMillis() + millis;
    try {
      for (long left = millis; left > 0; left = deadline - System.currentTimeMillis()) {
        socket.setSoTimeout((int) left);
        if (in.read() < 0) {
          return true;
        }
      }
    } catch (SocketTimeoutException timeout) {
      return false;
    } catch (IOException reset) {
      return true;
    }
    return false;
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
