package railyard.spec;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.Assert.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** Each way a spec can be wrong, rejected with a message naming the file and the key path. */
public class SpecValidationTest {

  private static final String FILE = "examples/bad.yaml";

  private static final String VALID =
      """
      name: test
      source:
        type: generator
        generator:
          duplicates: 0.1
      schema:
        fields:
          - {name: id, type: string, required: true}
          - {name: user, type: string}
          - {name: amount, type: double, min: 0, max: 10}
          - {name: ts, type: timestamp}
      eventTime:
        field: ts
      dedupe:
        key: id
      limits:
        maxDepth: 8
      views:
        - name: v0
          window: {type: fixed, size: 1m}
          metrics:
            - {op: count}
        - name: v1
          window: {type: sliding, size: 5m, period: 1m}
          groupBy: [user]
          metrics:
            - {op: sum, field: amount}
      """;

  @Rule public TemporaryFolder tmp = new TemporaryFolder();

  /** The valid spec with one fragment replaced; fails the test if the fragment is not there. */
  private static String with(String from, String to) {
    assertThat("fragment to replace: " + from, VALID.contains(from), is(true));
    return VALID.replace(from, to);
  }

  private static String error(String yaml) {
    return assertThrows(SpecException.class, () -> SpecLoader.parse(yaml, FILE)).getMessage();
  }

  @Test
  public void validSpecLoads() {
    PipelineSpec spec = SpecLoader.parse(VALID, FILE);
    assertThat(spec.views().size(), is(2));
    assertThat(spec.views().get(1).metrics().get(0).name(), is("sum_amount"));
    assertThat(spec.schema().table(), is("test"));
  }

  @Test
  public void badDurationIsNamedWithItsPath() {
    assertThat(
        error(with("size: 5m", "size: 5 minutes")),
        is(FILE + ": views[1].window.size: '5 minutes' is not a duration (use e.g. 30s, 5m, 1h)"));
  }

  @Test
  public void numberIsNotADuration() {
    assertThat(
        error(with("key: id", "key: id\n  horizon: 600")),
        startsWith(FILE + ": dedupe.horizon: 600 is not a duration"));
  }

  @Test
  public void unknownTopLevelKeyIsRejected() {
    assertThat(
        error(VALID + "colour: red\n"),
        startsWith(FILE + ": colour: unknown key (expected one of: name, source,"));
  }

  @Test
  public void unknownNestedKeyIsRejected() {
    assertThat(
        error(with("{type: fixed, size: 1m}", "{type: fixed, sise: 1m}")),
        startsWith(FILE + ": views[0].window.sise: unknown key"));
  }

  @Test
  public void wrongTypeIsRejected() {
    assertThat(
        error(with("maxDepth: 8", "maxDepth: deep")),
        is(FILE + ": limits.maxDepth: 'deep' is not a whole number (up to 2147483647)"));
  }

  @Test
  public void yesIsNotABoolean() {
    assertThat(
        error(with("required: true", "required: yes")),
        is(FILE + ": schema.fields[0].required: 'yes' is not a boolean (use true or false)"));
  }

  @Test
  public void missingRequiredKeyIsRejected() {
    assertThat(error(with("dedupe:\n  key: id\n", "")), is(FILE + ": dedupe: is required"));
  }

  @Test
  public void missingFieldTypeIsRejected() {
    assertThat(
        error(with("{name: user, type: string}", "{name: user}")),
        is(FILE + ": schema.fields[1].type: is required"));
  }

  @Test
  public void unknownWindowTypeIsRejected() {
    assertThat(
        error(with("type: fixed", "type: tumbling")),
        is(FILE + ": views[0].window.type: 'tumbling' is not one of: fixed, sliding, session"));
  }

  @Test
  public void unknownSourceTypeIsRejected() {
    assertThat(
        error(with("type: generator", "type: carrier-pigeon")),
        startsWith(FILE + ": source.type: 'carrier-pigeon' is not one of: generator, lake, file"));
  }

  @Test
  public void unknownMetricOpIsRejected() {
    assertThat(
        error(with("{op: count}", "{op: avg, field: amount}")),
        startsWith(FILE + ": views[0].metrics[0].op: 'avg' is not one of: count, sum,"));
  }

