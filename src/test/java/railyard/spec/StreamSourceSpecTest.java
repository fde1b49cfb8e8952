package railyard.spec;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.junit.Assert.assertThrows;

import java.util.List;
import org.joda.time.Duration;
import org.junit.Test;
import railyard.io.filedrop.DropFormat;

/** The {@code mqtt}, {@code pubsub} and {@code watch} source blocks: read, and refused when wrong. */
public class StreamSourceSpecTest {
  private static final String FILE = "examples/stream.yaml";

  private static String spec(String source) {
    return String.join(
        "\n",
        "name: s",
        "source: " + source,
        "schema:",
        "  fields:",
        "    - {name: id, type: string, required: true}",
        "    - {name: ts, type: timestamp}",
        "eventTime: {field: ts}",
        "dedupe: {key: id}",
        "");
  }

  private static SourceSpec source(String source) {
    return SpecLoader.parse(spec(source), FILE).source();
  }

  private static String error(String source) {
    return assertThrows(SpecException.class, () -> SpecLoader.parse(spec(source), FILE))
        .getMessage();
  }

  @Test
  public void readsAnMqttSource() {
    SourceSpec source =
        source(
            "{type: mqtt, mqtt: {server: 'tcp://127.0.0.1:1883', topics: ['railyard/#', 'a/+/b'],"
                + " clientId: plant-7}}");
    assertThat(source.kind(), is(SourceSpec.Kind.MQTT));
    assertThat(
        source.mqtt(),
        equalTo(
            new MqttSourceSpec("tcp://127.0.0.1:1883", List.of("railyard/#", "a/+/b"), "plant-7")));
  }

  @Test
  public void readsMqttCredentialsAndNeverPrintsThePassword() {
    MqttSourceSpec mqtt =
        source(
                "{type: mqtt, mqtt: {server: 'ssl://b:8883', topics: [t], username: plant-7,"
                    + " password: 's3cret pass'}}")
            .mqtt();

    assertThat(mqtt.username(), is("plant-7"));
    assertThat(mqtt.password(), is("s3cret pass"));
    assertThat(mqtt.toString(), not(containsString("s3cret")));
  }

  @Test
  public void refusesAnMqttPasswordWithoutAUser() {
    assertThat(
        error("{type: mqtt, mqtt: {server: 'tcp://b:1883', topics: [t], password: x}}"),
        is(FILE + ": source.mqtt.password: needs a username beside it"));
  }

  @Test
  public void anMqttClientIdDefaultsToOneNamedAfterThePipeline() {
    MqttSourceSpec mqtt = source("{type: mqtt, mqtt: {server: 'tcp://b:1883', topics: [t]}}").mqtt();

    assertThat(mqtt.clientIdFor("orders"), is("railyard-orders"));
    assertThat(mqtt.clientIdFor("a pipeline with a long name"), is("railyard-a_pipeline_wit"));
  }

  @Test
  public void aGivenMqttClientIdIsKept() {
    MqttSourceSpec mqtt =
        source("{type: mqtt, mqtt: {server: 'tcp://b:1883', topics: [t], clientId: plant-7}}").mqtt();

    assertThat(mqtt.clientIdFor("orders"), is("plant-7"));
  }

  @Test
  public void refusesAnMqttSourceWithoutTopicsOrWithABadServerOrClientId() {
    assertThat(
        error("{type: mqtt, mqtt: {server: 'tcp://b:1883', topics: []}}"),
        is(FILE + ": source.mqtt.topics: needs at least one topic filter, e.g. [\"railyard/#\"]"));
    assertThat(
        error("{type: mqtt, mqtt: {server: '127.0.0.1:1883', topics: [t]}}"),
        is(FILE + ": source.mqtt.server: '127.0.0.1:1883' is not a broker URI such as"
            + " tcp://127.0.0.1:1883"));
    assertThat(
        error(
            "{type: mqtt, mqtt: {server: 'tcp://b:1883', topics: [t],"
                + " clientId: a-client-id-of-24-charsx}}"),
        is(FILE + ": source.mqtt.clientId: 'a-client-id-of-24-charsx' is not 1 to 23 letters,"
            + " digits, '-' or '_' (the broker keeps the job's session under it)"));
    assertThat(
        error("{type: mqtt, mqtt: {server: 'tcp://b:1883', topics: [t], clientId: 'plant/7'}}"),
        is(FILE + ": source.mqtt.clientId: 'plant/7' is not 1 to 23 letters, digits, '-' or '_'"
            + " (the broker keeps the job's session under it)"));
    assertThat(error("{type: mqtt}"), is(FILE + ": source.mqtt: is required"));
  }

  @Test
  public void readsAPubsubSource() {
    SourceSpec source =
        source(
            "{type: pubsub, pubsub: {subscription: projects/p/subscriptions/s, idAttribute: id,"
                + " timestampAttribute: ts}}");
    assertThat(source.kind(), is(SourceSpec.Kind.PUBSUB));
    assertThat(
        source.pubsub(), equalTo(new PubsubSourceSpec("projects/p/subscriptions/s", null, "id", "ts")));
  }

  @Test
  public void refusesAPubsubSourceWithBothOrNeitherOrABadPath() {
    assertThat(
        error("{type: pubsub, pubsub: {subscription: projects/p/subscriptions/s,"
            + " topic: projects/p/topics/t}}"),
        is(FILE + ": source.pubsub: give one of subscription and topic"));
    assertThat(
        error("{type: pubsub, pubsub: {idAttribute: id}}"),
        is(FILE + ": source.pubsub: give one of subscription and topic"));
    assertThat(
        error("{type: pubsub, pubsub: {topic: my-topic}}"),
        is(FILE + ": source.pubsub.topic: 'my-topic' is not projects/<project>/topics/<name>"));
  }

  @Test
  public void readsAWatchSourceWithItsDefaults() {
    SourceSpec source = source("{type: watch, path: 'drops/*.jsonl'}");
    assertThat(source.kind(), is(SourceSpec.Kind.WATCH));
    assertThat(
        source.watch(),
        equalTo(new WatchSourceSpec("drops/*.jsonl", Duration.standardSeconds(5), null, null)));
  }

  @Test
  public void readsAWatchSourceWithEveryKey() {
    assertThat(
        source("{type: watch, path: 'drops/*', pollInterval: 1s, format: csv, stopWhenIdleFor: 1m}")
            .watch(),
        equalTo(
            new WatchSourceSpec(
                "drops/*", Duration.standardSeconds(1), DropFormat.CSV, Duration.standardMinutes(1))));
  }

  @Test
  public void refusesAnUnknownFormatAndKeysOfOtherSources() {
    assertThat(
        error("{type: watch, path: 'drops/*', format: xml}"),
        is(FILE + ": source.format: 'xml' is not one of: jsonl, csv"));
    assertThat(
        error("{type: watch, path: 'drops/*', mqtt: {server: 'tcp://b:1883', topics: [t]}}"),
        is(FILE + ": source.mqtt: does not apply when source.type is watch"));
    assertThat(
        error("{type: generator, pollInterval: 1s}"),
        is(FILE + ": source.pollInterval: does not apply when source.type is generator"));
  }
}
