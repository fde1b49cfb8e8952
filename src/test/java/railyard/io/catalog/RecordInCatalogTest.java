package railyard.io.catalog;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;

import java.util.List;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TimestampedValue;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;
import railyard.io.sql.SqlWarehouse;
import railyard.io.warehouse.WarehouseWrite;

/**
 * Each file the warehouse write finalizes is recorded with its partition, rows and event-time
 * range: in one go for bounded input, window by window (late data in files of its own) for a
 * stream.
 */
@RunWith(JUnit4.class)
public class RecordInCatalogTest {
  @Rule public final transient TemporaryFolder folder = new TemporaryFolder();
  @Rule public final transient TestPipeline pipeline = TestPipeline.create();

  private static final List<Row> ORDERS =
      List.of(
          SqlWarehouse.order(SqlWarehouse.V1, "a1", 1.0, null, "2026-01-01T10:00:10Z"),
          SqlWarehouse.order(SqlWarehouse.V1, "a2", 2.0, null, "2026-01-01T10:00:50Z"),
          SqlWarehouse.order(SqlWarehouse.V1, "b1", 3.0, null, "2026-01-02T08:00:00Z"));

  private String root() {
    return folder.getRoot().toPath().resolve("warehouse").toString();
  }

  private PCollection<String> recorded(PCollection<Row> rows) {
    FileCatalog.at(root()).register(SqlWarehouse.V1, "orders", "orders.yaml");
    return rows.apply(
            WarehouseWrite.create().withRoot(root()).withTable("orders").withSchema(SqlWarehouse.V1.rowSchema()))
        .apply(RecordInCatalog.of(root(), "orders", 1))
        .apply(
            MapElements.into(TypeDescriptors.strings())
                .via(e -> e.partition() + " rows=" + e.rows() + " " + e.minEventTime() + ".." + e.maxEventTime()));
  }

  private List<String> catalogued() {
    return FileCatalog.at(root()).files("orders").stream()
        .map(e -> e.partition() + " rows=" + e.rows() + " " + e.minEventTime() + ".." + e.maxEventTime())
        .toList();
  }

  private static long millis(String instant) {
    return Instant.parse(instant).getMillis();
  }

  @Test
  public void boundedRowsAreRecordedOneEntryPerFile() {
    PCollection<String> entries =
        recorded(pipeline.apply(Create.of(ORDERS).withRowSchema(SqlWarehouse.V1.rowSchema())));
    String day1 = "dt=2026-01-01 rows=2 " + millis("2026-01-01T10:00:10Z") + ".." + millis("2026-01-01T10:00:50Z");
    String day2 = "dt=2026-01-02 rows=1 " + millis("2026-01-02T08:00:00Z") + ".." + millis("2026-01-02T08:00:00Z");
    PAssert.that(entries).containsInAnyOrder(day1, day2);
    pipeline.run().waitUntilFinish();
    assertThat(catalogued(), containsInAnyOrder(day1, day2));
  }

  @Test
  public void aStreamIsRecordedFileByFileAndLateDataInAFileOfItsOwn() {
    TestStream<Row> stream =
        TestStream.create(SqlWarehouse.V1.rowSchema())
            .advanceWatermarkTo(Instant.parse("2026-01-01T10:00:00Z"))
            .addElements(
                TimestampedValue.of(ORDERS.get(0), Instant.parse("2026-01-01T10:00:10Z")),
                TimestampedValue.of(ORDERS.get(2), Instant.parse("2026-01-02T08:00:00Z")))
            // Files are cut by processing time: the first ones are written before the late row.
            .advanceProcessingTime(Duration.standardMinutes(2))
            .advanceWatermarkTo(Instant.parse("2026-01-01T10:05:00Z"))
            .addElements(TimestampedValue.of(ORDERS.get(1), Instant.parse("2026-01-01T10:00:50Z")))
            .advanceWatermarkToInfinity();
    PCollection<String> entries = recorded(pipeline.apply(stream));
    String onTime = "dt=2026-01-01 rows=1 " + millis("2026-01-01T10:00:10Z") + ".." + millis("2026-01-01T10:00:10Z");
    String late = "dt=2026-01-01 rows=1 " + millis("2026-01-01T10:00:50Z") + ".." + millis("2026-01-01T10:00:50Z");
    String day2 = "dt=2026-01-02 rows=1 " + millis("2026-01-02T08:00:00Z") + ".." + millis("2026-01-02T08:00:00Z");
    PAssert.that(entries).containsInAnyOrder(onTime, late, day2);
    pipeline.run().waitUntilFinish();
    assertThat(catalogued(), containsInAnyOrder(onTime, late, day2));
    assertThat(FileCatalog.at(root()).describe("orders").rows(), equalTo(3L));
  }
}
