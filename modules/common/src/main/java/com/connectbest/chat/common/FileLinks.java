package com.connectbest.chat.common;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Base64;
import java.util.function.Supplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signed file links: {@code /api/files/<key>?viewer=<user id>&expires=<epoch seconds>&signature=<HMAC>}, the HMAC-SHA256
 * of key, viewer and expiry. A browser fetches files through {@code <img src>} and {@code <a href>}, which carry no
 * Authorization header, so the link itself says who it was issued to. It is issued only where that viewer may see
 * the file (the uploader's upload response, a message view of a message the viewer can read), and the file service
 * checks the viewer's access again when the link is used.
 *
 * <p>The secret is {@code FILE_URL_SECRET}, else derived from the JWT secret (HMAC of a fixed label), so every node
 * of a cluster, which shares the JWT secret, verifies every other node's links; rotating either secret invalidates
 * the links issued so far (the next page view issues new ones). Expiry is rounded up to a window boundary, so a
 * page polled every few seconds gets the same link (and the browser's cached image) for a whole window: a link is
 * valid for at least one window ({@code FILE_URL_TTL_SECONDS}, default one hour) and at most two.
 */
public final class FileLinks {

  public static final String FILES_PATH = "/api/files/";
  public static final String VIEWER = "viewer";
  public static final String EXPIRES = "expires";
  public static final String SIGNATURE = "signature";
  private static final String DERIVATION_LABEL = "connectbest file links v1";

  private final byte[] secret;
  private final long windowSeconds;
  private final Supplier<String> publicUrl;

  /** @param publicUrl this server's public base URL (see {@link PublicUrl}), without a trailing slash */
  public FileLinks(byte[] secret, long windowSeconds, Supplier<String> publicUrl) {
    if (windowSeconds <= 0) {
      throw new IllegalArgumentException("FILE_URL_TTL_SECONDS must be positive");
    }
    this.secret = secret.clone();
    this.windowSeconds = windowSeconds;
    this.publicUrl = publicUrl;
  }

  public static FileLinks from(Settings settings, Supplier<String> publicUrl) {
    String configured = settings.string("FILE_URL_SECRET", null);
    byte[] secret = configured != null ? configured.getBytes(StandardCharsets.UTF_8)
        : hmac(settings.jwtSecret().getBytes(StandardCharsets.UTF_8), DERIVATION_LABEL);
    return new FileLinks(secret, settings.number("FILE_URL_TTL_SECONDS", 3600), publicUrl);
  }

  /** The file's public, unsigned address (what avatars use). */
  public String plainUrl(String key) {
    return publicUrl.get() + FILES_PATH + key;
  }

  /**
   * The file's address on this server with a query signed for the viewer. Always this server's own base URL, never
   * a host taken from stored data, so that a signature is never sent to another site.
   */
  public String signedUrl(String key, String viewerId, Instant now) {
    return plainUrl(key) + "?" + query(key, viewerId, now);
  }

  /** The query string (without {@code ?}) that lets the viewer fetch the file until the end of the next window. */
  public String query(String key, String viewerId, Instant now) {
    long expires = (now.getEpochSecond() / windowSeconds + 2) * windowSeconds;
    return VIEWER + "=" + viewerId + "&" + EXPIRES + "=" + expires + "&" + SIGNATURE + "=" + signature(key, viewerId,
        expires);
  }

  /** True when the signature is this server's for the key, viewer and expiry, and the expiry is still ahead. */
  public boolean verify(String key, String viewerId, String expires, String signature, Instant now) {
    if (key == null || viewerId == null || expires == null || signature == null) {
      return false;
    }
    long expiry;
    try {
      expiry = Long.parseLong(expires);
    } catch (NumberFormatException e) {
      return false;
    }
    if (expiry <= now.getEpochSecond()) {
      return false;
    }
    return MessageDigest.isEqual(signature(key, viewerId, expiry).getBytes(StandardCharsets.US_ASCII),
        signature.getBytes(StandardCharsets.UTF_8));
  }

  /** The stored file a link names: the part after {@value #FILES_PATH}, query and fragment removed; else null. */
  public static String keyOf(String url) {
    if (url == null) {
      return null;
    }
    int at = url.indexOf(FILES_PATH);
    if (at < 0) {
      return null;
    }
    String key = withoutQuery(url.substring(at + FILES_PATH.length()));
    return key.isEmpty() ? null : key;
  }

  /** The URL without its query string and fragment. */
  public static String withoutQuery(String url) {
    int cut = url.length();
    int query = url.indexOf('?');
    int fragment = url.indexOf('#');
    if (query >= 0) {
      cut = query;
    }
    if (fragment >= 0 && fragment < cut) {
      cut = fragment;
    }
    return url.substring(0, cut);
  }

  private String signature(String key, String viewerId, long expires) {
    byte[] mac = hmac(secret, key + "\n" + viewerId + "\n" + expires);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(mac);
  }

  private static byte[] hmac(byte[] key, String data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
    }
  }
}
