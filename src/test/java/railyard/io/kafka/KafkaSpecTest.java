package railyard.io.kafka;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.junit.Assert.assertThrows;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;
import railyard.pipelines.Railyard;
import railyard.spec.KafkaSourceSpec;
import railyard.spec.PipelineSpec;
import railyard.spec.SourceSpec;
import railyard.spec.SpecException;
import railyard.spec.SpecLoader;

/** The spec's {@code source.kafka} block and the launch checks of a Kafka source. */
@RunWith(JUnit4.class)
public class KafkaSpecTest {
  private static final String EXAMPLE = "examples/clickstream-kafka.yaml";

  private static final String SPEC =
      """
      name: k
      source:
        type: kafka
        kafka:
          bootstrapServers: "127.0.0.1:9092"
          topics: [a, b]
      schema:
        fields:
          - {name: id, type: string, required: true}
          - {name: ts, type: timestamp}
      eventTime: {field: ts}
      dedupe: {key: id}
      """;

  private static String error(String yaml) {
    return assertThrows(SpecException.class, () -> SpecLoader.parse(yaml, "k.yaml")).getMessage();
  }

  @Test
  public void readsTheKafkaBlock() {
    SourceSpec source = SpecLoader.parse(SPEC, "k.yaml").source();
    assertThat(source.kind(), is(SourceSpec.Kind.KAFKA));
    assertThat(source.kafka(), equalTo(new KafkaSourceSpec("127.0.0.1:9092", List.of("a", "b"), null)));
    assertThat(source.kafka().groupFor("k"), equalTo("railyard-k"));
  }

  @Test
  public void theExampleLoadsWithItsGroup() {
    PipelineSpec spec = SpecLoader.load(Path.of(EXAMPLE));
    assertThat(spec.source().kafka().topics(), equalTo(List.of("clickstream")));
    assertThat(spec.source().kafka().groupFor(spec.name()), equalTo("railyard-clickstream-kafka"));
  }

  @Test
  public void rejectsAnUnknownKeyNamingIt() {
    assertThat(
        error(SPEC.replace("topics: [a, b]", "topics: [a, b]\n    offset: earliest")),
        allOf(containsString("source.kafka.offset"), containsString("unknown key")));
  }

  @Test
  public void needsTopics() {
    assertThat(error(SPEC.replace("    topics: [a, b]\n", "")), containsString("source.kafka.topics"));
    assertThat(error(SPEC.replace("[a, b]", "[]")), containsString("at least one topic"));
  }

  @Test
  public void needsBootstrapServers() {
    assertThat(
        error(SPEC.replace("    bootstrapServers: \"127.0.0.1:9092\"\n", "")),
        containsString("source.kafka.bootstrapServers"));
  }

  @Test
  public void needsTheKafkaBlock() {
    assertThat(
        error(SPEC.replaceAll("(?s)  kafka:.*\\]\n", "")), containsString("source.kafka"));
  }

  @Test
  public void rejectsAKafkaBlockOnAnotherSourceType() {
    assertThat(
        error(SPEC.replace("type: kafka", "type: generator")),
        containsString("only applies when source.type is kafka"));
  }

  @Test
  public void batchModeRefusesKafkaAndPointsToTheLake() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        Railyard.launch(
            new String[] {"--spec=" + EXAMPLE, "--mode=batch"},
            new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    assertThat(code, is(2));
    assertThat(
        err.toString(StandardCharsets.UTF_8),
        allOf(containsString("Kafka is a streaming source"), containsString("--source=lake")));
  }

  @Test
  public void sourceKafkaNeedsTopicsFromTheSpecOrTheCommandLine() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        Railyard.launch(
            new String[] {"--spec=examples/clickstream.yaml", "--source=kafka"},
            new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    assertThat(code, is(2));
    assertThat(err.toString(StandardCharsets.UTF_8), containsString("--kafkaBootstrapServers"));
  }
}
