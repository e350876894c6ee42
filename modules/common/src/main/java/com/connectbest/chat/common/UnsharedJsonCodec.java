package com.connectbest.chat.common;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageCodec;
import io.vertx.core.json.JsonObject;

/**
 * Delivers a JSON reply inside one process without copying it: Vert.x's own codec deep-copies every JSON message it
 * delivers locally, so that sender and receiver never share a mutable object, and for a history page that copy of 50
 * rendered messages was a twentieth of the server's CPU. Used only for replies whose body nothing else holds
 * ({@link ServiceReply#unshared()}) to requests sent from this process ({@link ServiceClient#PROCESS_ID}); a reply to
 * another node always goes with the standard codec, so nothing about this codec ever crosses the cluster's wire.
 */
public final class UnsharedJsonCodec implements MessageCodec<JsonObject, JsonObject> {

  public static final String NAME = "connectbest.json.unshared";
  static final DeliveryOptions DELIVERY = new DeliveryOptions().setCodecName(NAME);
  private static final UnsharedJsonCodec INSTANCE = new UnsharedJsonCodec();

  UnsharedJsonCodec() {
  }

  /** Registers the codec on this event bus once (every service verticle of a process asks). */
  static synchronized void registerOn(EventBus bus) {
    try {
      bus.registerCodec(INSTANCE);
    } catch (IllegalStateException alreadyRegistered) {
      // registered by another verticle of this Vert.x instance
    }
  }

  @Override
  public JsonObject transform(JsonObject json) {
    return json;
  }

  // The wire form is the standard codec's, should a message with this codec ever be sent to another node.
  @Override
  public void encodeToWire(Buffer buffer, JsonObject json) {
    Buffer encoded = json.toBuffer();
    buffer.appendInt(encoded.length());
    buffer.appendBuffer(encoded);
  }

  @Override
  public JsonObject decodeFromWire(int pos, Buffer buffer) {
    int length = buffer.getInt(pos);
    return new JsonObject(buffer.getBuffer(pos + 4, pos + 4 + length));
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public byte systemCodecID() {
    return -1;
  }
}
