package railyard.io.warehouse;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static railyard.io.warehouse.WarehouseFixtures.SCHEMA;
import static railyard.io.warehouse.WarehouseFixtures.eventTime;
import static railyard.io.warehouse.WarehouseFixtures.order;

import org.apache.beam.sdk.coders.RowCoder;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TimestampedValue;
import org.joda.time.Instant;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;
import railyard.io.files.WrittenFiles;

/** Unbounded rows, including a late one, land in the day partitions of their event times. */
@RunWith(JUnit4.class)
public class WarehouseStreamingWriteTest {
  @Rule public final transient TemporaryFolder tmp = new TemporaryFolder();
  @Rule public final transient TestPipeline writer = TestPipeline.create();
  @Rule public final transient TestPipeline reader = TestPipeline.create();

  private static final Row BEFORE_MIDNIGHT = order("1", 1.0, "2026-01-01T23:59:30Z");
  private static final Row AFTER_MIDNIGHT = order("2", 2.0, "2026-01-02T00:00:30Z");
  private static final Row LATE_BEFORE_MIDNIGHT = order("3", null, "2026-01-01T23:59:40Z");

  private static TimestampedValue<Row> atEventTime(Row row) {
    return TimestampedValue.of(row, eventTime(row));
  }

  @Test
  public void rowsLandInTheDayOfTheirEventTimeLateOnesToo() {
    TestStream<Row> stream =
        TestStream.create(RowCoder.of(SCHEMA))
            .addElements(atEventTime(BEFORE_MIDNIGHT))
            .advanceWatermarkTo(Instant.parse("2026-01-02T00:00:00Z"))
            .addElements(atEventTime(AFTER_MIDNIGHT))
            .advanceWatermarkTo(Instant.parse("2026-01-02T00:05:00Z"))
            .addElements(atEventTime(LATE_BEFORE_MIDNIGHT))
            .advanceWatermarkToInfinity();
    String root = tmp.getRoot().getAbsolutePath();

    writer
        .apply(stream)
        .setRowSchema(SCHEMA)
        .apply(WarehouseWrite.create().withRoot(root).withTable("orders").withSchema(SCHEMA));
    writer.run().waitUntilFinish();

    assertThat(
        WrittenFiles.partitionsUnder(tmp.getRoot().toPath().resolve("orders")),
        contains("dt=2026-01-01", "dt=2026-01-02"));
    PAssert.that(WarehouseFixtures.readPartition(reader, root, "dt=2026-01-01"))
        .containsInAnyOrder(BEFORE_MIDNIGHT, LATE_BEFORE_MIDNIGHT);
    PAssert.that(WarehouseFixtures.readPartition(reader, root, "dt=2026-01-02"))
        .containsInAnyOrder(AFTER_MIDNIGHT);
    reader.run().waitUntilFinish();
  }

  @Test
  public void aRowAYearBehindTheWatermarkIsWrittenToItsDay() {
    Row recent = order("recent", 1.0, "2027-01-01T10:00:00Z");
    Row yearOld = order("year-old", 2.0, "2026-01-01T10:00:00Z");
    TestStream<Row> stream =
        TestStream.create(RowCoder.of(SCHEMA))
            .addElements(atEventTime(recent))
            .advanceWatermarkTo(Instant.parse("2027-01-02T00:00:00Z"))
            .addElements(atEventTime(yearOld))
            .advanceWatermarkToInfinity();
    String root = tmp.getRoot().getAbsolutePath();

    writer
        .apply(stream)
        .setRowSchema(SCHEMA)
        .apply(WarehouseWrite.create().withRoot(root).withTable("orders").withSchema(SCHEMA));
    writer.run().waitUntilFinish();

    PAssert.that(WarehouseFixtures.readPartition(reader, root, "dt=2026-01-01"))
        .containsInAnyOrder(yearOld);
    PAssert.that(WarehouseFixtures.readPartition(reader, root, "dt=2027-01-01"))
        .containsInAnyOrder(recent);
    reader.run().waitUntilFinish();
  }
}
