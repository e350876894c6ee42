package com.connectbest.chat.common;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EnvelopeKeysTest {

  /** Written by `openssl genpkey -algorithm ed25519` and `openssl pkey -pubout` (RFC 8032 test vector 1's key). */
  private static final String OPENSSL_PRIVATE = """
      -----BEGIN PRIVATE KEY-----
      MC4CAQAwBQYDK2VwBCIEIJ1hsZ3v/VpguoRK9JLsLMREScVpezJpGXA7rAMcrn9g
      -----END PRIVATE KEY-----
      """;
  private static final String OPENSSL_PUBLIC = """
      -----BEGIN PUBLIC KEY-----
      MCowBQYDK2VwAyEA11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=
      -----END PUBLIC KEY-----
      """;

  @TempDir
  Path dir;

  @Test
  @DisplayName("keys in openssl's PEM files, or as PEM text in the setting, sign and verify each other")
  void opensslFiles() throws Exception {
    Files.writeString(dir.resolve("envelope.key"), OPENSSL_PRIVATE);
    EnvelopeKeys keys = EnvelopeKeys.read(new Settings(new JsonObject().put("CLUSTER", true)
        .put(EnvelopeKeys.PRIVATE_KEY, dir.resolve("envelope.key").toString())
        .put(EnvelopeKeys.PUBLIC_KEY, OPENSSL_PUBLIC)));
    assertTrue(keys.signs());
    Principal bob = new Principal("64a000000000000000000002", "bob@example.com", "Bob", "user");
    String token = EnvelopeSignature.sign(keys.signing(), "getMe", bob, 60, System.currentTimeMillis());
    assertDoesNotThrow(() -> EnvelopeSignature.verify(keys.verifying(), token, "getMe", bob,
        System.currentTimeMillis()));
  }

  @Test
  @DisplayName("keys written by pem() read back, and a public-key list allows two keys during a rotation")
  void roundTrip() throws Exception {
    KeyPair one = EnvelopeKeys.generate();
    KeyPair two = EnvelopeKeys.generate();
    Path first = Files.writeString(dir.resolve("one.pub"), EnvelopeKeys.pem("PUBLIC KEY", one.getPublic().getEncoded()));
    Path second = Files.writeString(dir.resolve("two.pub"), EnvelopeKeys.pem("PUBLIC KEY", two.getPublic().getEncoded()));
    EnvelopeKeys keys = EnvelopeKeys.read(new Settings(new JsonObject().put("CLUSTER", true)
        .put(EnvelopeKeys.PUBLIC_KEY, first + "," + second)));
    assertFalse(keys.signs());
    assertEquals(2, keys.verifying().size());
    assertEquals(two.getPublic(), keys.verifying().get(1));
  }

  @Test
  @DisplayName("a single node without keys shares one generated pair; a cluster node without keys has none")
  void defaults() {
    EnvelopeKeys single = EnvelopeKeys.read(new Settings(new JsonObject()));
    assertTrue(single.signs() && single.verifies());
    assertSame(single, EnvelopeKeys.read(new Settings(new JsonObject().put("CLUSTER", "false"))));
    EnvelopeKeys cluster = EnvelopeKeys.read(new Settings(new JsonObject().put("CLUSTER", "true")));
    assertFalse(cluster.signs() || cluster.verifies());
  }

  @Test
  @DisplayName("a missing file, a file without the PEM block and a key of another kind are refused with the setting's name")
  void unusable() throws Exception {
    IllegalArgumentException missing = assertThrows(IllegalArgumentException.class, () -> EnvelopeKeys.read(
        new Settings(new JsonObject().put(EnvelopeKeys.PRIVATE_KEY, dir.resolve("none.key").toString()))));
    assertTrue(missing.getMessage().startsWith(EnvelopeKeys.PRIVATE_KEY), missing.getMessage());
    Path text = Files.writeString(dir.resolve("text.pub"), "hello");
    assertThrows(IllegalArgumentException.class, () -> EnvelopeKeys.read(
        new Settings(new JsonObject().put(EnvelopeKeys.PUBLIC_KEY, text.toString()))));
    KeyPair rsa = java.security.KeyPairGenerator.getInstance("RSA").generateKeyPair();
    IllegalArgumentException wrongKind = assertThrows(IllegalArgumentException.class, () -> EnvelopeKeys.read(
        new Settings(new JsonObject().put(EnvelopeKeys.PUBLIC_KEY,
            EnvelopeKeys.pem("PUBLIC KEY", rsa.getPublic().getEncoded())))));
    assertTrue(wrongKind.getMessage().contains("not an Ed25519"), wrongKind.getMessage());
  }
}
