package railyard.io.kafka;

import java.util.Optional;
import org.apache.beam.sdk.io.kafka.KafkaRecord;
import org.apache.beam.sdk.io.kafka.TimestampPolicy;
import org.apache.beam.sdk.io.kafka.TimestampPolicyFactory;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * Element time is the Kafka record's timestamp (create or log-append time, whichever the topic
 * keeps); a record without one (old message format) gets the time it is read. The watermark of a
 * partition trails the newest timestamp read by {@code maxDelay}, and when the partition is caught
 * up (no backlog) it moves to the last backlog check minus {@code maxDelay} — also for a partition
 * that has never held a record, which Beam's own create-time policy leaves at the beginning of
 * time, holding back every window of the job. It never moves back, and never ahead of the clock
 * minus {@code maxDelay}.
 */
final class RecordTimePolicy extends TimestampPolicy<byte[], byte[]> {
  private final Duration maxDelay;
  private Instant watermark;

  RecordTimePolicy(Duration maxDelay, Optional<Instant> previousWatermark) {
    this.maxDelay = maxDelay;
    this.watermark = previousWatermark.orElse(BoundedWindow.TIMESTAMP_MIN_VALUE);
  }

  static TimestampPolicyFactory<byte[], byte[]> factory(Duration maxDelay) {
    return (partition, previousWatermark) -> new RecordTimePolicy(maxDelay, previousWatermark);
  }

  @Override
  public Instant getTimestampForRecord(PartitionContext context, KafkaRecord<byte[], byte[]> record) {
    Instant timestamp =
        record.getTimestamp() >= 0 ? new Instant(record.getTimestamp()) : Instant.now();
    advanceTo(timestamp.minus(maxDelay));
    return timestamp;
  }

  @Override
  public Instant getWatermark(PartitionContext context) {
    if (context.getMessageBacklog() == 0) {
      advanceTo(context.getBacklogCheckTime().minus(maxDelay));
    }
    return watermark;
  }

  private void advanceTo(Instant candidate) {
    Instant capped = earlier(candidate, Instant.now().minus(maxDelay));
    if (capped.isAfter(watermark)) {
      watermark = capped;
    }
  }

  private static Instant earlier(Instant a, Instant b) {
    return a.isBefore(b) ? a : b;
  }
}
