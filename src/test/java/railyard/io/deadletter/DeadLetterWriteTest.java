package railyard.io.deadletter;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.is;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.TimestampedValue;
import org.joda.time.Instant;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;
import railyard.io.files.Partitions;
import railyard.io.files.WrittenFiles;
import railyard.model.DeadLetter;
import railyard.model.DeadLetter.Stage;
import railyard.model.RawEvent;

/** Dead letters become JSON lines with their reason and the exact original bytes. */
@RunWith(JUnit4.class)
public class DeadLetterWriteTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Rule public final transient TemporaryFolder tmp = new TemporaryFolder();
  @Rule public final transient TestPipeline pipeline = TestPipeline.create();

  private static final byte[] INVALID_UTF8 = {'{', (byte) 0xC3, (byte) 0x28, '\n', (byte) 0xFF, '}'};
  private static final DeadLetter MALFORMED =
      new DeadLetter(
          Stage.PARSE,
          "malformed_json",
          "Unexpected character at 1:2",
          INVALID_UTF8,
          "kafka:orders/0/9",
          Instant.parse("2026-01-01T10:20:30.456Z").getMillis(),
          Instant.parse("2026-01-01T10:20:31Z").getMillis());
  private static final DeadLetter OUT_OF_RANGE =
      DeadLetter.of(
          Stage.VALIDATE,
          "out_of_range",
          "amount -1 < min 0",
          new RawEvent(
              "http",
              Instant.parse("2026-01-02T00:00:00Z").getMillis(),
              "{\"amount\": -1, \"note\": \"Zoë\"}".getBytes(StandardCharsets.UTF_8),
              Map.of()));

  private Path deadLetters() {
    return tmp.getRoot().toPath().resolve("deadletter/orders");
  }

  private DeadLetterWrite write() {
    return DeadLetterWrite.create()
        .withRoot(tmp.getRoot().getAbsolutePath())
        .withPipelineName("orders");
  }

  /** Every line written, as JSON, with the partition of the file it is in as "_partition". */
  private List<JsonNode> linesWritten() {
    List<JsonNode> lines = new ArrayList<>();
    try {
      for (String file : WrittenFiles.under(deadLetters())) {
        for (String line : Files.readAllLines(deadLetters().resolve(file), StandardCharsets.UTF_8)) {
          JsonNode node = JSON.readTree(line);
          ((com.fasterxml.jackson.databind.node.ObjectNode) node)
              .put("_partition", WrittenFiles.partitionOf(file));
          lines.add(node);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return lines;
  }

  private static JsonNode lineWithReason(List<JsonNode> lines, String reason) {
    return lines.stream().filter(l -> l.get("reason").asText().equals(reason)).findFirst().orElseThrow();
  }

  @Test
  public void eachLineCarriesStageReasonMessageAndTimes() {
    pipeline.apply(Create.of(MALFORMED, OUT_OF_RANGE)).apply(write());
    pipeline.run().waitUntilFinish();

    JsonNode line = lineWithReason(linesWritten(), "malformed_json");
    assertThat(line.get("stage").asText(), is("parse"));
    assertThat(line.get("message").asText(), is("Unexpected character at 1:2"));
    assertThat(line.get("source").asText(), is("kafka:orders/0/9"));
    assertThat(line.get("received_at").asLong(), is(MALFORMED.receivedAt()));
    assertThat(line.get("failed_at").asLong(), is(MALFORMED.failedAt()));
  }

  @Test
  public void payloadBase64IsTheExactBytesAndPayloadTextTheirUtf8Reading() {
    pipeline.apply(Create.of(MALFORMED, OUT_OF_RANGE)).apply(write());
    pipeline.run().waitUntilFinish();

    List<JsonNode> lines = linesWritten();
    JsonNode malformed = lineWithReason(lines, "malformed_json");
    assertThat(Base64.getDecoder().decode(malformed.get("payload_base64").asText()), is(INVALID_UTF8));
    assertThat(malformed.get("payload_text").asText(), is(MALFORMED.payloadText()));
    JsonNode outOfRange = lineWithReason(lines, "out_of_range");
    assertThat(outOfRange.get("payload_text").asText(), is("{\"amount\": -1, \"note\": \"Zoë\"}"));
  }

  @Test
  public void filesAreJsonLinesInTheHourOfReceipt() {
    pipeline.apply(Create.of(MALFORMED, OUT_OF_RANGE)).apply(write());
    pipeline.run().waitUntilFinish();

    assertThat(WrittenFiles.under(deadLetters()), everyItem(endsWith(".json")));
    assertThat(
        WrittenFiles.partitionsUnder(deadLetters()),
        contains("dt=2026-01-01/hr=10", "dt=2026-01-02/hr=00"));
    for (JsonNode line : linesWritten()) {
      assertThat(
          line.get("_partition").asText(), is(Partitions.hourly(line.get("received_at").asLong())));
    }
  }

  @Test
  public void unboundedDeadLettersLandInTheHourOfReceipt() {
    TestStream<DeadLetter> stream =
        TestStream.create(DeadLetter.DeadLetterCoder.of())
            .addElements(TimestampedValue.of(MALFORMED, new Instant(MALFORMED.receivedAt())))
            .advanceWatermarkTo(Instant.parse("2026-01-01T12:00:00Z"))
            .addElements(TimestampedValue.of(OUT_OF_RANGE, new Instant(OUT_OF_RANGE.receivedAt())))
            .advanceWatermarkToInfinity();

    pipeline.apply(stream).apply(write());
    pipeline.run().waitUntilFinish();

    List<JsonNode> lines = linesWritten();
    assertThat(
        lines.stream().map(l -> l.get("_partition").asText() + " " + l.get("reason").asText()).toList(),
        containsInAnyOrder("dt=2026-01-01/hr=10 malformed_json", "dt=2026-01-02/hr=00 out_of_range"));
  }
}
