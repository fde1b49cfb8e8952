package railyard.io.generator;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;
import javax.annotation.Nullable;
import railyard.model.RawEvent;
import railyard.schema.DeclaredSchema;
import railyard.schema.FieldKind;
import railyard.schema.FieldSpec;

/**
 * Makes the generator's events. {@link #event(long)} is a pure function of the seed and the index,
 * so any worker can make any event, in any order, and a bounded and an unbounded run agree.
 *
 * <p>Each index draws from its own {@link SplittableRandom}, seeded by mixing the seed and the
 * index: no state is shared between calls. One uniform draw decides what the event is:
 *
 * <ul>
 *   <li>a <b>duplicate</b> (share {@code duplicateShare}): the byte-identical payload of one of the
 *       20 events before it, received now;
 *   <li><b>malformed</b> ({@code malformedShare}): a broken payload, see {@link Malformation};
 *   <li><b>late</b> ({@code lateShare}): event time {@code receivedAt - maxOutOfOrder - u}, u in
 *       (0, maxLateness], so it is behind the source's watermark when it is emitted;
 *   <li>otherwise <b>ordinary</b>: event time {@code receivedAt - u}, u in [0, maxOutOfOrder].
 * </ul>
 */
public final class EventGenerator implements Serializable {
  private static final long serialVersionUID = 1L;

  public static final String DEFAULT_SOURCE = "generator";
  /** How far back a duplicate may reach. */
  public static final int DUPLICATE_HORIZON = 20;

  /** What one index turned out to be; for diagnostics and tests. */
  public enum Kind {
    ORDINARY,
    LATE,
    DUPLICATE,
    MALFORMED
  }

  private final GeneratorConfig config;
  private final DeclaredSchema schema;
  private final String eventIdField;
  private final String eventTimeField;
  private final String sourceName;
  private final List<FieldValues> fields;
  /** Writes valid payloads; null when field names repeat, which only the map path merges. */
  private final @Nullable FlatJson json;
  private final String idPrefix;
  private final FlatJson.Text idPrefixText;
  private final long startMillis;
  private final long maxOutOfOrderMillis;
  private final long maxLatenessMillis;

  public EventGenerator(
      GeneratorConfig config, DeclaredSchema schema, String eventIdField, String eventTimeField) {
    this(config, schema, eventIdField, eventTimeField, DEFAULT_SOURCE);
  }

  public EventGenerator(
      GeneratorConfig config,
      DeclaredSchema schema,
      String eventIdField,
      String eventTimeField,
      String sourceName) {
    this.config = Objects.requireNonNull(config, "config");
    this.schema = Objects.requireNonNull(schema, "schema");
    this.eventIdField = Objects.requireNonNull(eventIdField, "eventIdField");
    this.eventTimeField = Objects.requireNonNull(eventTimeField, "eventTimeField");
    this.sourceName = Objects.requireNonNull(sourceName, "sourceName");
    checkConfig(config);
    checkDeclared(schema, eventIdField, "event-id");
    checkDeclared(schema, eventTimeField, "event-time");
    List<FieldValues> values = new ArrayList<>();
    for (FieldSpec field : schema.fields()) {
      values.add(new FieldValues(field));
    }
    this.fields = List.copyOf(values);
    List<String> names = schema.fields().stream().map(FieldSpec::name).toList();
    this.json = Set.copyOf(names).size() == names.size() ? new FlatJson(names) : null;
    this.idPrefix = "e-" + Long.toString(mix(config.seed()) >>> 40, 36) + "-";
    this.idPrefixText = FlatJson.Text.of(idPrefix);
    this.startMillis = config.start().getMillis();
    this.maxOutOfOrderMillis = config.maxOutOfOrder().getMillis();
    this.maxLatenessMillis = config.maxLateness().getMillis();
  }

  public GeneratorConfig config() {
    return config;
  }

  public DeclaredSchema schema() {
    return schema;
  }

  public String eventIdField() {
    return eventIdField;
  }

  public String eventTimeField() {
    return eventTimeField;
  }

  public String sourceName() {
    return sourceName;
  }

  /** Event {@code index}, received at {@link #receivedAt(long)}. */
  public RawEvent event(long index) {
    Draw d = draw(index);
    long original = index;
    while (d.kind == Kind.DUPLICATE) {
      original = d.duplicateOf;
      d = draw(original);
    }
    return new RawEvent(sourceName, receivedAt(index), payload(original, d), Map.of());
  }

  /** {@code start + floor(index * 1000 / eventsPerSecond)} in epoch milliseconds. */
  public long receivedAt(long index) {
    return startMillis + (long) Math.floor(index * 1000.0 / config.eventsPerSecond());
  }

  /** The id written in event {@code index}'s event-id field (a duplicate repeats its original's). */
  public String eventId(long index) {
    return idPrefix + index;
  }

