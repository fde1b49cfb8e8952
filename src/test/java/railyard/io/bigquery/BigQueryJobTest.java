package railyard.io.bigquery;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.Assert.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.runners.TransformHierarchy;
import org.junit.Rule;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;
import railyard.pipelines.Railyard;
import railyard.pipelines.RailyardJob;
import railyard.pipelines.RailyardOptions;
import railyard.runners.LoopbackOnly;

/**
 * {@code --warehouse=bigquery:<project>:<dataset>} and {@code --serving=bigquery:…} put the
 * BigQuery sinks where the Parquet warehouse and the serving store would be, with their rejected
 * rows kept as dead letters. The pipeline is only built, never run: running it would ask BigQuery
 * whether the dataset exists.
 */
@RunWith(JUnit4.class)
public class BigQueryJobTest {
  @Rule public final LoopbackOnly loopbackOnly = new LoopbackOnly();

  private static List<String> transformsOfJob(String... args) {
    PipelineOptionsFactory.register(RailyardOptions.class);
    RailyardOptions options = PipelineOptionsFactory.fromArgs(args).as(RailyardOptions.class);
    Pipeline pipeline = Pipeline.create(options);
    RailyardJob.of(Railyard.loadSpec(options), options).expandInto(pipeline);
    List<String> names = new ArrayList<>();
    pipeline.traverseTopologically(
        new Pipeline.PipelineVisitor.Defaults() {
          @Override
          public CompositeBehavior enterCompositeTransform(TransformHierarchy.Node node) {
            names.add(node.getFullName());
            return CompositeBehavior.ENTER_TRANSFORM;
          }
        });
    return names;
  }

  @Test
  public void aBigQueryWarehouseIsWrittenThroughBigQueryIO() {
    List<String> names =
        transformsOfJob(
            "--spec=examples/clickstream.yaml",
            "--mode=batch",
            "--warehouse=bigquery:railyard-test:warehouse");

    assertThat(names, hasItem("Warehouse/WriteToBigQuery"));
    assertThat(names, hasItem("Warehouse/RejectedRows"));
    assertThat(names, hasItem("KeepRejectedRows"));
    assertThat(names, not(hasItem("Warehouse/WriteParquet")));
  }

  @Test
  public void aBigQueryServingStoreIsUpsertedThroughBigQueryIO() {
    List<String> names =
        transformsOfJob(
            "--spec=examples/clickstream.yaml",
            "--mode=batch",
            "--serving=bigquery:railyard-test:serving");

    assertThat(names, hasItem("Serve/UpsertToBigQuery"));
    assertThat(names, hasItem("KeepRejectedServingRows"));
    assertThat(names, hasItem("Warehouse/WriteParquet"));
  }

  @Test
  public void aPathIsStillTheParquetWarehouse() {
    List<String> names =
        transformsOfJob("--spec=examples/clickstream.yaml", "--mode=batch", "--warehouse=/tmp/wh");

    assertThat(names, hasItem("Warehouse/WriteParquet"));
    assertThat(names, not(hasItem("KeepRejectedRows")));
  }

  @Test
  public void aMalformedBigQueryLocationIsRefusedBeforeTheJobIsBuilt() {
    PipelineOptionsFactory.register(RailyardOptions.class);
    RailyardOptions options =
        PipelineOptionsFactory.fromArgs(
                "--spec=examples/clickstream.yaml", "--mode=batch", "--warehouse=bigquery:railyard")
            .as(RailyardOptions.class);
    IllegalArgumentException error =
        assertThrows(
            IllegalArgumentException.class, () -> RailyardJob.of(Railyard.loadSpec(options), options));
    assertThat(error.getMessage(), containsString("bigquery:<project>:<dataset>"));
  }
}
