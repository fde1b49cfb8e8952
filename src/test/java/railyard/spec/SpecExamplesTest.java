package railyard.spec;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;

import java.nio.file.Path;
import org.apache.beam.sdk.util.SerializableUtils;
import org.joda.time.Duration;
import org.junit.Test;
import railyard.io.generator.GeneratorConfig;
import railyard.schema.FieldKind;
import railyard.schema.MetricSpec;
import railyard.schema.MetricSpec.Op;
import railyard.schema.ViewSpec;
import railyard.schema.WindowSpec;

public class SpecExamplesTest {

  private static PipelineSpec clickstream() {
    return SpecLoader.load(Path.of("examples/clickstream.yaml"));
  }

  private static PipelineSpec iot() {
    return SpecLoader.load(Path.of("examples/iot.yaml"));
  }

  /** clickstream.yaml with its commented-out {@code alerts:} block switched on. */
  private static PipelineSpec clickstreamWithAlerts() throws Exception {
    String text = java.nio.file.Files.readString(Path.of("examples/clickstream.yaml"));
    int block = text.indexOf("\n#alerts:");
    assertThat("clickstream.yaml has a commented alerts block", block > 0, is(true));
    String alerts = text.substring(block + 1).replaceAll("(?m)^#", "");
    return SpecLoader.parse(text.substring(0, block + 1) + alerts, "clickstream.yaml");
  }

  @Test
  public void clickstreamsAlertExampleParsesWhenSwitchedOn() throws Exception {
    AlertsSpec alerts = clickstreamWithAlerts().alerts();

    assertThat(alerts.freshness(), is(Duration.standardMinutes(10)));
    assertThat(
        alerts.rules().stream().map(railyard.schema.AlertRule::name).toList(),
        contains("invalid_spike", "volume_drop", "late_storm", "stale_events", "few_checkouts",
            "silent_source"));
    assertThat(alerts.sinks().webhook().slack(), is(true));
    assertThat(alerts.sinks().kafkaTopic(), is("railyard-alerts"));
    assertThat(alerts.sinks().store(), is("railyard-out/serving.db"));
  }

  @Test
  public void clickstreamRunsWithoutAlertRulesAsItIs() {
    assertThat(clickstream().alerts().rules().isEmpty(), is(true));
  }

  @Test
  public void clickstreamHasItsFourViewsOneOfThemSql() {
    assertThat(
        clickstream().views().stream().map(ViewSpec::name).toList(),
        contains("page_activity_1m", "country_revenue_5m", "user_sessions", "country_purchases_sql"));
    ViewSpec sql = clickstream().view("country_purchases_sql").orElseThrow();
    assertThat(sql.sql().keys(), contains("country"));
    assertThat(sql.metricNames(), contains("revenue", "avg_amount"));
  }

  @Test
  public void clickstreamViewsHaveTheirWindows() {
    PipelineSpec spec = clickstream();
    assertThat(
        spec.views().stream().map(ViewSpec::window).toList(),
        contains(
            WindowSpec.fixed(Duration.standardMinutes(1)),
            WindowSpec.sliding(Duration.standardMinutes(5), Duration.standardMinutes(1)),
            WindowSpec.session(Duration.standardMinutes(30)),
            WindowSpec.fixed(Duration.standardMinutes(5))));
  }

  @Test
  public void clickstreamFiresEarlyOnlyOnTheNonSessionViews() {
    PipelineSpec spec = clickstream();
    assertThat(spec.views().get(0).earlyFiring(), is(Duration.standardSeconds(10)));
    assertThat(spec.views().get(1).earlyFiring(), is(Duration.standardSeconds(30)));
    assertThat(spec.views().get(2).earlyFiring(), is(nullValue()));
  }

  @Test
  public void clickstreamCountryViewHasItsMetrics() {
    assertThat(
        clickstream().view("country_revenue_5m").orElseThrow().metrics(),
        contains(
            new MetricSpec("revenue", Op.SUM, "amount"),
            new MetricSpec("avg_amount", Op.MEAN, "amount"),
            new MetricSpec("max_amount", Op.MAX, "amount"),
            new MetricSpec("events", Op.COUNT, null)));
  }

  @Test
  public void clickstreamDemoIsTwoHundredThousandEventsAsFastAsPossible() {
    PipelineSpec spec = clickstream();
    assertThat(spec.source().kind(), is(SourceSpec.Kind.GENERATOR));
    assertThat(spec.source().generator().events(), is(200_000L));
    assertThat(spec.source().generator().rate(), is(0.0));
  }

  @Test
  public void clickstreamDeclaresItsEventTimeAndDedupe() {
    PipelineSpec spec = clickstream();
    assertThat(spec.eventTime(), is(new EventTimeSpec("ts", Duration.standardHours(1))));
    assertThat(spec.dedupe(), is(new DedupeSpec("event_id", Duration.standardMinutes(10))));
    assertThat(spec.schema().field("ts").orElseThrow().kind(), is(FieldKind.TIMESTAMP));
  }

  @Test
  public void unquotedNorwayStaysACountryCode() {
    assertThat(
        clickstream().schema().field("country").orElseThrow().allowed().contains("NO"), is(true));
  }

  @Test
  public void specRemembersItsFile() {
    assertThat(clickstream().file(), is(Path.of("examples/clickstream.yaml").toString()));
  }

  @Test
  public void iotHasItsViews() {
    assertThat(
        iot().views().stream().map(ViewSpec::name).toList(),
        contains("site_climate_1m", "device_health_15m", "sensor_type_hourly"));
  }

  @Test
  public void iotHasFiveHundredDevices() {
    assertThat(iot().schema().field("device_id").orElseThrow().generate().cardinality(), is(500));
  }

  @Test
  public void unnamedMetricsAreNamedAfterOpAndField() {
    assertThat(
        iot().view("sensor_type_hourly").orElseThrow().metrics().get(2).name(),
        is("min_temperature"));
  }

  @Test
  public void viewLatenessDefaultsToThePipelines() {
    PipelineSpec spec = iot();
    assertThat(
        spec.view("site_climate_1m").orElseThrow().allowedLateness(), is(spec.allowedLateness()));
    assertThat(
        spec.view("sensor_type_hourly").orElseThrow().allowedLateness(),
        is(Duration.standardMinutes(30)));
  }

  @Test
  public void iotLeavesOutputsAndLimitsAtTheirDefaults() {
    PipelineSpec spec = iot();
    assertThat(spec.outputs(), is(Outputs.defaults()));
    assertThat(spec.limits(), is(Limits.defaults()));
  }

  @Test
  public void specSurvivesJavaSerialization() {
    PipelineSpec spec = clickstream();
    assertThat(SerializableUtils.clone(spec), equalTo(spec));
  }

  @Test
  public void generatorKeysLeftOutKeepTheirDefaults() {
    assertThat(iot().source().generator().start(), is(GeneratorConfig.defaults().start()));
  }
}
