package railyard.io.collector;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.junit.Assert.assertThrows;

import java.util.List;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;

/** The collector's flags: defaults, and bad values refused with a message naming the flag. */
@RunWith(JUnit4.class)
public class CollectorConfigTest {

  @Test
  public void defaultsAreTheDocumentedOnes() {
    CollectorConfig config = CollectorConfig.defaults();

    assertThat(config.host(), is("127.0.0.1"));
    assertThat(config.port(), is(8080));
    assertThat(config.sink(), is("lake"));
    assertThat(config.maxBodyBytes(), is(1 << 20));
    assertThat(config.topic(), is("clickstream"));
    assertThat(config.mqttTopic(), is("railyard/clickstream"));
  }

  @Test
  public void corsOriginsAreACommaSeparatedList() {
    CollectorConfig config =
        CollectorConfig.parse(new String[] {"--corsOrigins=https://a.example, https://b.example"});

    assertThat(config.corsOrigins(), is(List.of("https://a.example", "https://b.example")));
  }

  @Test
  public void anUnknownFlagIsNamedWithTheUsage() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> CollectorConfig.parse(new String[] {"--prot=1"}));

    assertThat(e.getMessage(), containsString("unknown flag(s) [prot]"));
    assertThat(e.getMessage(), containsString("usage:"));
  }

  @Test
  public void aKeystoreNeedsItsPassword() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> CollectorConfig.parse(new String[] {"--tlsKeystore=/tmp/k.p12"}));

    assertThat(e.getMessage(), containsString("--tlsKeystore needs --tlsPassword"));
  }

  @Test
  public void aNumberFlagMustBeANumber() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> CollectorConfig.parse(new String[] {"--maxBodyBytes=1MB"}));

    assertThat(e.getMessage(), containsString("--maxBodyBytes must be a whole number"));
  }

  @Test
  public void aPubsubSinkNeedsItsTopic() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> CollectorConfig.parse(new String[] {"--sink=pubsub"}));

    assertThat(e.getMessage(), containsString("--sink=pubsub needs --pubsubTopic"));
  }

  @Test
  public void aPubsubTopicMustBeAFullTopicName() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                Sinks.open(
                    CollectorConfig.parse(
                        new String[] {"--sink=pubsub", "--pubsubTopic=clicks", "--pubsubEmulator=127.0.0.1:1"})));

    assertThat(e.getMessage(), containsString("projects/<project>/topics/<topic>"));
  }
}
