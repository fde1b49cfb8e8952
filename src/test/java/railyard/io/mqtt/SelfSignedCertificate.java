package railyard.io.mqtt;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A certificate for 127.0.0.1 and its key, made by a test with {@code openssl} (PEM files for
 * Mosquitto), and a TLS context that trusts only it (what a client's trust store would hold).
 */
record SelfSignedCertificate(Path certificatePem, Path keyPem) {

  static SelfSignedCertificate make(Path folder) throws Exception {
    Path certificate = folder.resolve("broker.crt");
    Path key = folder.resolve("broker.key");
    PrivateMosquitto.run(
        List.of(
            "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
            "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
            "-keyout", key.toString(), "-out", certificate.toString()));
    return new SelfSignedCertificate(certificate, key);
  }

  /** A trust store holding this certificate alone. */
  KeyStore trustStore() throws Exception {
    Certificate certificate;
    try (InputStream in = Files.newInputStream(certificatePem)) {
      certificate = CertificateFactory.getInstance("X.509").generateCertificate(in);
    }
    KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
    store.load(null, null);
    store.setCertificateEntry("broker", certificate);
    return store;
  }

  /** TLS that trusts this certificate and nothing else. */
  SSLContext trustingIt() throws Exception {
    TrustManagerFactory trust =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trust.init(trustStore());
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, trust.getTrustManagers(), null);
    return context;
  }
}
