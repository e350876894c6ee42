package com.connectbest.chat.app;

import io.vertx.core.Vertx;
import io.vertx.core.net.PemKeyCertOptions;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Collections;
import javax.net.ssl.KeyManager;
import javax.net.ssl.X509KeyManager;

/** A private key and its certificate chain read from PEM files (PKCS#8, PKCS#1 RSA or SEC1 EC keys). */
record PemKeyPair(PrivateKey key, X509Certificate[] chain) {

  /** Blocking: reads both files. Vert.x's PEM reader is used because it knows more key formats than the JDK. */
  static PemKeyPair read(Vertx vertx, String certPath, String keyPath) {
    PemKeyCertOptions pem = new PemKeyCertOptions().setCertPath(certPath).setKeyPath(keyPath);
    try {
      KeyStore store = pem.loadKeyStore(vertx);
      for (KeyManager manager : pem.getKeyManagerFactory(vertx).getKeyManagers()) {
        if (manager instanceof X509KeyManager x509) {
          for (String alias : Collections.list(store.aliases())) {
            PrivateKey key = x509.getPrivateKey(alias);
            X509Certificate[] chain = x509.getCertificateChain(alias);
            if (key != null && chain != null && chain.length > 0) {
              return new PemKeyPair(key, chain);
            }
          }
        }
      }
    } catch (Exception e) {
      throw new StartupFailure("Cannot read the TLS certificate " + certPath + " and key " + keyPath + ": "
          + e.getMessage());
    }
    throw new StartupFailure("No private key with a certificate found in " + certPath + " and " + keyPath);
  }
}
