package railyard.transforms;

import static org.apache.beam.vendor.guava.v32_1_2_jre.com.google.common.base.Preconditions.checkArgument;

import com.google.auto.value.AutoValue;
import java.util.List;
import javax.annotation.Nullable;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.state.BagState;
import org.apache.beam.sdk.state.StateSpec;
import org.apache.beam.sdk.state.StateSpecs;
import org.apache.beam.sdk.state.TimeDomain;
import org.apache.beam.sdk.state.Timer;
import org.apache.beam.sdk.state.TimerSpec;
import org.apache.beam.sdk.state.TimerSpecs;
import org.apache.beam.sdk.state.ValueState;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import railyard.model.Alert;
import railyard.model.ServingRow;
import railyard.schema.AlertRule;

/**
 * Checks alert rules on served rows, window by window, and emits one {@link Alert} when an
 * incident opens and one when it resolves. Only a window's complete row counts — its on-time pane
 * in streaming, its batch row in batch — so speculative early panes never raise an alert; late
 * panes do not reopen a window already judged.
 *
 * <p>Each rule and key is one {@link Incident}. Rows wait in state until the watermark passes
 * their window's end and are then judged in window order, so batch and streaming, whatever order
 * the rows arrive in, give the same alerts with the same ids. No-data rules ({@code noDataFor})
 * are watched by {@link NoDataFn}.
 */
@AutoValue
public abstract class EvaluateAlerts extends PTransform<PCollection<ServingRow>, PCollection<Alert>> {

  abstract List<AlertRule> rules();

  abstract @Nullable String pipelineName();

  abstract Builder toBuilder();

  public static EvaluateAlerts of(List<AlertRule> rules) {
    return new AutoValue_EvaluateAlerts.Builder().setRules(List.copyOf(rules)).build();
  }

  /** The pipeline the alerts are about; part of their ids. */
  public EvaluateAlerts withPipelineName(String name) {
    return toBuilder().setPipelineName(name).build();
  }

  @AutoValue.Builder
  abstract static class Builder {
    abstract Builder setRules(List<AlertRule> rules);

    abstract Builder setPipelineName(String name);

    abstract EvaluateAlerts build();
  }

  @Override
  public PCollection<Alert> expand(PCollection<ServingRow> rows) {
    checkArgument(!rules().isEmpty(), "EvaluateAlerts needs at least one rule");
    checkArgument(pipelineName() != null, "EvaluateAlerts needs withPipelineName()");
    KvCoder<String, ServingRow> keyed =
        KvCoder.of(StringUtf8Coder.of(), ServingRow.ServingRowCoder.of());
    PCollectionList<Alert> alerts = PCollectionList.empty(rows.getPipeline());
    if (rules().stream().anyMatch(rule -> !rule.isNoData())) {
      alerts =
          alerts.and(
              rows.apply("ByRuleAndKey", ParDo.of(new ByRuleFn(rules(), false)))
                  .setCoder(keyed)
                  .apply("TrackIncidents", ParDo.of(new IncidentFn(rules(), pipelineName())))
                  .setCoder(Alert.AlertCoder.of()));
    }
    if (rules().stream().anyMatch(AlertRule::isNoData)) {
      boolean unbounded = rows.isBounded() == PCollection.IsBounded.UNBOUNDED;
      alerts =
          alerts.and(
              rows.apply("ByNoDataRuleAndKey", ParDo.of(new ByRuleFn(rules(), true)))
                  .setCoder(keyed)
                  .apply("WatchForNoData", ParDo.of(new NoDataFn(rules(), pipelineName(), unbounded)))
                  .setCoder(Alert.AlertCoder.of()));
    }
    return alerts.size() == 1
        ? alerts.get(0)
        : alerts.apply("AllAlerts", Flatten.pCollections()).setCoder(Alert.AlertCoder.of());
  }

  /**
   * A window's complete row, keyed by the index of each rule that reads it and the row's key: the
   * threshold rules' or the no-data rules'.
   */
  private static final class ByRuleFn extends DoFn<ServingRow, KV<String, ServingRow>> {
    private final List<AlertRule> rules;
    private final boolean noData;

    ByRuleFn(List<AlertRule> rules, boolean noData) {
      this.rules = rules;
      this.noData = noData;
    }

    @ProcessElement
    public void process(@Element ServingRow row, OutputReceiver<KV<String, ServingRow>> out) {
      boolean complete = row.layer() == ServingRow.Layer.BATCH || row.pane().equals("ON_TIME");
      if (!complete) {
        return;
      }
      for (int r = 0; r < rules.size(); r++) {
        if (rules.get(r).view().equals(row.view()) && rules.get(r).isNoData() == noData) {
          out.output(KV.of(r + "|" + row.key(), row));
        }
      }
    }
  }

  private static final class IncidentFn extends DoFn<KV<String, ServingRow>, Alert> {
    private final List<AlertRule> rules;
    private final String pipeline;

    @StateId("waiting")
    private final StateSpec<BagState<ServingRow>> waitingSpec =
        StateSpecs.bag(ServingRow.ServingRowCoder.of());

    @StateId("incident")
    private final StateSpec<ValueState<Incident>> incidentSpec =
        StateSpecs.value(SerializableCoder.of(Incident.class));

    @StateId("judgeAt")
    private final StateSpec<ValueState<Long>> judgeAtSpec = StateSpecs.value(VarLongCoder.of());

    @TimerId("judge")
    private final TimerSpec judgeSpec = TimerSpecs.timer(TimeDomain.EVENT_TIME);

    IncidentFn(List<AlertRule> rules, String pipeline) {
      this.rules = rules;
      this.pipeline = pipeline;
    }

    @ProcessElement
    public void process(
        @Element KV<String, ServingRow> element,
        @StateId("waiting") BagState<ServingRow> waiting,
        @StateId("judgeAt") ValueState<Long> judgeAt,
        @TimerId("judge") Timer judge) {
      WindowsInOrder.hold(element.getValue(), waiting, judgeAt, judge);
    }

    @OnTimer("judge")
    public void onJudge(
        OnTimerContext context,
        @Key String key,
        @StateId("waiting") BagState<ServingRow> waiting,
        @StateId("incident") ValueState<Incident> incidentState,
        @StateId("judgeAt") ValueState<Long> judgeAt,
        @TimerId("judge") Timer judge,
        OutputReceiver<Alert> out) {
      long now = context.timestamp().getMillis();
      List<ServingRow> due = WindowsInOrder.takeComplete(now, waiting, judgeAt, judge);
      AlertRule rule = rules.get(Integer.parseInt(key.substring(0, key.indexOf('|'))));
      Incident incident = incidentState.read();
      if (incident == null) {
        incident = new Incident();
      }
      for (ServingRow row : due) {
        Alert alert = incident.observe(rule, pipeline, row);
        if (alert != null) {
          RailyardMetrics.counter(
                  alert.status() == Alert.Status.OPEN
                      ? RailyardMetrics.ALERTS_OPENED
                      : RailyardMetrics.ALERTS_RESOLVED)
              .inc();
          out.output(alert);
        }
      }
      incidentState.write(incident);
    }
  }
}
