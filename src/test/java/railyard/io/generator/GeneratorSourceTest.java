package railyard.io.generator;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;
import static railyard.io.generator.GeneratorFixtures.config;
import static railyard.io.generator.GeneratorFixtures.generator;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.joda.time.Instant;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;
import railyard.model.RawEvent;

@RunWith(JUnit4.class)
public class GeneratorSourceTest {
  private final PipelineOptions options = PipelineOptionsFactory.create();

  @Test
  public void lateEventsAreBehindTheWatermarkAndOrdinaryOnesAreNot() throws Exception {
    EventGenerator g = generator(config(5_000, 0, 0, 0.1));
    GeneratorSource.Reader reader = new GeneratorSource(g).createReader(options, null);
    int late = 0;
    int ordinary = 0;
    for (boolean more = reader.start(); more; more = reader.advance()) {
      long index = ByteBuffer.wrap(reader.getCurrentRecordId()).getLong();
      long eventTime =
          GeneratorFixtures.eventTimeMillis(GeneratorFixtures.validOrNull(reader.getCurrent().payload()));
      long watermark = reader.getWatermark().getMillis();
      if (g.kind(index) == EventGenerator.Kind.LATE) {
        late++;
        assertThat("late event " + index, eventTime, lessThan(watermark));
      } else {
        ordinary++;
        assertThat("ordinary event " + index, eventTime, greaterThanOrEqualTo(watermark));
      }
    }
    assertThat(late, greaterThan(300));
    assertThat(ordinary, greaterThan(4_000));
  }

  @Test
  public void watermarkNeverPassesAnEmittedTimestamp() throws Exception {
    GeneratorSource.Reader reader =
        new GeneratorSource(generator(config(2_000, 0.05, 0.05, 0.05))).createReader(options, null);
    Instant previous = BoundedWindow.TIMESTAMP_MIN_VALUE;
    for (boolean more = reader.start(); more; more = reader.advance()) {
      Instant watermark = reader.getWatermark();
      assertThat(watermark.isBefore(previous), is(false));
      assertThat(watermark.isAfter(reader.getCurrentTimestamp()), is(false));
      previous = watermark;
    }
  }

  @Test
  public void watermarkReachesTheEndOnceAllEventsAreEmitted() throws Exception {
    GeneratorSource.Reader reader =
        new GeneratorSource(generator(config(10, 0, 0, 0))).createReader(options, null);
    int count = 0;
    for (boolean more = reader.start(); more; more = reader.advance()) {
      count++;
    }
    assertThat(count, equalTo(10));
    assertThat(reader.getWatermark(), equalTo(BoundedWindow.TIMESTAMP_MAX_VALUE));
  }

  @Test
  public void splitsShareOutEveryIndexExactlyOnce() throws Exception {
    EventGenerator g = generator(config(1_003, 0.05, 0.05, 0.05));
    List<GeneratorSource> splits = new GeneratorSource(g).split(4, options);
    assertThat(splits, hasSize(4));
    List<RawEvent> read = new ArrayList<>();
    for (GeneratorSource split : splits) {
      for (GeneratorSource sub : split.split(2, options)) {
        read.addAll(readAll(sub.createReader(options, null)));
      }
    }
    List<RawEvent> expected = new ArrayList<>();
    for (long i = 0; i < 1_003; i++) {
      expected.add(g.event(i));
    }
    assertThat(read.size(), equalTo(expected.size()));
    assertThat(new java.util.HashSet<>(read), equalTo(new java.util.HashSet<>(expected)));
  }

  @Test
  public void moreSplitsThanEventsLeavesNoEmptyReader() {
    List<GeneratorSource> splits =
        new GeneratorSource(generator(config(3, 0, 0, 0))).split(20, options);
    assertThat(splits, hasSize(3));
  }

  @Test
  public void aReaderResumesFromItsEncodedCheckpoint() throws Exception {
    EventGenerator g = generator(config(100, 0, 0, 0));
    GeneratorSource source = new GeneratorSource(g).split(3, options).get(1);
    GeneratorSource.Reader first = source.createReader(options, null);
    first.start();
    first.advance();
    Instant watermark = first.getWatermark();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    source.getCheckpointMarkCoder().encode(first.getCheckpointMark(), bytes);
    GeneratorSource.Checkpoint mark =
        source.getCheckpointMarkCoder().decode(new ByteArrayInputStream(bytes.toByteArray()));

    GeneratorSource.Reader resumed = source.createReader(options, mark);
    assertThat(resumed.getWatermark(), equalTo(watermark));
    assertThat(resumed.start(), is(true));
    assertThat(resumed.getCurrent(), equalTo(g.event(7))); // split 1 of 3 reads 1, 4, 7, ...
  }

  @Test
  public void aPacedReaderHoldsBackWhenAheadOfSchedule() throws Exception {
    GeneratorConfig c = config(0, 0, 0, 0);
    GeneratorConfig paced =
        new GeneratorConfig(
            c.seed(), 0, c.eventsPerSecond(), 20.0, c.start(), 0, 0, 0, c.maxOutOfOrder(),
            c.maxLateness());
    GeneratorSource.Reader reader = new GeneratorSource(generator(paced)).createReader(options, null);
    assertThat(reader.start(), is(true));
    assertThat(reader.advance(), is(false)); // the next one is due 50 ms later
    Thread.sleep(120);
    assertThat(reader.advance(), is(true));
    assertThat(reader.getWatermark().isBefore(BoundedWindow.TIMESTAMP_MAX_VALUE), is(true));
  }

  private static List<RawEvent> readAll(GeneratorSource.Reader reader) throws Exception {
    List<RawEvent> out = new ArrayList<>();
    for (boolean more = reader.start(); more; more = reader.advance()) {
      out.add(reader.getCurrent());
    }
    return out;
  }
}
