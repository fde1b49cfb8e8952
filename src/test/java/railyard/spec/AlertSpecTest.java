package railyard.spec;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.Assert.assertThrows;

import java.time.Duration;
import org.junit.Test;
import railyard.schema.AlertRule;

/** The spec's {@code alerts:} block: what it declares, and each mistake named at launch. */
public class AlertSpecTest {
  private static final String FILE = "examples/alerts.yaml";

  private static final String SPEC =
      """
      name: test
      source: {type: generator}
      schema:
        fields:
          - {name: id, type: string, required: true}
          - {name: amount, type: double}
          - {name: ts, type: timestamp}
      eventTime: {field: ts}
      dedupe: {key: id}
      outputs: {serving: out/serving.db}
      views:
        - name: revenue_1m
          window: {type: fixed, size: 1m}
          metrics:
            - {name: revenue, op: sum, field: amount}
      alerts:
        freshness: 5m
        sinks:
          store: true
          webhook: {url: "http://127.0.0.1:9/hook", format: slack, maxAttempts: 4, initialBackoff: 2s}
          kafka: {bootstrapServers: "127.0.0.1:9092", topic: alerts}
        rules:
          - name: invalid_spike
            metric: invalid_ratio
            above: 0.2
            severity: critical
          - name: volume_drop
            metric: received
            below: 0.5
            baseline: 10
          - name: no_revenue
            view: revenue_1m
            metric: revenue
            below: 1
            for: 3
            clearAfter: 1
            message: "Nobody is buying"
      """;

  private static String error(String from, String to) {
    assertThat("fragment to replace: " + from, SPEC.contains(from), is(true));
    return assertThrows(SpecException.class, () -> SpecLoader.parse(SPEC.replace(from, to), FILE))
        .getMessage();
  }

  @Test
  public void rulesSinksAndFreshnessAreRead() {
    AlertsSpec alerts = SpecLoader.parse(SPEC, FILE).alerts();

    assertThat(alerts.freshness(), equalTo(org.joda.time.Duration.standardMinutes(5)));
    assertThat(
        alerts.rules().get(0),
        equalTo(new AlertRule("invalid_spike", "_health", "invalid_ratio",
            AlertRule.Condition.ABOVE, 0.2, 0, AlertRule.Severity.CRITICAL, 1, 2, null)));
    assertThat(alerts.rules().get(1).baselineWindows(), is(10));
    assertThat(
        alerts.rules().get(2),
        equalTo(new AlertRule("no_revenue", "revenue_1m", "revenue", AlertRule.Condition.BELOW,
            1.0, 0, AlertRule.Severity.WARNING, 3, 1, "Nobody is buying")));
    assertThat(alerts.sinks().store(), is("out/serving.db"));
    assertThat(alerts.sinks().webhook().slack(), is(true));
    assertThat(alerts.sinks().webhook().initialBackoff(), equalTo(Duration.ofSeconds(2)));
    assertThat(alerts.sinks().kafkaTopic(), is("alerts"));
  }

  @Test
  public void aSpecWithoutAlertsHasNoRulesAndNoWatchdog() {
    AlertsSpec alerts = SpecLoader.parse(SPEC.substring(0, SPEC.indexOf("alerts:")), FILE).alerts();

    assertThat(alerts.rules().isEmpty(), is(true));
    assertThat(alerts.freshness(), nullValue());
  }

  @Test
  public void theStoreSinkFollowsTheServingOverride() {
    PipelineSpec spec =
        SpecLoader.parse(SPEC, FILE)
            .withOverrides(SpecOverrides.none().withServing("elsewhere/serving.db"));

    assertThat(spec.alerts().sinks().store(), is("elsewhere/serving.db"));
  }

  @Test
  public void anUnknownMetricIsNamedWithTheViewsMetrics() {
    assertThat(
        error("metric: revenue\n", "metric: profit\n"),
        is(FILE + ": alerts.rules[2].metric: view revenue_1m has no metric 'profit' (it has: revenue)"));
  }

  @Test
  public void anUnknownViewIsNamed() {
    assertThat(
        error("view: revenue_1m\n", "view: revenue_5m\n"),
        is(FILE + ": alerts.rules[2].view: no view 'revenue_5m' (views: _health, revenue_1m)"));
  }

  @Test
  public void aNoDataRuleNamesAViewAndASpanOfEventTime() {
    AlertsSpec alerts =
        SpecLoader.parse(
                SPEC.replace(
                    "  rules:\n", "  rules:\n    - {name: quiet, view: revenue_1m, noDataFor: 5m}\n"),
                FILE)
            .alerts();

    assertThat(
        alerts.rules().get(0),
        equalTo(AlertRule.noData("quiet", "revenue_1m", 300_000L, AlertRule.Severity.WARNING, null)));
    assertThat(alerts.rules().get(0).isNoData(), is(true));
  }

  @Test
  public void aNoDataRuleTakesNoThreshold() {
    assertThat(
        error("above: 0.2\n", "above: 0.2\n      noDataFor: 5m\n"),
        is(FILE + ": alerts.rules[0].metric: a noDataFor rule watches for missing rows: it takes no"
            + " 'metric'"));
  }

  @Test
  public void aRuleNeedsExactlyOneThreshold() {
    assertThat(
        error("above: 0.2\n", "above: 0.2\n      below: 0.1\n"),
        is(FILE + ": alerts.rules[0]: give exactly one of 'above' and 'below' (the threshold)"));
  }

  @Test
  public void aWebhookMustBeHttp() {
    assertThat(
        error("http://127.0.0.1:9/hook", "ftp://127.0.0.1/hook"),
        is(FILE + ": alerts.sinks.webhook.url: webhook url must be http:// or https://, not"
            + " 'ftp://127.0.0.1/hook'"));
  }

  @Test
  public void anUnknownSeverityListsTheChoices() {
    assertThat(
        error("severity: critical", "severity: urgent"),
        is(FILE + ": alerts.rules[0].severity: 'urgent' is not one of: info, warning, critical"));
  }

  @Test
  public void forMustBeAtLeastOneWindow() {
    assertThat(
        error("for: 3", "for: 0"),
        is(FILE + ": alerts.rules[2].for: must be 1 or more windows, got 0"));
  }
}
