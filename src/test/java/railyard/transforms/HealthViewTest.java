package railyard.transforms;

import java.util.List;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.TimestampedValue;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.Rule;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;
import railyard.model.ServingRow;

/** The reserved health view: counts of received events, dead letters and unique events a minute. */
@RunWith(JUnit4.class)
public class HealthViewTest {
  private static final Duration LATENESS = Duration.standardMinutes(5);

  @Rule public final transient TestPipeline pipeline = TestPipeline.create();

  private static Instant at(int seconds) {
    return Events.T0.plus(Duration.standardSeconds(seconds));
  }

  private static TimestampedValue<String> event(int seconds) {
    return TimestampedValue.of("e" + seconds, at(seconds));
  }

  private PCollection<String> health(
      PCollection<String> received, PCollection<String> deadLetters, PCollection<String> unique) {
    return PCollectionList.of(received.apply("R", HealthView.<String>mark(HealthView.RECEIVED)))
        .and(deadLetters.apply("D", HealthView.<String>mark(HealthView.DEAD_LETTERS)))
        .and(unique.apply("U", HealthView.<String>mark(HealthView.UNIQUE)))
        .apply(Flatten.pCollections())
        .apply(ComputeViews.of(List.of(HealthView.spec(LATENESS))).withLayer(ServingRow.Layer.SPEED))
        .apply(MapElements.into(TypeDescriptors.strings()).via(ComputeViewsTest::describe));
  }

  private PCollection<String> bounded(String name, List<TimestampedValue<String>> events) {
    return pipeline.apply(name, Create.timestamped(events).withCoder(StringUtf8Coder.of()));
  }

  @Test
  public void countsEachKindOfMarkInItsMinute() {
    PCollection<String> rows =
        health(
            bounded("received", List.of(event(1), event(2), event(3), event(61))),
            bounded("dead", List.of(event(2))),
            bounded("unique", List.of(event(1), event(3), event(61))));

    PAssert.that(rows)
        .containsInAnyOrder(
            " [0,60) ON_TIME 6 received=3.0 dead_letters=1.0 unique=2.0",
            " [60,120) ON_TIME 2 received=1.0 dead_letters=0.0 unique=1.0");
    pipeline.run();
  }

  @Test
  public void aStreamFiresTheMinuteWhenTheWatermarkPassesAndALateUniqueEventUpdatesIt() {
    TestStream<String> received =
        TestStream.create(StringUtf8Coder.of())
            .addElements(event(1), event(2))
            .advanceWatermarkTo(at(61))
            .advanceWatermarkToInfinity();
    TestStream<String> late =
        TestStream.create(StringUtf8Coder.of())
            .advanceWatermarkTo(at(61))
            .addElements(event(30))
            .advanceWatermarkToInfinity();

    PCollection<String> rows =
        health(
            pipeline.apply("received", received),
            bounded("dead", List.of()),
            pipeline.apply("unique", late));

    PAssert.that(rows)
        .containsInAnyOrder(
            " [0,60) ON_TIME 2 received=2.0 dead_letters=0.0 unique=0.0",
            " [0,60) LATE 3 received=2.0 dead_letters=0.0 unique=1.0");
    pipeline.run();
  }
}
