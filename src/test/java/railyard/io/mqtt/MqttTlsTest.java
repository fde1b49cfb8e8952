package railyard.io.mqtt;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.Assert.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import javax.net.ssl.SSLContext;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.values.PCollection;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;
import railyard.model.RawEvent;

/**
 * MQTT over TLS ({@code ssl://}) against a second Mosquitto serving a self-signed certificate made
 * here with openssl. The reader's client takes the JVM's default TLS context, so
 * the reader trusts the broker when the JVM's trust store holds its certificate: here the default
 * context is replaced for the test, as {@code -Djavax.net.ssl.trustStore} does for a job.
 */
@RunWith(JUnit4.class)
public class MqttTlsTest {
  @Rule public final transient TemporaryFolder tmp = new TemporaryFolder();
  @Rule public final transient TestPipeline pipeline = TestPipeline.create();

  private SSLContext jvmDefault;

  @Before
  public void keepTheJvmDefault() throws Exception {
    jvmDefault = SSLContext.getDefault();
  }

  @After
  public void restoreTheJvmDefault() {
    SSLContext.setDefault(jvmDefault);
  }

  private ReadMqttEvents read(PrivateMosquitto broker, String filter) throws Exception {
    return ReadMqttEvents.create()
        .withServerUri(broker.uri())
        .withTopics(List.of(filter))
        .withClientId("railyard-tls")
        .withLake(tmp.newFolder().getPath(), "test")
        .withCredentials(PrivateMosquitto.USER, PrivateMosquitto.PASSWORD)
        .withMaxNumRecords(1);
  }

  @Test(timeout = 120_000)
  public void aBrokerWhoseCertificateTheJvmTrustsIsReadOverTls() throws Exception {
    SelfSignedCertificate certificate = SelfSignedCertificate.make(tmp.getRoot().toPath());
    SSLContext trusting = certificate.trustingIt();
    SSLContext.setDefault(trusting);
    String topic = "railyard-test/" + UUID.randomUUID() + "/tls";
    byte[] payload = "{\"id\":\"t1\"}".getBytes(StandardCharsets.UTF_8);
    try (PrivateMosquitto broker =
        PrivateMosquitto.withTls(tmp.getRoot().toPath(), certificate)) {
      assertThat(broker.uri(), containsString("ssl://127.0.0.1:"));
      PCollection<RawEvent> events = pipeline.apply(read(broker, topic));

      PAssert.thatSingleton(events)
          .satisfies(
              event -> {
                assertThat(event.payload(), equalTo(payload));
                assertThat(event.source(), equalTo("mqtt:" + topic));
                return null;
              });
      try (AutoCloseable publisher = broker.publishRepeatedly(topic, payload, trusting, 250)) {
        pipeline.run().waitUntilFinish();
      }
    }
  }

  /**
   * A client retrying a failed TLS handshake would leave a run hanging, silent, so the job checks the handshake before it starts ({@link MqttTlsCheck}, called by the job for an
   * {@code ssl://} source) and refuses with the reason and the fix.
   */
  @Test(timeout = 60_000)
  public void aCertificateTheJvmDoesNotTrustIsRefusedBeforeTheRunWithTheFix() throws Exception {
    SelfSignedCertificate certificate = SelfSignedCertificate.make(tmp.getRoot().toPath());
    try (PrivateMosquitto broker =
        PrivateMosquitto.withTls(tmp.getRoot().toPath(), certificate)) {
      IllegalArgumentException refused =
          assertThrows(IllegalArgumentException.class, () -> MqttTlsCheck.verify(broker.uri()));

      assertThat(refused.getMessage(), containsString("TLS handshake failed"));
      assertThat(refused.getMessage(), containsString("certification path"));
      assertThat(refused.getMessage(), containsString("-Djavax.net.ssl.trustStore"));
    }
  }

  @Test(timeout = 60_000)
  public void aTrustedCertificatePassesTheCheck() throws Exception {
    SelfSignedCertificate certificate = SelfSignedCertificate.make(tmp.getRoot().toPath());
    SSLContext.setDefault(certificate.trustingIt());
    try (PrivateMosquitto broker =
        PrivateMosquitto.withTls(tmp.getRoot().toPath(), certificate)) {
      MqttTlsCheck.verify(broker.uri());
      MqttTlsCheck.verify("tcp://127.0.0.1:1"); // plain TCP is not checked
    }
  }
}
