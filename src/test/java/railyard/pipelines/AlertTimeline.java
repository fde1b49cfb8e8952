package railyard.pipelines;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.values.TimestampedValue;
import org.joda.time.Instant;
import railyard.model.RawEvent;

/**
 * Minutes of traffic for the alert tests, as raw events with their receipt times: steady minutes,
 * and the faults a test injects into some of them.
 */
final class AlertTimeline {
  static final long MINUTE = 60_000;
  static final int STEADY = 30;

  enum Minute {
    /** 30 valid events, and one malformed every other minute. */
    STEADY,
    /** 3 valid events: the source is starving. */
    VOLUME_DROP,
    /** 30 valid and 20 malformed events. */
    INVALID_SPIKE,
    /** 30 valid events, and 25 more whose event time is 10 minutes before their receipt. */
    LATE_STORM
  }

  private final long start;
  private final List<List<TimestampedValue<RawEvent>>> minutes = new ArrayList<>();
  private int ids;

  /** A timeline whose first minute starts at {@code start} (a whole minute, epoch ms). */
  AlertTimeline(long start) {
    this.start = start;
  }

  AlertTimeline add(Minute kind, int count) {
    for (int i = 0; i < count; i++) {
      minutes.add(minute(minutes.size(), kind));
    }
    return this;
  }

  private List<TimestampedValue<RawEvent>> minute(int m, Minute kind) {
    List<TimestampedValue<RawEvent>> events = new ArrayList<>();
    long minuteStart = start + m * MINUTE;
    int valid = kind == Minute.VOLUME_DROP ? 3 : STEADY + (m % 3) - 1;
    for (int i = 0; i < valid; i++) {
      long receivedAt = minuteStart + 500 + i * (MINUTE - 1_000) / valid;
      events.add(event(valid(receivedAt), receivedAt));
    }
    int malformed =
        kind == Minute.INVALID_SPIKE ? 20 : kind == Minute.STEADY && m % 2 == 0 ? 1 : 0;
    for (int i = 0; i < malformed; i++) {
      events.add(event("{\"id\": \"broken", minuteStart + 700 + i * 2_000));
    }
    if (kind == Minute.LATE_STORM) {
      for (int i = 0; i < 25; i++) {
        long receivedAt = minuteStart + 900 + i * 2_000;
        events.add(event(valid(receivedAt - 10 * MINUTE), receivedAt));
      }
    }
    return events;
  }

  private String valid(long eventTime) {
    return String.format(
        "{\"id\":\"e%d\",\"amount\":%d.5,\"ts\":\"%s\"}", ids++, ids % 40, new Instant(eventTime));
  }

  private static TimestampedValue<RawEvent> event(String payload, long receivedAt) {
    return TimestampedValue.of(
        new RawEvent("test", receivedAt, payload.getBytes(StandardCharsets.UTF_8), Map.of()),
        new Instant(receivedAt));
  }

  /** Every event, for a bounded run. */
  List<TimestampedValue<RawEvent>> all() {
    List<TimestampedValue<RawEvent>> all = new ArrayList<>();
    minutes.forEach(all::addAll);
    return all;
  }

  /** A stream: each minute's events, then the watermark to the minute's end. */
  TestStream<RawEvent> stream() {
    TestStream.Builder<RawEvent> stream = TestStream.create(RawEvent.RawEventCoder.of());
    for (int m = 0; m < minutes.size(); m++) {
      stream = stream
          .addElements(minutes.get(m).get(0), minutes.get(m).subList(1, minutes.get(m).size())
              .toArray(TimestampedValue[]::new))
          .advanceWatermarkTo(new Instant(start + (m + 1) * MINUTE));
    }
    return stream.advanceWatermarkToInfinity();
  }
}
