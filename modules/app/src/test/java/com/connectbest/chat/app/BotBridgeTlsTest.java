package com.connectbest.chat.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.connectbest.chat.common.Addresses;
import io.vertx.core.json.JsonObject;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bot bridge with TLS (BOT_BRIDGE_TLS_CERT_PATH / BOT_BRIDGE_TLS_KEY_PATH). */
class BotBridgeTlsTest {

  private static final long WAIT_MS = 3000;

  @Test
  @DisplayName("with a PEM certificate the bot bridge speaks TLS only: a TLS bot registers, a plain socket gets nothing")
  void tls(@TempDir Path dir) throws Exception {
    ClusterCerts.Node cert = ClusterCerts.authority(dir, "bridge-ca").issue("bridge");
    int port = TestSystem.freePort();
    try (TestSystem system = new TestSystem(new JsonObject().put("BOT_BRIDGE_PORT", port)
        .put("BOT_BRIDGE_TLS_CERT_PATH", cert.cert().toString())
        .put("BOT_BRIDGE_TLS_KEY_PATH", cert.key().toString()))) {
      JsonObject admin = system.signUp("admin@example.com", "Site Admin");
      JsonObject owner = system.signUp("tls-owner@example.com", "TLS Owner");
      JsonObject bot = BotBridgeTest.botInChannel(system, admin, owner, "TLS bot");

      SSLSocket tls = (SSLSocket) trusting(cert.ca()).getSocketFactory().createSocket("127.0.0.1", port);
      try (BotBridgeClient client = new BotBridgeClient(tls)) {
        client.write(new JsonObject().put("type", "register")
            .put("address", Addresses.channel(bot.getString("channel")))
            .put("headers", BotBridgeClient.auth(bot.getString("token"))));
        JsonObject ack = client.next(WAIT_MS);
        assertNotNull(ack, "no answer over TLS");
        assertEquals("registered", ack.getJsonObject("headers").getString("bridge"), ack.encode());
      }
      try (BotBridgeClient plain = new BotBridgeClient(port)) {
        plain.write(new JsonObject().put("type", "ping"));
        JsonObject answer;
        try {
          answer = plain.next(1000);
        } catch (java.io.IOException refused) {
          answer = null;
        }
        assertNull(answer, "a plain-text frame was answered");
      }
    }
  }

  private static SSLContext trusting(Path caPem) throws Exception {
    KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
    trust.load(null, null);
    try (InputStream in = Files.newInputStream(caPem)) {
      trust.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
    }
    TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    factory.init(trust);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, factory.getTrustManagers(), null);
    return context;
  }
}