  @Test
  public void duplicateViewNameIsRejected() {
    assertThat(
        error(with("name: v1", "name: v0")),
        is(FILE + ": views[1].name: duplicate view name 'v0'"));
  }

  @Test
  public void duplicateFieldNameIsRejected() {
    assertThat(
        error(with("{name: user, type: string}", "{name: id, type: string}")),
        is(FILE + ": schema.fields[1].name: duplicate field name 'id'"));
  }

  @Test
  public void duplicateMetricNameIsRejected() {
    assertThat(
        error(with("- {op: count}", "- {op: count}\n      - {op: count}")),
        is(FILE + ": views[0].metrics[1].name: duplicate metric name 'count'"));
  }

  @Test
  public void groupByFieldNotInSchemaIsRejected() {
    assertThat(
        error(with("groupBy: [user]", "groupBy: [usr]")),
        is(
            FILE
                + ": views[1].groupBy[0]: 'usr' is not a field of the schema"
                + " (fields: id, user, amount, ts)"));
  }

  @Test
  public void metricFieldNotInSchemaIsRejected() {
    assertThat(
        error(with("{op: sum, field: amount}", "{op: sum, field: price}")),
        startsWith(FILE + ": views[1].metrics[0].field: 'price' is not a field of the schema"));
  }

  @Test
  public void sumOfAStringFieldIsRejected() {
    assertThat(
        error(with("{op: sum, field: amount}", "{op: sum, field: user}")),
        is(FILE + ": views[1].metrics[0].field: sum needs a numeric field, but 'user' is string"));
  }

  @Test
  public void meanOfATimestampIsRejected() {
    assertThat(
        error(with("{op: sum, field: amount}", "{op: mean, field: ts}")),
        startsWith(FILE + ": views[1].metrics[0].field: mean needs a numeric field"));
  }

  @Test
  public void maxOfATimestampIsAccepted() {
    assertThat(
        SpecLoader.parse(with("{op: sum, field: amount}", "{op: max, field: ts}"), FILE)
            .views()
            .get(1)
            .metrics()
            .get(0)
            .name(),
        is("max_ts"));
  }

  @Test
  public void minOfAStringIsRejected() {
    assertThat(
        error(with("{op: sum, field: amount}", "{op: min, field: user}")),
        is(FILE + ": views[1].metrics[0].field: min needs a numeric or timestamp field, but 'user' is string"));
  }

  @Test
  public void distinctOfAStringIsAccepted() {
    assertThat(
        SpecLoader.parse(with("{op: sum, field: amount}", "{op: distinct, field: user}"), FILE)
            .views()
            .get(1)
            .metrics()
            .get(0)
            .name(),
        is("distinct_user"));
  }

  @Test
  public void countWithAFieldIsRejected() {
    assertThat(
        error(with("{op: count}", "{op: count, field: user}")),
        startsWith(FILE + ": views[0].metrics[0].field: count counts events and takes no field"));
  }

  @Test
  public void slidingPeriodLongerThanSizeIsRejected() {
    assertThat(
        error(with("size: 5m, period: 1m", "size: 5m, period: 10m")),
        is(FILE + ": views[1].window.period: period 10m is longer than the window size 5m"));
  }

  @Test
  public void slidingPeriodThatDoesNotDivideSizeIsRejected() {
    assertThat(
        error(with("size: 5m, period: 1m", "size: 5m, period: 2m")),
        is(FILE + ": views[1].window.period: period 2m does not divide the window size 5m"));
  }

  @Test
  public void slidingWindowWithoutPeriodIsRejected() {
    assertThat(
        error(with("size: 5m, period: 1m", "size: 5m")),
        is(FILE + ": views[1].window.period: is required"));
  }

  @Test
  public void gapOnAFixedWindowIsRejected() {
    assertThat(
        error(with("{type: fixed, size: 1m}", "{type: fixed, size: 1m, gap: 5m}")),
        is(FILE + ": views[0].window.gap: does not apply to a fixed window"));
  }

  @Test
  public void zeroWindowSizeIsRejected() {
    assertThat(
        error(with("{type: fixed, size: 1m}", "{type: fixed, size: 0s}")),
        is(FILE + ": views[0].window.size: must be longer than 0"));
  }

  @Test
  public void nonTimestampEventTimeFieldIsRejected() {
    assertThat(
        error(with("field: ts", "field: user")),
        is(
            FILE
                + ": eventTime.field: 'user' is not a timestamp field; event time must come from"
                + " one"));
  }

