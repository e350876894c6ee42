package com.connectbest.chat.common;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.List;

/**
 * This node's Ed25519 keys for {@link EnvelopeSignature}: the private key (gateways sign) and the public keys
 * (services verify; several while a key is being rotated). Settings {@value #PRIVATE_KEY} and {@value #PUBLIC_KEY}
 * hold PEM files (PKCS#8 {@code PRIVATE KEY}, X.509 {@code PUBLIC KEY}, as {@code openssl genpkey -algorithm
 * ed25519} writes them) or the PEM text itself. A single node with neither setting uses a key pair generated for
 * this process, so one machine needs no configuration; a cluster node with neither setting neither signs nor verifies (the
 * startup checks refuse that in production).
 *
 * @param signing   the key to sign with, or null when this node does not sign
 * @param verifying the keys a signature may be made with; empty when this node does not verify
 */
public record EnvelopeKeys(PrivateKey signing, List<PublicKey> verifying) {

  public static final String PRIVATE_KEY = "ENVELOPE_PRIVATE_KEY";
  public static final String PUBLIC_KEY = "ENVELOPE_PUBLIC_KEY";
  public static final String TTL_SECONDS = "ENVELOPE_SIGNATURE_TTL_SECONDS";
  /** Long enough for the slowest relayed operation: an avatar upload sets the profile once the file is stored. */
  public static final long DEFAULT_TTL_SECONDS = 300;

  public boolean signs() {
    return signing != null;
  }

  public boolean verifies() {
    return !verifying.isEmpty();
  }

  /** Whether keys are configured (else a single node uses {@link #ephemeral()}, a cluster node none). */
  public static boolean configured(Settings settings) {
    return settings.string(PRIVATE_KEY, null) != null || !settings.list(PUBLIC_KEY).isEmpty();
  }

  /** The keys the settings name; blocking (reads files). Throws IllegalArgumentException for unusable keys. */
  public static EnvelopeKeys read(Settings settings) {
    if (!configured(settings)) {
      return settings.bool("CLUSTER", false) ? new EnvelopeKeys(null, List.of()) : ephemeral();
    }
    String signing = settings.string(PRIVATE_KEY, null);
    return new EnvelopeKeys(signing == null ? null : privateKey(signing),
        settings.list(PUBLIC_KEY).stream().map(EnvelopeKeys::publicKey).toList());
  }

  /** {@link #read} off the event loop. */
  public static Future<EnvelopeKeys> load(Vertx vertx, Settings settings) {
    return vertx.executeBlocking(() -> read(settings));
  }

  /** One key pair per process, made on first use: every verticle of a single node shares it. */
  public static EnvelopeKeys ephemeral() {
    return Ephemeral.KEYS;
  }

  private static final class Ephemeral {
    private static final EnvelopeKeys KEYS = fromPair(generate());
  }

  public static EnvelopeKeys fromPair(KeyPair pair) {
    return new EnvelopeKeys(pair.getPrivate(), List.of(pair.getPublic()));
  }

  public static KeyPair generate() {
    try {
      return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JVM cannot make Ed25519 keys", e);
    }
  }

  /** A key or certificate in PEM form: {@code type} is PRIVATE KEY or PUBLIC KEY, {@code der} its encoding. */
  public static String pem(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
        .encodeToString(der) + "\n-----END " + type + "-----\n";
  }

  static PrivateKey privateKey(String pemOrPath) {
    byte[] der = der(pemOrPath, "PRIVATE KEY", PRIVATE_KEY);
    try {
      return KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(der));
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException(PRIVATE_KEY + " is not an Ed25519 private key (PKCS#8): " + e.getMessage());
    }
  }

  static PublicKey publicKey(String pemOrPath) {
    byte[] der = der(pemOrPath, "PUBLIC KEY", PUBLIC_KEY);
    try {
      return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(der));
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException(PUBLIC_KEY + " is not an Ed25519 public key: " + e.getMessage());
    }
  }

  private static byte[] der(String pemOrPath, String type, String setting) {
    String pem = pemOrPath;
    if (!pemOrPath.startsWith("-----BEGIN")) {
      try {
        pem = Files.readString(Path.of(pemOrPath), StandardCharsets.US_ASCII);
      } catch (IOException e) {
        throw new IllegalArgumentException(setting + " names " + pemOrPath + ", which cannot be read: " + e);
      }
    }
    String begin = "-----BEGIN " + type + "-----";
    String end = "-----END " + type + "-----";
    int from = pem.indexOf(begin);
    int to = pem.indexOf(end);
    if (from < 0 || to < from) {
      throw new IllegalArgumentException(setting + " holds no '" + begin + "' block");
    }
    try {
      return Base64.getMimeDecoder().decode(pem.substring(from + begin.length(), to));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(setting + " holds a '" + begin + "' block that is not base64");
    }
  }
}
