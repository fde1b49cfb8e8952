package railyard.io.generator;

import static org.apache.beam.vendor.guava.v32_1_2_jre.com.google.common.base.Preconditions.checkArgument;

import com.google.auto.value.AutoValue;
import javax.annotation.Nullable;
import org.apache.beam.sdk.io.GenerateSequence;
import org.apache.beam.sdk.io.Read;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import railyard.model.RawEvent;
import railyard.schema.DeclaredSchema;

/**
 * The built-in generator as a source: {@link RawEvent}s made by an {@link EventGenerator}, each
 * timestamped with its receipt time.
 *
 * <pre>{@code
 * PCollection<RawEvent> events = p.apply(
 *     GenerateEvents.generateEvents()
 *         .withConfig(config)
 *         .withSchema(schema)
 *         .withEventIdField("event_id")
 *         .withEventTimeField("ts")
 *         .withUnbounded(true));
 * }</pre>
 *
 * <p>Bounded (the default) makes indices {@code [0, events)} with {@link GenerateSequence}, which
 * any runner splits; unbounded reads a {@link GeneratorSource}, paced to {@code rate}, and ends by
 * itself when {@code events > 0}. Both make the same events.
 */
@AutoValue
public abstract class GenerateEvents extends PTransform<PBegin, PCollection<RawEvent>> {
  private static final long serialVersionUID = 1L;

  abstract GeneratorConfig getConfig();

  abstract @Nullable DeclaredSchema getSchema();

  abstract @Nullable String getEventIdField();

  abstract @Nullable String getEventTimeField();

  abstract String getSourceName();

  abstract boolean isUnbounded();

  abstract Builder toBuilder();

  /** A bounded generator with {@link GeneratorConfig#defaults()} and source name "generator". */
  public static GenerateEvents generateEvents() {
    return new AutoValue_GenerateEvents.Builder()
        .setConfig(GeneratorConfig.defaults())
        .setSourceName(EventGenerator.DEFAULT_SOURCE)
        .setUnbounded(false)
        .build();
  }

  public GenerateEvents withConfig(GeneratorConfig config) {
    checkArgument(config != null, "withConfig(config) called with null");
    return toBuilder().setConfig(config).build();
  }

  public GenerateEvents withSchema(DeclaredSchema schema) {
    checkArgument(schema != null, "withSchema(schema) called with null");
    return toBuilder().setSchema(schema).build();
  }

  public GenerateEvents withEventIdField(String field) {
    checkArgument(field != null, "withEventIdField(field) called with null");
    return toBuilder().setEventIdField(field).build();
  }

  public GenerateEvents withEventTimeField(String field) {
    checkArgument(field != null, "withEventTimeField(field) called with null");
    return toBuilder().setEventTimeField(field).build();
  }

  public GenerateEvents withSourceName(String sourceName) {
    checkArgument(
        sourceName != null && !sourceName.isEmpty(), "withSourceName(name) needs a non-empty name");
    return toBuilder().setSourceName(sourceName).build();
  }

  /** Read as an unbounded source (streaming) instead of a bounded sequence. */
  public GenerateEvents withUnbounded(boolean unbounded) {
    return toBuilder().setUnbounded(unbounded).build();
  }

  /** The generator this transform runs; fails as {@link #expand} would when a setting is missing. */
  public EventGenerator generator() {
    DeclaredSchema schema = getSchema();
    String idField = getEventIdField();
    String timeField = getEventTimeField();
    checkArgument(schema != null, "GenerateEvents needs a schema: call withSchema(schema)");
    checkArgument(idField != null, "GenerateEvents needs the event-id field: call withEventIdField(name)");
    checkArgument(
        timeField != null, "GenerateEvents needs the event-time field: call withEventTimeField(name)");
    checkArgument(
        schema.field(idField).isPresent(),
        "withEventIdField(\"%s\"): no such field in schema '%s'",
        idField,
        schema.table());
    checkArgument(
        schema.field(timeField).isPresent(),
        "withEventTimeField(\"%s\"): no such field in schema '%s'",
        timeField,
        schema.table());
    try {
      return new EventGenerator(getConfig(), schema, idField, timeField, getSourceName());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("withConfig(config): " + e.getMessage(), e);
    }
  }

  @Override
  public PCollection<RawEvent> expand(PBegin input) {
    EventGenerator generator = generator();
    if (isUnbounded()) {
      return input.apply("ReadGenerator", Read.from(new GeneratorSource(generator)));
    }
    long events = getConfig().events();
    checkArgument(
        events > 0,
        "A bounded generator needs GeneratorConfig.events > 0 (got %s): set it in withConfig(config),"
            + " or call withUnbounded(true) for an endless stream",
        events);
    return input
        .apply("GenerateIndices", GenerateSequence.from(0).to(events))
        .apply("MakeEvents", ParDo.of(new MakeEventFn(generator)))
        .setCoder(RawEvent.RawEventCoder.of());
  }

  @Override
  public void populateDisplayData(DisplayData.Builder builder) {
    super.populateDisplayData(builder);
    GeneratorConfig c = getConfig();
    builder
        .add(DisplayData.item("seed", c.seed()))
        .add(DisplayData.item("events", c.events()))
        .add(DisplayData.item("eventsPerSecond", c.eventsPerSecond()))
        .add(DisplayData.item("rate", c.rate()))
        .add(DisplayData.item("sourceName", getSourceName()))
        .add(DisplayData.item("unbounded", isUnbounded()))
        .addIfNotNull(DisplayData.item("schema", getSchema() == null ? null : getSchema().table()));
  }

  @AutoValue.Builder
  abstract static class Builder {
    abstract Builder setConfig(GeneratorConfig config);

    abstract Builder setSchema(DeclaredSchema schema);

    abstract Builder setEventIdField(String field);

    abstract Builder setEventTimeField(String field);

    abstract Builder setSourceName(String sourceName);

    abstract Builder setUnbounded(boolean unbounded);

    abstract GenerateEvents build();
  }

  /** Index to event, at the start of time as a bounded source's (see {@link RawEvent}). */
  private static final class MakeEventFn extends DoFn<Long, RawEvent> {
    private final EventGenerator generator;

    MakeEventFn(EventGenerator generator) {
      this.generator = generator;
    }

    @ProcessElement
    public void process(@Element Long index, OutputReceiver<RawEvent> out) {
      out.output(generator.event(index));
    }
  }
}