  @Test
  public void dedupeKeyNotInSchemaIsRejected() {
    assertThat(
        error(with("key: id", "key: event_id")),
        startsWith(FILE + ": dedupe.key: 'event_id' is not a field of the schema"));
  }

  @Test
  public void shareAboveOneIsRejected() {
    assertThat(
        error(with("duplicates: 0.1", "duplicates: 1.5")),
        is(FILE + ": source.generator.duplicates: a share must be between 0 and 1, got 1.5"));
  }

  @Test
  public void negativeShareIsRejected() {
    assertThat(
        error(with("duplicates: 0.1", "late: -0.1")),
        startsWith(FILE + ": source.generator.late: a share must be between 0 and 1"));
  }

  @Test
  public void minAboveMaxIsRejected() {
    assertThat(
        error(with("min: 0, max: 10", "min: 20, max: 10")),
        is(FILE + ": schema.fields[2].min: min 20.0 is greater than max 10.0"));
  }

  @Test
  public void minOnAStringFieldIsRejected() {
    assertThat(
        error(with("{name: user, type: string}", "{name: user, type: string, min: 1}")),
        is(FILE + ": schema.fields[1].min: only applies to numeric fields"));
  }

  @Test
  public void unquotedNoStaysAString() {
    PipelineSpec spec =
        SpecLoader.parse(
            with("{name: user, type: string}", "{name: user, type: string, allowed: [SE, NO]}"),
            FILE);
    assertThat(spec.schema().field("user").orElseThrow().allowed().get(1), is("NO"));
  }

  @Test
  public void upperCaseAllowedValueOfALowerCasedFieldIsRejected() {
    assertThat(
        error(
            with(
                "{name: user, type: string}",
                "{name: user, type: string, lowercase: true, allowed: [ann, Bob]}")),
        startsWith(FILE + ": schema.fields[1].allowed[1]: 'Bob' can never match"));
  }

  @Test
  public void generatorBlockOnALakeSourceIsRejected() {
    assertThat(
        error(with("type: generator", "type: lake")),
        is(FILE + ": source.generator: only applies when source.type is generator, not lake"));
  }

  @Test
  public void fileSourceNeedsAPath() {
    assertThat(
        error(with("  type: generator\n  generator:\n    duplicates: 0.1\n", "  type: file\n")),
        is(FILE + ": source.path: is required"));
  }

  @Test
  public void invalidPipelineNameIsRejected() {
    assertThat(
        error(with("name: test", "name: My Pipeline")),
        startsWith(FILE + ": name: 'My Pipeline' is not a valid pipeline name"));
  }

  @Test
  public void duplicateYamlKeyIsRejected() {
    assertThat(
        error(with("field: ts", "field: ts\n  field: ts")),
        startsWith(FILE + ": eventTime.field: duplicate key (line"));
  }

  @Test
  public void brokenYamlNamesTheFileAndLine() {
    assertThat(error(VALID + "views: [\n"), startsWith(FILE + ": "));
    assertThat(error(VALID + "views: [\n"), containsString("line "));
  }

  @Test
  public void emptySpecIsRejected() {
    assertThat(error(""), startsWith(FILE + ": the spec is empty"));
  }

  @Test
  public void listWhereAMappingBelongsIsRejected() {
    assertThat(
        error(with("eventTime:\n  field: ts\n", "eventTime: [ts]\n")),
        startsWith(FILE + ": eventTime: a list is not a mapping"));
  }

  @Test
  public void loadNamesTheFileItWasGiven() throws IOException {
    Path file = tmp.newFile("bad.yaml").toPath();
    Files.writeString(file, with("type: fixed", "type: tumbling"));
    SpecException e = assertThrows(SpecException.class, () -> SpecLoader.load(file));
    assertThat(e.getMessage(), startsWith(file + ": views[0].window.type: "));
    assertThat(e.keyPath(), is("views[0].window.type"));
  }

  @Test
  public void missingFileIsASpecException() {
    Path file = tmp.getRoot().toPath().resolve("absent.yaml");
    assertThat(
        assertThrows(SpecException.class, () -> SpecLoader.load(file)).getMessage(),
        startsWith(file + ": cannot read the spec"));
  }
}
