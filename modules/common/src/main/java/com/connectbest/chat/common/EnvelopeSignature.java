package com.connectbest.chat.common;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.EdECPrivateKey;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/**
 * The gateway's signed statement that a request on the bus acts for a user: a JWS in compact form (RFC 7515) with
 * the EdDSA algorithm over Ed25519 (RFC 8037), so that any language's JOSE library can produce or check it. Its
 * claims: {@code op} (the action the gateway sent), {@code prn} (the principal object, as in the envelope),
 * {@code iat} and {@code exp} (seconds since the epoch). docs/event-bus.md describes it.
 *
 * <p>Only gateways hold the private key, so a node that can reach the bus but is not a gateway cannot make a
 * service act as a user. Services acting on a user's behalf forward the signature they received unchanged; the
 * operations they may call with it are listed in {@link #RELAYS}.
 *
 * <p>Signatures are made and checked with Bouncy Castle's Ed25519 (about 50 and 65 µs here), which gives the same
 * bytes as the JDK's (Ed25519 is deterministic) at an eighth of its cost: in the log-in minute of benchmark 7, when
 * every user's first requests miss the caches below, the JDK's took 13 % of the server's CPU. Keys are the JDK's
 * Ed25519 keys ({@link EnvelopeKeys}); their raw bytes are read once per signer or verifier. A {@link Signer} reuses
 * a signature for the same caller and operation for half its lifetime and a {@link Verifier} remembers signatures
 * that checked out. Both caches hold only what the key itself proved, each entry expires with its signature, and
 * neither depends on events: a lost event or a paused node cannot make them accept anything the key did not sign.
 */
public final class EnvelopeSignature {

  /** The envelope field that carries the signature (next to {@code principal}). */
  public static final String FIELD = "signature";
  /**
   * Recent signatures a signer or verifier keeps: one per caller and operation used within half a signature's lifetime
   * (150 s), so 40,000 holds 10,000 active users using 4 operations each (a session start) without thrashing, where
   * every miss costs an Ed25519 signature or check (a few hundred microseconds). A signer entry holds about 0.7 KB
   * (measured at 40,000 entries), a verifier entry about as much (the token, and its claims as a record).
   */
  static final int CACHE_ENTRIES = 40_000;
  private static final String HEADER = b64(new JsonObject().put("alg", "EdDSA").put("typ", "cb-envelope+jws")
      .encode().getBytes(StandardCharsets.UTF_8));

  /**
   * Operation signed by a gateway → actions a service may send with that signature, acting on the caller's behalf
   * (the direct-message service stores messages through the messages service, the uploads service sets avatars
   * through the auth service).
   */
  public static final Map<String, Set<String>> RELAYS = Map.of(
      "sendDirectMessage", Set.of("sendMessage"),
      "listDirectMessages", Set.of("listChannelMessages"),
      "markDirectRead", Set.of("markChannelRead"),
      "setMyAvatar", Set.of("updateMyProfile"),
      InternalActions.BEGIN_UPLOAD, Set.of("updateMyProfile"));

  private EnvelopeSignature() {
  }

  /** Why a signature is not accepted; the message says which check failed (never the key or the token). */
  public static final class Rejected extends Exception {
    public Rejected(String message) {
      super(message, null, false, false);
    }
  }

  /** The compact JWS for this action and caller, valid for {@code ttlSeconds} from {@code nowMillis}. */
  public static String sign(PrivateKey key, String action, Principal principal, long ttlSeconds, long nowMillis) {
    return sign(SigningKey.of(key), action, principal, ttlSeconds, nowMillis);
  }

  private static String sign(SigningKey key, String action, Principal principal, long ttlSeconds, long nowMillis) {
    JsonObject claims = new JsonObject().put("op", action).put("prn", principal.toJson())
        .put("iat", nowMillis / 1000).put("exp", expirySeconds(nowMillis, ttlSeconds));
    String signingInput = HEADER + "." + b64(claims.encode().getBytes(StandardCharsets.UTF_8));
    return signingInput + "." + b64(key.sign(signingInput.getBytes(StandardCharsets.US_ASCII)));
  }

  /** An Ed25519 private key's raw 32 bytes (what {@link EnvelopeKeys} reads or makes). */
  private record SigningKey(byte[] raw) {
    static SigningKey of(PrivateKey key) {
      byte[] raw = key instanceof EdECPrivateKey ed ? ed.getBytes().orElse(null) : null;
      if (raw == null || raw.length != Ed25519.SECRET_KEY_SIZE) {
        throw new IllegalArgumentException("not an Ed25519 private key");
      }
      return new SigningKey(raw);
    }

    byte[] sign(byte[] message) {
      byte[] signature = new byte[Ed25519.SIGNATURE_SIZE];
      Ed25519.sign(raw, 0, message, 0, message.length, signature, 0);
      return signature;
    }
  }

  /** An Ed25519 public key's raw 32 bytes, read from its standard encoding (RFC 8410). */
  private record VerifyingKey(byte[] raw) {
    /** The DER prefix of an Ed25519 SubjectPublicKeyInfo; the raw key follows it. */
    private static final byte[] SPKI_PREFIX = {0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00};

    static VerifyingKey of(PublicKey key) {
      byte[] encoded = "X.509".equals(key.getFormat()) ? key.getEncoded() : null;
      if (encoded == null || encoded.length != SPKI_PREFIX.length + Ed25519.PUBLIC_KEY_SIZE
          || !Arrays.equals(encoded, 0, SPKI_PREFIX.length, SPKI_PREFIX, 0, SPKI_PREFIX.length)) {
        throw new IllegalArgumentException("not an Ed25519 public key");
      }
      return new VerifyingKey(Arrays.copyOfRange(encoded, SPKI_PREFIX.length, encoded.length));
    }

