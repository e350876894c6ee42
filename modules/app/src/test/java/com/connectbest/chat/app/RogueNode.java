package com.connectbest.chat.app;

import com.connectbest.chat.common.Addresses;
import com.connectbest.chat.common.ApiException;
import com.connectbest.chat.common.EnvelopeKeys;
import com.connectbest.chat.common.EnvelopeSignature;
import com.connectbest.chat.common.Principal;
import com.connectbest.chat.common.ServiceClient;
import com.connectbest.chat.common.ServiceRequest;
import com.connectbest.chat.common.Settings;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;

/**
 * A hostile process for ClusterSecurityIT, run in its own JVM: it joins Hazelcast (it knows CLUSTER_SECRET, which
 * travels in clear text) with whatever event-bus certificate its environment gives it, then tries to make services
 * act. Prints one {@code OUTCOME <attempt> <status>} line per attempt ({@code 200} when a service acted).
 *
 * <p>{@code register <email>}: a public operation, which any member holding a cluster certificate may send; a process
 * without one must not reach the service. {@code forge <principal JSON>}: renames the user, first with no signature,
 * then signed with a key of its own.
 */
public final class RogueNode {

  private RogueNode() {
  }

  public static void main(String[] args) {
    Settings settings = new Settings(new JsonObject(new HashMap<>(System.getenv())));
    Vertx vertx = ClusterSupport.createVertx(settings, true).await();
    System.out.println("ROGUE JOINED");
    ServiceClient bus = new ServiceClient(vertx.eventBus(), 4_000);
    try {
      if ("register".equals(args[0])) {
        attempt(bus, "register", new ServiceRequest("register", null, new JsonObject(), new JsonObject(),
            new JsonObject().put("email", args[1]).put("password", "SecurePass123").put("name", "Rogue"), "rogue-1"));
      } else {
        Principal victim = Principal.fromJson(new JsonObject(args[1]));
        JsonObject rename = new JsonObject().put("name", "Forged Name");
        attempt(bus, "unsigned", new ServiceRequest("updateMyProfile", victim, new JsonObject(), new JsonObject(),
            rename, "rogue-2"));
        String ownKey = EnvelopeSignature.sign(EnvelopeKeys.generate().getPrivate(), "updateMyProfile", victim,
            300, System.currentTimeMillis());
        attempt(bus, "badly-signed", new ServiceRequest("updateMyProfile", victim.withSignature(ownKey),
            new JsonObject(), new JsonObject(), rename, "rogue-3"));
      }
    } finally {
      vertx.close().await();
      System.exit(0);
    }
  }

  private static void attempt(ServiceClient bus, String label, ServiceRequest request) {
    String outcome;
    try {
      outcome = String.valueOf(bus.send(Addresses.AUTH, request).await().status());
    } catch (ApiException e) {
      outcome = e.status() + " " + e.getMessage();
    } catch (RuntimeException | Error e) {
      outcome = "error " + e;
      e.printStackTrace(System.out);
    }
    System.out.println("OUTCOME " + label + " " + outcome);
  }
}
