package railyard.io.mqtt;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.security.NoSuchAlgorithmException;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;

/**
 * Checks, before a job starts, that this JVM completes a TLS handshake with an {@code ssl://} or
 * {@code tls://} broker. Why: MqttIO's client uses the JVM's default TLS context and retries a
 * failed handshake without end, so a broker whose certificate the JVM does not trust would leave
 * the job connecting forever with no error.
 */
public final class MqttTlsCheck {
  private static final int TIMEOUT_MILLIS = 10_000;

  private MqttTlsCheck() {}

  /** Does nothing for {@code tcp://}; throws with the reason when the handshake fails. */
  public static void verify(String serverUri) {
    URI uri = URI.create(serverUri);
    if (!"ssl".equals(uri.getScheme()) && !"tls".equals(uri.getScheme())) {
      return;
    }
    int port = uri.getPort() > 0 ? uri.getPort() : 8883;
    try (SSLSocket socket =
        (SSLSocket) SSLContext.getDefault().getSocketFactory().createSocket()) {
      socket.connect(new InetSocketAddress(uri.getHost(), port), TIMEOUT_MILLIS);
      socket.setSoTimeout(TIMEOUT_MILLIS);
      socket.startHandshake();
    } catch (SSLException e) {
      throw new IllegalArgumentException(
          serverUri
              + ": the TLS handshake failed ("
              + e.getMessage()
              + "). MQTT over TLS uses the JVM's trust store: add the broker's certificate, or its"
              + " CA's, to it (-Djavax.net.ssl.trustStore=… -Djavax.net.ssl.trustStorePassword=…)",
          e);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          serverUri + ": cannot reach the broker for a TLS handshake (" + e.getMessage() + ")", e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("this JVM has no default TLS context", e);
    }
  }
}
