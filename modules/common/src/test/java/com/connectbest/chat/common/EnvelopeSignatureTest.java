package com.connectbest.chat.common;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.PublicKey;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class EnvelopeSignatureTest {

  private static final KeyPair GATEWAY = EnvelopeKeys.generate();
  private static final KeyPair OTHER = EnvelopeKeys.generate();
  private static final List<PublicKey> TRUSTED = List.of(GATEWAY.getPublic());
  private static final Principal ALICE = new Principal("64a000000000000000000001", "alice@example.com", "Alice", "user");
  private static final long NOW = 1_800_000_000_000L;

  private static String signed(KeyPair keys, String action, Principal principal) {
    return EnvelopeSignature.sign(keys.getPrivate(), action, principal, 60, NOW);
  }

  private static String rejection(String token, String action, Principal principal, long now) {
    return assertThrows(EnvelopeSignature.Rejected.class,
        () -> EnvelopeSignature.verify(TRUSTED, token, action, principal, now)).getMessage();
  }

  @Test
  @DisplayName("a gateway's signature of the action and principal is accepted until it expires")
  void accepted() {
    String token = signed(GATEWAY, "getChannels", ALICE);
    assertDoesNotThrow(() -> EnvelopeSignature.verify(TRUSTED, token, "getChannels", ALICE, NOW + 59_000));
    assertEquals("signature expired", rejection(token, "getChannels", ALICE, NOW + 60_000));
  }

  @Test
  @DisplayName("a missing signature, a signature by another key and a malformed one are refused")
  void forged() {
    assertEquals("unsigned principal", rejection(null, "getChannels", ALICE, NOW));
    assertEquals("bad signature", rejection(signed(OTHER, "getChannels", ALICE), "getChannels", ALICE, NOW));
    assertEquals("malformed signature", rejection("not-a-jws", "getChannels", ALICE, NOW));
    assertEquals("malformed signature", rejection("a.b.c", "getChannels", ALICE, NOW));
  }

  @Test
  @DisplayName("changing any signed claim (here: the role) breaks the signature")
  void tampered() {
    String[] parts = signed(GATEWAY, "getChannels", ALICE).split("\\.");
    JsonObject claims = new JsonObject(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
    claims.getJsonObject("prn").put("role", "admin");
    String forged = parts[0] + "." + Base64.getUrlEncoder().withoutPadding()
        .encodeToString(claims.encode().getBytes(StandardCharsets.UTF_8)) + "." + parts[2];
    Principal admin = new Principal(ALICE.id(), ALICE.email(), ALICE.name(), "admin");
    assertEquals("bad signature", rejection(forged, "getChannels", admin, NOW));
  }

  @Test
  @DisplayName("a signature is only good for its principal and its operation, or an action that operation relays to")
  void boundToPrincipalAndOperation() {
    Principal admin = new Principal(ALICE.id(), ALICE.email(), ALICE.name(), "admin");
    assertEquals("signature is for another principal", rejection(signed(GATEWAY, "getChannels", ALICE),
        "getChannels", admin, NOW));
    assertEquals("signature is for another operation", rejection(signed(GATEWAY, "getChannels", ALICE),
        "deleteChannel", ALICE, NOW));
    assertDoesNotThrow(() -> EnvelopeSignature.verify(TRUSTED, signed(GATEWAY, "sendDirectMessage", ALICE),
        "sendMessage", ALICE, NOW));
    assertEquals("signature is for another operation", rejection(signed(GATEWAY, "sendMessage", ALICE),
        "sendDirectMessage", ALICE, NOW));
  }

  @Test
  @DisplayName("during a key rotation a signature by any configured public key is accepted")
  void rotation() {
    assertDoesNotThrow(() -> EnvelopeSignature.verify(List.of(OTHER.getPublic(), GATEWAY.getPublic()),
        signed(GATEWAY, "getChannels", ALICE), "getChannels", ALICE, NOW));
  }

  @Test
  @DisplayName("the token is a standard compact JWS: EdDSA header, JSON claims, 64-byte Ed25519 signature")
  void standardForm() {
    String[] parts = signed(GATEWAY, "getChannels", ALICE).split("\\.");
    JsonObject header = new JsonObject(new String(Base64.getUrlDecoder().decode(parts[0]), StandardCharsets.UTF_8));
    JsonObject claims = new JsonObject(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
    assertEquals("EdDSA", header.getString("alg"));
    assertEquals("getChannels", claims.getString("op"));
    assertEquals(ALICE.toJson(), claims.getJsonObject("prn"));
    assertEquals(NOW / 1000 + 60, claims.getLong("exp"));
    assertEquals(64, Base64.getUrlDecoder().decode(parts[2]).length);
  }

  @Test
  @DisplayName("a signer reuses a signature for the same caller and operation for half its lifetime, then renews it")
  void signerReuses() {
    EnvelopeSignature.Signer signer = new EnvelopeSignature.Signer(GATEWAY.getPrivate(), 60);
    String first = signer.sign("getChannels", ALICE, NOW);
    assertEquals(first, signer.sign("getChannels", ALICE, NOW + 29_000));
    assertNotEquals(first, signer.sign("getChannels", ALICE, NOW + 31_000));
    assertNotEquals(first, signer.sign("getChannel", ALICE, NOW));
    Principal renamed = new Principal(ALICE.id(), ALICE.email(), "Alice B.", "user");
    assertNotEquals(first, signer.sign("getChannels", renamed, NOW));
  }

  @Test
  @DisplayName("a verifier remembers a good signature but still checks expiry, operation and principal every time")
  void verifierRemembers() throws Exception {
    EnvelopeSignature.Verifier verifier = new EnvelopeSignature.Verifier(TRUSTED);
    String token = signed(GATEWAY, "getChannels", ALICE);
    verifier.verify(token, "getChannels", ALICE, NOW);
    verifier.verify(token, "getChannels", ALICE, NOW + 1);
    assertEquals("signature is for another operation", assertThrows(EnvelopeSignature.Rejected.class,
        () -> verifier.verify(token, "deleteChannel", ALICE, NOW)).getMessage());
    assertEquals("signature expired", assertThrows(EnvelopeSignature.Rejected.class,
        () -> verifier.verify(token, "getChannels", ALICE, NOW + 60_000)).getMessage());
    assertEquals("bad signature", assertThrows(EnvelopeSignature.Rejected.class,
        () -> verifier.verify(signed(OTHER, "getChannels", ALICE), "getChannels", ALICE, NOW)).getMessage());
    for (Principal other : java.util.List.of(new Principal(ALICE.id(), ALICE.email(), "Alice B.", "user"),
        new Principal(ALICE.id(), ALICE.email(), ALICE.name(), "admin"),
        new Principal(ALICE.id(), "alice@elsewhere.example", ALICE.name(), "user"),
        new Principal("0123456789abcdef01234567", ALICE.email(), ALICE.name(), "user"))) {
      assertEquals("signature is for another principal", assertThrows(EnvelopeSignature.Rejected.class,
          () -> verifier.verify(token, "getChannels", other, NOW)).getMessage(), other.toString());
    }
    // a relayed operation is accepted from the remembered claims as from fresh ones
    String direct = signed(GATEWAY, "sendDirectMessage", ALICE);
    verifier.verify(direct, "sendMessage", ALICE, NOW);
    verifier.verify(direct, "sendMessage", ALICE, NOW + 1);
    assertThrows(EnvelopeSignature.Rejected.class, () -> verifier.verify(direct, "deleteMessage", ALICE, NOW + 2));
  }

  @Test
  @DisplayName("a signature is byte for byte the JDK's Ed25519 signature of the same input, which the JDK accepts, "
      + "and a key of another kind is refused at once")
  void sameBytesAsTheJdk() throws Exception {
    for (int i = 0; i < 50; i++) {
      KeyPair keys = EnvelopeKeys.generate();
      Principal someone = new Principal(String.format("%024x", i), "user" + i + "@example.com", "User é " + i, "user");
      String token = EnvelopeSignature.sign(keys.getPrivate(), "op" + i, someone, 60, NOW + i);
      int dot = token.lastIndexOf('.');
      byte[] input = token.substring(0, dot).getBytes(StandardCharsets.US_ASCII);
      byte[] signature = Base64.getUrlDecoder().decode(token.substring(dot + 1));
      java.security.Signature jdk = java.security.Signature.getInstance("Ed25519");
      jdk.initSign(keys.getPrivate());
      jdk.update(input);
      org.junit.jupiter.api.Assertions.assertArrayEquals(jdk.sign(), signature);
      jdk.initVerify(keys.getPublic());
      jdk.update(input);
      org.junit.jupiter.api.Assertions.assertTrue(jdk.verify(signature));
    }
    // another kind of key is refused when the signer or verifier is made, not at each request
    KeyPair rsa = java.security.KeyPairGenerator.getInstance("RSA").generateKeyPair();
    assertThrows(IllegalArgumentException.class, () -> new EnvelopeSignature.Signer(rsa.getPrivate(), 60));
    assertThrows(IllegalArgumentException.class, () -> new EnvelopeSignature.Verifier(List.of(rsa.getPublic())));
  }
}
