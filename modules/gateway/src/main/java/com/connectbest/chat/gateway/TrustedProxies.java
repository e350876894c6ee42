package com.connectbest.chat.gateway;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;

/**
 * Decides whether the identity headers (X-User-ID, ...) of a request may be believed: only when the peer lies
 * in one of TRUSTED_PROXIES (CIDRs) or the request carries the shared TRUSTED_PROXY_SECRET. Off when neither is set.
 */
final class TrustedProxies {

  private final List<Cidr> networks;
  private final byte[] secret;

  TrustedProxies(List<String> cidrs, String secret) {
    this.networks = cidrs.stream().map(Cidr::parse).toList();
    this.secret = secret == null ? null : secret.getBytes(StandardCharsets.UTF_8);
  }

  boolean enabled() {
    return !networks.isEmpty() || secret != null;
  }

  boolean trusts(String peerAddress, String presentedSecret) {
    if (secret != null && presentedSecret != null
        && MessageDigest.isEqual(secret, presentedSecret.getBytes(StandardCharsets.UTF_8))) {
      return true;
    }
    if (peerAddress == null || networks.isEmpty()) {
      return false;
    }
    try {
      byte[] peer = InetAddress.getByName(peerAddress).getAddress();
      return networks.stream().anyMatch(network -> network.contains(peer));
    } catch (UnknownHostException e) {
      return false;
    }
  }

  /**
   * The client's address for per-IP limits: the peer itself unless it is a trusted proxy; behind trusted proxies,
   * the right-most X-Forwarded-For entry that is not itself a trusted proxy. Each proxy appends the address it saw,
   * so entries to the left of that one were written by the client and prove nothing: taking the left-most would let
   * any client pick its own bucket. When every entry is a trusted proxy, the left-most one is the best we know.
   */
  String clientAddress(String peer, String forwardedFor, String presentedSecret) {
    if (peer == null || forwardedFor == null || !enabled() || !trusts(peer, presentedSecret)) {
      return peer;
    }
    String[] hops = forwardedFor.split(",");
    String leftMost = null;
    for (int i = hops.length - 1; i >= 0; i--) {
      String hop = hops[i].trim();
      if (hop.isEmpty()) {
        continue;
      }
      if (!inNetworks(hop)) {
        return hop;
      }
      leftMost = hop;
    }
    return leftMost == null ? peer : leftMost;
  }

  /** Only literal addresses count: a hostname in the header is never resolved (it would cost a DNS lookup). */
  private boolean inNetworks(String address) {
    if (networks.isEmpty() || !isLiteral(address)) {
      return false;
    }
    try {
      byte[] bytes = InetAddress.getByName(address).getAddress();
      return networks.stream().anyMatch(network -> network.contains(bytes));
    } catch (UnknownHostException e) {
      return false;
    }
  }

  private static boolean isLiteral(String address) {
    return address.indexOf(':') >= 0 || address.chars().allMatch(c -> c == '.' || Character.isDigit(c));
  }

  record Cidr(byte[] network, int prefix) {

    static Cidr parse(String text) {
      String[] parts = text.trim().split("/", 2);
      try {
        byte[] address = InetAddress.getByName(parts[0]).getAddress();
        int prefix = parts.length == 2 ? Integer.parseInt(parts[1]) : address.length * 8;
        if (prefix < 0 || prefix > address.length * 8) {
          throw new IllegalArgumentException("bad prefix");
        }
        return new Cidr(address, prefix);
      } catch (UnknownHostException | IllegalArgumentException e) {
        throw new IllegalArgumentException("TRUSTED_PROXIES: '" + text + "' is not an IP address or CIDR");
      }
    }

    boolean contains(byte[] address) {
      if (address.length != network.length) {
        return false;
      }
      int fullBytes = prefix / 8;
      for (int i = 0; i < fullBytes; i++) {
        if (address[i] != network[i]) {
          return false;
        }
      }
      int remainingBits = prefix % 8;
      if (remainingBits == 0) {
        return true;
      }
      int mask = 0xFF << (8 - remainingBits);
      return (address[fullBytes] & mask) == (network[fullBytes] & mask);
    }
  }
}
