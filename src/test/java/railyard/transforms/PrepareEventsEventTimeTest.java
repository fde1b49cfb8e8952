package railyard.transforms;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TimestampedValue;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.Rule;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;
import railyard.model.RawEvent;

/**
 * Preparation moves each event to its own event time. An event time further than the allowed skew
 * (an hour here) from receipt is a dead letter ({@code event_time_skew}).
 *
 * <p>A stream's source stamps each event with its receipt time, and preparation moves it back by
 * up to the skew. The bounded cases keep {@link Create}'s timestamps, as the other bounded
 * preparation tests do.
 */
@RunWith(JUnit4.class)
public class PrepareEventsEventTimeTest {
  @Rule public final transient TestPipeline pipeline = TestPipeline.create();

  private WithDeadLetters<Row> prepare(RawEvent event) {
    return Events.prepare(pipeline, event);
  }

  private static PCollection<Long> timestamps(PCollection<Row> rows) {
    return rows.apply(
        ParDo.of(
            new DoFn<Row, Long>() {
              @ProcessElement
              public void process(@Timestamp Instant timestamp, OutputReceiver<Long> out) {
                out.output(timestamp.getMillis());
              }
            }));
  }

  @Test
  public void stampsEachRowWithItsEventTime() {
    Instant eventTime = Events.T0.minus(Duration.standardMinutes(10));
    WithDeadLetters<Row> result =
        prepare(Events.raw(Events.purchase("e1", "u", "us", 1, eventTime), Events.T0));
    PAssert.thatSingleton(timestamps(result.output())).isEqualTo(eventTime.getMillis());
    PAssert.that(result.deadLetters()).empty();
    pipeline.run();
  }

  @Test
  public void inAStreamMovesEachRowBackFromItsReceiptToItsEventTime() {
    Instant eventTime = Events.T0.minus(Duration.standardMinutes(10));
    RawEvent event = Events.raw(Events.purchase("e1", "u", "us", 1, eventTime), Events.T0);
    TestStream<RawEvent> stream =
        TestStream.create(RawEvent.RawEventCoder.of())
            .addElements(TimestampedValue.of(event, Events.T0))
            .advanceWatermarkToInfinity();
    WithDeadLetters<Row> result = pipeline.apply(stream).apply(Events.prepare());
    PAssert.thatSingleton(timestamps(result.output())).isEqualTo(eventTime.getMillis());
    PAssert.that(result.deadLetters()).empty();
    pipeline.run();
  }

  /** Asserts that an event stamped {@code eventTime}, received at T0, is rejected as skewed. */
  private void expectSkewRejection(Instant eventTime, String direction) {
    WithDeadLetters<Row> result =
        prepare(Events.raw(Events.purchase("e1", "u", "us", 1, eventTime), Events.T0));
    PAssert.that(result.output()).empty();
    PAssert.thatSingleton(result.deadLetters())
        .satisfies(
            dead -> {
              assertThat(dead.reason(), equalTo("event_time_skew"));
              assertThat(dead.message(), containsString(direction + " its receipt"));
              return null;
            });
    pipeline.run();
  }

  @Test
  public void rejectsAnEventTimeTooFarBeforeItsReceipt() {
    expectSkewRejection(Events.T0.minus(Duration.standardHours(2)), "before");
  }

  @Test
  public void rejectsAnEventTimeTooFarInTheFuture() {
    expectSkewRejection(Events.T0.plus(Duration.standardDays(1)), "after");
  }
}