    boolean verify(byte[] message, byte[] signature) {
      return signature.length == Ed25519.SIGNATURE_SIZE
          && Ed25519.verify(signature, 0, raw, 0, message, 0, message.length);
    }
  }

  /** The {@code exp} claim of a signature made at {@code nowMillis}. */
  private static long expirySeconds(long nowMillis, long ttlSeconds) {
    return nowMillis / 1000 + ttlSeconds;
  }

  /**
   * Accepts the request only if {@code token} was signed by one of {@code keys}, has not expired, names this action
   * (or an operation that may be relayed to it) and exactly this principal.
   */
  public static void verify(List<PublicKey> keys, String token, String action, Principal principal, long nowMillis)
      throws Rejected {
    if (token == null) {
      throw new Rejected("unsigned principal");
    }
    check(Signed.of(claims(keys.stream().map(VerifyingKey::of).toList(), token)), action, principal, nowMillis);
  }

  /**
   * Signed claims as the checks read them: a record rather than the JSON object, so that a verifier's cache holds
   * little and a check parses nothing. A missing or malformed claim reads as one that fails its check.
   */
  private record Signed(long expiresAtMillis, String op, Principal principal) {
    static Signed of(JsonObject claims) {
      return new Signed(claims.getValue("exp") instanceof Number exp ? exp.longValue() * 1000 : Long.MIN_VALUE,
          claims.getValue("op") instanceof String op ? op : null,
          claims.getValue("prn") instanceof JsonObject prn ? Principal.fromJson(prn) : null);
    }
  }

  /** The claims of a token one of the keys signed (the expensive part of {@link #verify}). */
  private static JsonObject claims(List<VerifyingKey> keys, String token) throws Rejected {
    String[] parts = token.split("\\.", -1);
    if (parts.length != 3) {
      throw new Rejected("malformed signature");
    }
    byte[] signingInput = (parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII);
    JsonObject header;
    JsonObject claims;
    byte[] signature;
    try {
      header = new JsonObject(new String(Base64.getUrlDecoder().decode(parts[0]), StandardCharsets.UTF_8));
      claims = new JsonObject(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
      signature = Base64.getUrlDecoder().decode(parts[2]);
    } catch (IllegalArgumentException | DecodeException | ClassCastException e) {
      throw new Rejected("malformed signature");
    }
    if (!"EdDSA".equals(header.getValue("alg"))) {
      throw new Rejected("signature algorithm is not EdDSA");
    }
    if (!signedByAny(keys, signingInput, signature)) {
      throw new Rejected("bad signature");
    }
    return claims;
  }

  /** The checks of signed claims against the request: expiry, operation, principal (every field of it). */
  private static void check(Signed signed, String action, Principal principal, long nowMillis) throws Rejected {
    if (signed.expiresAtMillis() <= nowMillis) {
      throw new Rejected("signature expired");
    }
    String op = signed.op();
    if (!action.equals(op) && !(op != null && RELAYS.getOrDefault(op, Set.of()).contains(action))) {
      throw new Rejected("signature is for another operation");
    }
    Principal named = signed.principal();
    if (named == null || !Objects.equals(named.id(), principal.id())
        || !Objects.equals(named.email(), principal.email()) || !Objects.equals(named.name(), principal.name())
        || !Objects.equals(named.role(), principal.role())) {
      throw new Rejected("signature is for another principal");
    }
  }

  /** A gateway's signer: one signature per caller and operation, renewed once half its lifetime has passed. */
  public static final class Signer {
    /** What a signature covers; a record, so that a cache lookup encodes nothing. */
    private record Covered(String action, String id, String email, String name, String role) {
    }

    /** A signature made, with its expiry kept beside it so that a cache hit parses nothing. */
    private record Made(String token, long expiresAtMillis) {
    }

    private final SigningKey key;
    private final long ttlSeconds;
    private final Map<Covered, Made> recent = lru();

    public Signer(PrivateKey key, long ttlSeconds) {
      this.key = SigningKey.of(key);
      this.ttlSeconds = ttlSeconds;
    }

    public String sign(String action, Principal principal, long nowMillis) {
      Covered covered = new Covered(action, principal.id(), principal.email(), principal.name(), principal.role());
      synchronized (recent) {
        Made made = recent.get(covered);
        if (made != null && made.expiresAtMillis() - nowMillis > ttlSeconds * 500) {
          return made.token();
        }
        String token = EnvelopeSignature.sign(key, action, principal, ttlSeconds, nowMillis);
        recent.put(covered, new Made(token, expirySeconds(nowMillis, ttlSeconds) * 1000));
        return token;
      }
    }
  }

  /** A service's verifier: remembers the claims of tokens whose signature checked out (confined to one verticle). */
  public static final class Verifier {
    private final List<VerifyingKey> keys;
    private final Map<String, Signed> verified = lru();

    public Verifier(List<PublicKey> keys) {
      this.keys = keys.stream().map(VerifyingKey::of).toList();
    }

    public void verify(String token, String action, Principal principal, long nowMillis) throws Rejected {
      if (token == null) {
        throw new Rejected("unsigned principal");
      }
      Signed signed = verified.get(token);
      if (signed == null) {
        signed = Signed.of(claims(keys, token));
        verified.put(token, signed);
      }
      check(signed, action, principal, nowMillis);
    }
  }

  private static <K, V> Map<K, V> lru() {
    return new LinkedHashMap<>(256, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
        return size() > CACHE_ENTRIES;
      }
    };
  }

  private static boolean signedByAny(List<VerifyingKey> keys, byte[] signingInput, byte[] signature) {
    for (VerifyingKey key : keys) {
      if (key.verify(signingInput, signature)) {
        return true;
      }
    }
    return false;
  }

  private static String b64(byte[] bytes) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