  /** What event {@code index} is. */
  public Kind kind(long index) {
    return draw(index).kind;
  }

  /** The index whose payload event {@code index} carries: itself unless it is a duplicate. */
  public long originalOf(long index) {
    long current = index;
    Draw d = draw(current);
    while (d.kind == Kind.DUPLICATE) {
      current = d.duplicateOf;
      d = draw(current);
    }
    return current;
  }

  /** The payload of {@code original}, a non-duplicate index, given its draw. */
  private byte[] payload(long original, Draw d) {
    SplittableRandom rng = d.rng;
    long receivedAt = receivedAt(original);
    long eventTime =
        d.kind == Kind.LATE
            ? receivedAt - maxOutOfOrderMillis - 1 - rng.nextLong(Math.max(1, maxLatenessMillis))
            : receivedAt - rng.nextLong(maxOutOfOrderMillis + 1);
    Object[] values = new Object[fields.size()];
    for (int i = 0; i < values.length; i++) {
      FieldValues f = fields.get(i);
      String name = f.spec().name();
      if (name.equals(eventIdField)) {
        values[i] = new FlatJson.Numbered(idPrefixText, original);
      } else if (name.equals(eventTimeField)) {
        values[i] = f.spec().kind() == FieldKind.LONG ? eventTime : FieldValues.isoMillis(eventTime);
      } else {
        values[i] = f.next(rng, eventTime);
      }
    }
    if (d.kind != Kind.MALFORMED && json != null) {
      return json.write(values);
    }
    Map<String, Object> doc = new LinkedHashMap<>();
    for (int i = 0; i < values.length; i++) {
      doc.put(fields.get(i).spec().name(), FlatJson.plain(values[i]));
    }
    if (d.kind == Kind.MALFORMED) {
      return Malformation.draw(rng).apply(doc, fields, eventIdField, rng);
    }
    return Malformation.write(doc);
  }

  private Draw draw(long index) {
    SplittableRandom rng = new SplittableRandom(mix(mix(config.seed()) + index * 0x9E3779B97F4A7C15L));
    double u = rng.nextDouble();
    double duplicate = config.duplicateShare();
    double malformed = duplicate + config.malformedShare();
    double late = malformed + config.lateShare();
    if (u < duplicate && index > 0) {
      long back = 1 + rng.nextInt((int) Math.min(DUPLICATE_HORIZON, index));
      return new Draw(Kind.DUPLICATE, index - back, rng);
    } else if (u >= duplicate && u < malformed) {
      return new Draw(Kind.MALFORMED, -1, rng);
    } else if (u >= malformed && u < late) {
      return new Draw(Kind.LATE, -1, rng);
    }
    return new Draw(Kind.ORDINARY, -1, rng);
  }

  /** Stafford's variant 13 of the 64-bit finalizer: adjacent inputs give unrelated outputs. */
  static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  private static void checkConfig(GeneratorConfig c) {
    check(c.events() >= 0, "GeneratorConfig.events must be >= 0, got " + c.events());
    check(
        c.eventsPerSecond() > 0 && Double.isFinite(c.eventsPerSecond()),
        "GeneratorConfig.eventsPerSecond must be > 0, got " + c.eventsPerSecond());
    check(c.rate() >= 0 && Double.isFinite(c.rate()), "GeneratorConfig.rate must be >= 0, got " + c.rate());
    Objects.requireNonNull(c.start(), "GeneratorConfig.start");
    checkShare("duplicateShare", c.duplicateShare());
    checkShare("malformedShare", c.malformedShare());
    checkShare("lateShare", c.lateShare());
    double sum = c.duplicateShare() + c.malformedShare() + c.lateShare();
    check(sum <= 1.0, "GeneratorConfig shares (duplicate + malformed + late) must sum to <= 1, got " + sum);
    check(
        c.maxOutOfOrder() != null && c.maxOutOfOrder().getMillis() >= 0,
        "GeneratorConfig.maxOutOfOrder must be >= 0");
    check(
        c.maxLateness() != null && c.maxLateness().getMillis() >= 0,
        "GeneratorConfig.maxLateness must be >= 0");
  }

  private static void checkShare(String name, double share) {
    check(share >= 0 && share <= 1, "GeneratorConfig." + name + " must be in [0, 1], got " + share);
  }

  private static void checkDeclared(DeclaredSchema schema, String field, String role) {
    check(
        schema.field(field).isPresent(),
        "The " + role + " field '" + field + "' is not declared in schema '" + schema.table() + "'");
  }

  private static void check(boolean condition, String message) {
    if (!condition) {
      throw new IllegalArgumentException(message);
    }
  }

  /** One index's decision, and its random stream positioned after the decision draws. */
  private record Draw(Kind kind, long duplicateOf, SplittableRandom rng) {}
}
