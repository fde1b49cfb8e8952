package railyard.transforms;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.Row;
import org.joda.time.Duration;
import org.joda.time.Instant;
import railyard.model.RawEvent;
import railyard.schema.DeclaredSchema;
import railyard.schema.FieldKind;
import railyard.schema.FieldSpec;
import railyard.schema.MetricSpec;
import railyard.schema.ViewSpec;
import railyard.schema.WindowSpec;

/** A small purchase schema and builders of its events and rows, shared by the transform tests. */
final class Events {
  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  static final DeclaredSchema SCHEMA =
      new DeclaredSchema(
          "purchases",
          1,
          List.of(
              FieldSpec.of("id", FieldKind.STRING).asRequired(),
              FieldSpec.of("user", FieldKind.STRING).asRequired(),
              new FieldSpec(
                  "country", FieldKind.STRING, false, null, null, List.of("us", "fr", "de"), true,
                  true, null, false, null),
              new FieldSpec(
                  "amount", FieldKind.DOUBLE, false, 0.0, 1000.0, List.of(), false, false, null,
                  false, null),
              new FieldSpec(
                  "quantity", FieldKind.LONG, false, null, null, List.of(), false, false, null,
                  true, null),
              new FieldSpec(
                  "note", FieldKind.STRING, false, null, null, List.of(), false, false, 10, false,
                  null),
              FieldSpec.of("ts", FieldKind.TIMESTAMP).asRequired()));

  private Events() {}

  /** Preparation of {@link #SCHEMA}: an hour of allowed skew, ten minutes of dedupe horizon. */
  static PrepareEvents prepare() {
    return PrepareEvents.of(SCHEMA)
        .withEventIdField("id")
        .withEventTimeField("ts")
        .withAllowedSkew(Duration.standardHours(1))
        .withDedupeHorizon(Duration.standardMinutes(10));
  }

  /** {@code events}, bounded, through {@link #prepare()}. */
  static WithDeadLetters<Row> prepare(TestPipeline pipeline, RawEvent... events) {
    return pipeline.apply(Create.of(List.of(events))).apply(prepare());
  }

  /** A raw event received at {@code receivedAt} carrying {@code json}. */
  static RawEvent raw(String json, Instant receivedAt) {
    return new RawEvent("test", receivedAt.getMillis(), json.getBytes(StandardCharsets.UTF_8), Map.of());
  }

  static RawEvent raw(String json) {
    return raw(json, T0);
  }

  static String purchase(String id, String user, String country, double amount, Instant ts) {
    return String.format(
        "{\"id\":\"%s\",\"user\":\"%s\",\"country\":\"%s\",\"amount\":%s,\"ts\":\"%s\"}",
        id, user, country, amount, ts);
  }

  /** A clean row as preparation would make it, received at its event time. */
  static Row row(String id, String user, String country, double amount, Instant ts) {
    return Row.withSchema(SCHEMA.rowSchema())
        .addValues(id, user, country, amount, null, null, ts, id, ts, ts, "test")
        .build();
  }

  static ViewSpec view(String name, WindowSpec window, Duration early, Duration lateness) {
    return new ViewSpec(
        name,
        window,
        List.of("country"),
        List.of(
            new MetricSpec("events", MetricSpec.Op.COUNT, null),
            new MetricSpec("revenue", MetricSpec.Op.SUM, "amount"),
            new MetricSpec("smallest", MetricSpec.Op.MIN, "amount"),
            new MetricSpec("largest", MetricSpec.Op.MAX, "amount"),
            new MetricSpec("average", MetricSpec.Op.MEAN, "amount"),
            new MetricSpec("buyers", MetricSpec.Op.DISTINCT, "user")),
        early,
        lateness);
  }
}
