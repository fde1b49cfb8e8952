package railyard.transforms;

import java.util.List;
import java.util.Locale;
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
import org.apache.beam.sdk.values.KV;
import org.joda.time.Instant;
import railyard.model.Alert;
import railyard.model.ServingRow;
import railyard.schema.AlertRule;

/**
 * The no-data rules: for each rule and key, an incident opens when the key has produced no
 * complete row for the rule's {@code noDataFor} of event time after its newest window ended, and
 * resolves with the next row. Event time, not the clock, so a backfill or a replay raises the
 * silences the live stream did, with the same ids, and a job catching up on a backlog raises none.
 *
 * <p>On an unbounded input a timer opens the incident as soon as the watermark has passed the
 * silence, while the key is still quiet. On a bounded input the end of the input is the end of the
 * range, not a silence: a silence is found between rows only, opened and resolved together.
 */
final class NoDataFn extends DoFn<KV<String, ServingRow>, Alert> {
  private final List<AlertRule> rules;
  private final String pipeline;
  private final boolean watchTheClockPass;

  @StateId("waiting")
  private final StateSpec<BagState<ServingRow>> waitingSpec =
      StateSpecs.bag(ServingRow.ServingRowCoder.of());

  @StateId("judgeAt")
  private final StateSpec<ValueState<Long>> judgeAtSpec = StateSpecs.value(VarLongCoder.of());

  @StateId("lastEnd")
  private final StateSpec<ValueState<Long>> lastEndSpec = StateSpecs.value(VarLongCoder.of());

  /** Where the open silence began (the newest window's end before it); empty when none is open. */
  @StateId("silentSince")
  private final StateSpec<ValueState<Long>> silentSinceSpec = StateSpecs.value(VarLongCoder.of());

  @TimerId("judge")
  private final TimerSpec judgeSpec = TimerSpecs.timer(TimeDomain.EVENT_TIME);

  @TimerId("silence")
  private final TimerSpec silenceSpec = TimerSpecs.timer(TimeDomain.EVENT_TIME);

  NoDataFn(List<AlertRule> rules, String pipeline, boolean unbounded) {
    this.rules = rules;
    this.pipeline = pipeline;
    this.watchTheClockPass = unbounded;
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
      @StateId("judgeAt") ValueState<Long> judgeAt,
      @StateId("lastEnd") ValueState<Long> lastEndState,
      @StateId("silentSince") ValueState<Long> silentSinceState,
      @TimerId("judge") Timer judge,
      @TimerId("silence") Timer silence,
      OutputReceiver<Alert> out) {
    long now = context.timestamp().getMillis();
    List<ServingRow> due = WindowsInOrder.takeComplete(now, waiting, judgeAt, judge);
    AlertRule rule = rule(key);
    Long lastEnd = lastEndState.read();
    Long silentSince = silentSinceState.read();
    for (ServingRow row : due) {
      if (silentSince == null
          && lastEnd != null
          && row.windowStart() - lastEnd >= rule.noDataForMillis()) {
        silentSince = lastEnd;
        emit(out, alert(Alert.Status.OPEN, rule, row.view(), row.key(), lastEnd,
            lastEnd + rule.noDataForMillis()));
      }
      if (silentSince != null) {
        emit(out, alert(Alert.Status.RESOLVED, rule, row.view(), row.key(), silentSince,
            row.windowStart()));
        silentSince = null;
      }
      lastEnd = lastEnd == null ? row.windowEnd() : Math.max(lastEnd, row.windowEnd());
    }
    lastEndState.write(lastEnd);
    if (silentSince == null) {
      silentSinceState.clear();
    }
    if (watchTheClockPass && lastEnd != null && !due.isEmpty()) {
      silence.set(new Instant(lastEnd + rule.noDataForMillis()));
    }
  }

  @OnTimer("silence")
  public void onSilence(
      OnTimerContext context,
      @Key String key,
      @StateId("lastEnd") ValueState<Long> lastEndState,
      @StateId("silentSince") ValueState<Long> silentSinceState,
      @StateId("waiting") BagState<ServingRow> waiting,
      OutputReceiver<Alert> out) {
    AlertRule rule = rule(key);
    Long lastEnd = lastEndState.read();
    long firedAt = context.timestamp().getMillis();
    if (lastEnd == null
        || silentSinceState.read() != null
        || lastEnd + rule.noDataForMillis() != firedAt) {
      return;
    }
    for (ServingRow row : waiting.read()) {
      if (row.windowStart() - lastEnd < rule.noDataForMillis()) {
        return; // a row inside the span is waiting to be judged: not a silence
      }
    }
    silentSinceState.write(lastEnd);
    String rowKey = key.substring(key.indexOf('|') + 1);
    emit(out, alert(Alert.Status.OPEN, rule, rule.view(), rowKey, lastEnd, firedAt));
  }

  private AlertRule rule(String key) {
    return rules.get(Integer.parseInt(key.substring(0, key.indexOf('|'))));
  }

  private static void emit(OutputReceiver<Alert> out, Alert alert) {
    RailyardMetrics.counter(
            alert.status() == Alert.Status.OPEN
                ? RailyardMetrics.ALERTS_OPENED
                : RailyardMetrics.ALERTS_RESOLVED)
        .inc();
    out.output(alert);
  }

  /**
   * The alert of a silence from {@code since} (the last window's end) to {@code until}: the span
   * that made it open, or the next row's start when it resolves.
   */
  private Alert alert(
      Alert.Status status, AlertRule rule, String view, String key, long since, long until) {
    double silentSeconds = (until - since) / 1000.0;
    String where = view + (key.isEmpty() ? "" : " [" + key + "]");
    String message =
        rule.message() != null
            ? rule.message()
            : String.format(
                Locale.ROOT,
                status == Alert.Status.OPEN
                    ? "Opened: %s has had no row for %.0f s of event time (rule %s)"
                    : "Resolved: %s has rows again after %.0f s without (rule %s)",
                where,
                silentSeconds,
                rule.name());
    return new Alert(
        Incident.id(pipeline, rule.name(), key, since),
        status,
        "pipeline",
        pipeline,
        rule.name(),
        rule.severity().label(),
        view,
        key,
        AlertRule.SILENCE_SECONDS,
        silentSeconds,
        rule.threshold(),
        since,
        until,
        message);
  }
}
