package railyard.io.generator;

import java.io.Serializable;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * What the built-in generator makes. Event {@code i} is a pure function of the seed and {@code i},
 * so a bounded and an unbounded run of the same config make the same events.
 *
 * @param seed the random seed
 * @param events how many events to make; in streaming, 0 means without end
 * @param eventsPerSecond event-time density: receipt time advances {@code 1/eventsPerSecond} per
 *     event, whatever the wall clock does
 * @param rate wall-clock pacing of an unbounded run in events per second; 0 for as fast as possible
 * @param start receipt time of the first event
 * @param duplicateShare share of events that are resends of a recent event (same bytes, same id)
 * @param malformedShare share of events that are broken: bad JSON, wrong types, missing fields,
 *     invalid UTF-8, oversized or deeply nested documents
 * @param lateShare share of events whose event time is behind the watermark
 * @param maxOutOfOrder how far an ordinary event's time may trail its receipt; the unbounded
 *     source's watermark trails receipt time by this much, so ordinary events are never late
 * @param maxLateness how far behind the watermark a late event may fall
 */
public record GeneratorConfig(
    long seed,
    long events,
    double eventsPerSecond,
    double rate,
    Instant start,
    double duplicateShare,
    double malformedShare,
    double lateShare,
    Duration maxOutOfOrder,
    Duration maxLateness)
    implements Serializable {

  public static GeneratorConfig defaults() {
    return new GeneratorConfig(
        42L,
        100_000L,
        100.0,
        0.0,
        Instant.parse("2026-01-01T00:00:00Z"),
        0.02,
        0.01,
        0.02,
        Duration.standardSeconds(10),
        Duration.standardMinutes(2));
  }
}
