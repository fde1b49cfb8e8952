package railyard.io.warehouse;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.everyItem;
import static org.junit.Assert.assertThrows;
import static railyard.io.warehouse.WarehouseFixtures.SCHEMA;
import static railyard.io.warehouse.WarehouseFixtures.order;

import java.util.List;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.Row;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;
import railyard.io.files.WrittenFiles;

/** Bounded rows become Parquet files in the UTC day of their event time, and read back intact. */
@RunWith(JUnit4.class)
public class WarehouseWriteTest {
  @Rule public final transient TemporaryFolder tmp = new TemporaryFolder();
  @Rule public final transient TestPipeline writer = TestPipeline.create();
  @Rule public final transient TestPipeline reader = TestPipeline.create();

  private static final Row LAST_OF_DAY_ONE = order("1", 10.5, "2026-01-01T23:59:59.999Z");
  private static final Row NULLS_DAY_ONE = order("2", null, "2026-01-01T00:00:00Z");
  private static final Row FIRST_OF_DAY_TWO = order("3", 7.25, "2026-01-02T00:00:00Z");
  private static final Row DAY_FIVE = order("4", 1.0, "2026-01-05T12:00:00Z");

  private String root() {
    return tmp.getRoot().getAbsolutePath();
  }

  private void write(List<Row> rows) {
    writer
        .apply(Create.of(rows).withRowSchema(SCHEMA))
        .apply(WarehouseWrite.create().withRoot(root()).withTable("orders").withSchema(SCHEMA));
    writer.run().waitUntilFinish();
  }

  @Test
  public void filesLandInTheUtcDayOfTheEventTime() {
    write(List.of(LAST_OF_DAY_ONE, NULLS_DAY_ONE, FIRST_OF_DAY_TWO, DAY_FIVE));

    assertThat(
        WrittenFiles.partitionsUnder(tmp.getRoot().toPath().resolve("orders")),
        contains("dt=2026-01-01", "dt=2026-01-02", "dt=2026-01-05"));
    assertThat(
        WrittenFiles.under(tmp.getRoot().toPath().resolve("orders")), everyItem(endsWith(".parquet")));
  }

  @Test
  public void eachPartitionReadsBackItsRowsWithParquetIO() {
    write(List.of(LAST_OF_DAY_ONE, NULLS_DAY_ONE, FIRST_OF_DAY_TWO, DAY_FIVE));

    PAssert.that(WarehouseFixtures.readPartition(reader, root(), "dt=2026-01-01"))
        .containsInAnyOrder(LAST_OF_DAY_ONE, NULLS_DAY_ONE);
    PAssert.that(WarehouseFixtures.readPartition(reader, root(), "dt=2026-01-02"))
        .containsInAnyOrder(FIRST_OF_DAY_TWO);
    PAssert.that(WarehouseFixtures.readPartition(reader, root(), "dt=2026-01-05"))
        .containsInAnyOrder(DAY_FIVE);
    reader.run().waitUntilFinish();
  }

  @Test
  public void aSchemaWithoutEventTimeIsRejectedNamingTheField() {
    Schema noEventTime = Schema.builder().addStringField("id").build();
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                writer
                    .apply(Create.empty(noEventTime))
                    .apply(
                        WarehouseWrite.create()
                            .withRoot(root())
                            .withTable("t")
                            .withSchema(noEventTime)));
    assertThat(e.getMessage(), containsString("_event_time"));
    writer.enableAbandonedNodeEnforcement(false);
  }

  @Test
  public void aMissingTableNamesWithTable() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                writer
                    .apply(Create.empty(SCHEMA))
                    .apply(WarehouseWrite.create().withRoot(root()).withSchema(SCHEMA)));
    assertThat(e.getMessage(), containsString("withTable("));
    writer.enableAbandonedNodeEnforcement(false);
  }
}
