package railyard.runners;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;

import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricQueryResults;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.flink.metrics.SimpleCounter;
import org.apache.flink.metrics.reporter.MetricReporter;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;

/** The live metrics of an in-process Flink job answer a query with the names it asks for. */
@RunWith(JUnit4.class)
public class FlinkLiveMetricsTest {
  private static SimpleCounter counter(long count) {
    SimpleCounter counter = new SimpleCounter();
    counter.inc(count);
    return counter;
  }

  private static List<String> counters(MetricQueryResults results) {
    List<String> named = new ArrayList<>();
    for (MetricResult<Long> counter : results.getCounters()) {
      named.add(counter.getName() + "=" + counter.getAttempted());
    }
    return named;
  }

  private static FlinkPipelineOptions reporting(String key) {
    Properties properties = new Properties();
    properties.setProperty("key", key);
    MetricReporter reporter = new FlinkLiveMetrics.Factory().createMetricReporter(properties);
    // Two operators count received events, one counts something of another namespace.
    reporter.notifyOfAddedMetric(counter(3), "railyard.received", null);
    reporter.notifyOfAddedMetric(counter(4), "railyard.received", null);
    reporter.notifyOfAddedMetric(counter(7), "railyard.unique", null);
    reporter.notifyOfAddedMetric(counter(9), "railyard.mqtt.landed", null);
    FlinkPipelineOptions flink = PipelineOptionsFactory.as(FlinkPipelineOptions.class);
    flink.setFlinkConfDir(key);
    return flink;
  }

  @Test
  public void aQueryForOneNameGetsThatNameSummedOverOperators() {
    FlinkPipelineOptions flink = reporting("one-name");

    MetricQueryResults results =
        FlinkLiveMetrics.of(flink)
            .queryMetrics(
                MetricsFilter.builder()
                    .addNameFilter(MetricNameFilter.named("railyard", "received"))
                    .build());

    assertThat(counters(results), contains("railyard:received=7"));
  }

  @Test
  public void aQueryForANamespaceGetsEveryNameInIt() {
    FlinkPipelineOptions flink = reporting("one-namespace");

    MetricQueryResults results =
        FlinkLiveMetrics.of(flink)
            .queryMetrics(
                MetricsFilter.builder().addNameFilter(MetricNameFilter.inNamespace("railyard")).build());

    assertThat(counters(results), containsInAnyOrder("railyard:received=7", "railyard:unique=7"));
  }

  @Test
  public void aQueryWithoutNamesGetsEverything() {
    FlinkPipelineOptions flink = reporting("everything");

    MetricQueryResults results = FlinkLiveMetrics.of(flink).allMetrics();

    assertThat(
        counters(results),
        containsInAnyOrder("railyard:received=7", "railyard:unique=7", "railyard.mqtt:landed=9"));
  }
}
