package com.connectbest.chat.app;

import com.connectbest.chat.common.EnvelopeKeys;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A throwaway cluster CA and node certificates made at test time with the JDK's keytool (nothing private is
 * committed). Keytool cannot write a private key as PEM, so the key is read back from its PKCS#12 store.
 */
final class ClusterCerts {

  private static final String PASSWORD = "test-store-password";

  private final Path dir;
  private final String ca;

  /** Node certificate and key (PEM files), and the CA that signed them. */
  record Node(Path cert, Path key, Path ca) {
    /** The event-bus TLS settings of a node holding this certificate. */
    Map<String, String> settings() {
      return Map.of("CLUSTER_TLS_CERT", cert.toString(), "CLUSTER_TLS_KEY", key.toString(),
          "CLUSTER_TLS_CA", ca.toString());
    }
  }

  private ClusterCerts(Path dir, String ca) {
    this.dir = dir;
    this.ca = ca;
  }

  /** A new CA named {@code name} in {@code dir}. */
  static ClusterCerts authority(Path dir, String name) {
    ClusterCerts certs = new ClusterCerts(dir, name);
    certs.keytool("-genkeypair", "-alias", name, "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=" + name,
        "-ext", "bc:c=ca:true", "-ext", "ku:c=keyCertSign,cRLSign", "-validity", "2", "-keystore", certs.store(name));
    certs.keytool("-exportcert", "-rfc", "-alias", name, "-keystore", certs.store(name), "-file",
        certs.caPem().toString());
    return certs;
  }

  Path caPem() {
    return dir.resolve(ca + ".pem");
  }

  /** A node certificate for 127.0.0.1 signed by this CA, usable as TLS server and client. */
  Node issue(String name) {
    keytool("-genkeypair", "-alias", name, "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=" + name,
        "-validity", "2", "-keystore", store(name));
    Path csr = dir.resolve(name + ".csr");
    keytool("-certreq", "-alias", name, "-keystore", store(name), "-file", csr.toString());
    Path cert = dir.resolve(name + ".pem");
    keytool("-gencert", "-rfc", "-alias", ca, "-keystore", store(ca), "-infile", csr.toString(), "-outfile",
        cert.toString(), "-ext", "san=ip:127.0.0.1,dns:localhost", "-ext", "eku=serverAuth,clientAuth",
        "-validity", "2");
    try (InputStream in = Files.newInputStream(Path.of(store(name)))) {
      KeyStore keys = KeyStore.getInstance("PKCS12");
      keys.load(in, PASSWORD.toCharArray());
      PrivateKey key = (PrivateKey) keys.getKey(name, PASSWORD.toCharArray());
      Path keyFile = Files.writeString(dir.resolve(name + ".key"), EnvelopeKeys.pem("PRIVATE KEY", key.getEncoded()));
      return new Node(cert, keyFile, caPem());
    } catch (IOException | java.security.GeneralSecurityException e) {
      throw new IllegalStateException("cannot read the key of " + name, e);
    }
  }

  /** An Ed25519 envelope key pair as PEM files: the settings of a node that signs and verifies. */
  static Map<String, String> envelopeKeys(Path dir, String name) {
    KeyPair pair = EnvelopeKeys.generate();
    try {
      Path key = Files.writeString(dir.resolve(name + ".key"), EnvelopeKeys.pem("PRIVATE KEY",
          pair.getPrivate().getEncoded()));
      Path pub = Files.writeString(dir.resolve(name + ".pub"), EnvelopeKeys.pem("PUBLIC KEY",
          pair.getPublic().getEncoded()));
      return Map.of(EnvelopeKeys.PRIVATE_KEY, key.toString(), EnvelopeKeys.PUBLIC_KEY, pub.toString());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private String store(String name) {
    return dir.resolve(name + ".p12").toString();
  }

  private void keytool(String... args) {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "keytool").toString()));
    command.addAll(List.of(args));
    command.addAll(List.of("-storetype", "PKCS12", "-storepass", PASSWORD, "-noprompt"));
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      String output = new String(process.getInputStream().readAllBytes());
      if (process.waitFor() != 0) {
        throw new IllegalStateException("keytool " + String.join(" ", args) + " failed: " + output);
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot run keytool", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
