package railyard.io.kafka;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.util.Optional;
import org.apache.beam.sdk.io.kafka.KafkaRecord;
import org.apache.beam.sdk.io.kafka.KafkaTimestampType;
import org.apache.beam.sdk.io.kafka.TimestampPolicy;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;

/** The watermark of one partition, as {@link RecordTimePolicy} moves it. */
@RunWith(JUnit4.class)
public class RecordTimePolicyTest {
  private static final Duration DELAY = Duration.standardSeconds(10);
  private static final Instant T = Instant.parse("2026-11-20T10:00:00Z");

  private static TimestampPolicy.PartitionContext context(long backlog, Instant checkedAt) {
    return new TimestampPolicy.PartitionContext() {
      @Override
      public long getMessageBacklog() {
        return backlog;
      }

      @Override
      public Instant getBacklogCheckTime() {
        return checkedAt;
      }
    };
  }

  private static KafkaRecord<byte[], byte[]> recordAt(Instant time) {
    return new KafkaRecord<>(
        "t", 0, 0, time.getMillis(), KafkaTimestampType.CREATE_TIME, null, new byte[0], new byte[0]);
  }

  @Test
  public void stampsARecordWithItsKafkaTimestamp() {
    RecordTimePolicy policy = new RecordTimePolicy(DELAY, Optional.empty());
    assertThat(policy.getTimestampForRecord(context(5, T), recordAt(T)), equalTo(T));
  }

  @Test
  public void trailsTheNewestTimestampWhileThereIsBacklog() {
    RecordTimePolicy policy = new RecordTimePolicy(DELAY, Optional.empty());
    policy.getTimestampForRecord(context(5, T), recordAt(T));
    policy.getTimestampForRecord(context(5, T), recordAt(T.minus(Duration.standardMinutes(1))));
    assertThat(policy.getWatermark(context(4, Instant.now())), equalTo(T.minus(DELAY)));
  }

  @Test
  public void movesAnEmptyCaughtUpPartitionToTheClock() {
    RecordTimePolicy policy = new RecordTimePolicy(DELAY, Optional.empty());
    assertThat(
        policy.getWatermark(context(-1, Instant.now())), equalTo(BoundedWindow.TIMESTAMP_MIN_VALUE));
    Instant checkedAt = Instant.now();
    assertThat(policy.getWatermark(context(0, checkedAt)), equalTo(checkedAt.minus(DELAY)));
  }

  @Test
  public void neverMovesBack() {
    Instant previous = Instant.now().minus(Duration.standardMinutes(1));
    RecordTimePolicy policy = new RecordTimePolicy(DELAY, Optional.of(previous));
    policy.getTimestampForRecord(context(5, T), recordAt(previous.minus(Duration.standardHours(1))));
    assertThat(policy.getWatermark(context(5, Instant.now())), equalTo(previous));
  }

  @Test
  public void neverRunsAheadOfTheClock() {
    RecordTimePolicy policy = new RecordTimePolicy(DELAY, Optional.empty());
    Instant before = Instant.now();
    policy.getTimestampForRecord(context(5, T), recordAt(before.plus(Duration.standardDays(1))));
    assertThat(
        policy.getWatermark(context(5, before)).isAfter(Instant.now().minus(DELAY)), equalTo(false));
  }
}
