package railyard.pipelines;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.values.PCollection;
import railyard.io.alerts.WebhookReceiver;
import railyard.model.RawEvent;
import railyard.spec.PipelineSpec;
import railyard.spec.SpecLoader;

/** The alert tests' spec, and the job run on the Direct runner from its raw events on. */
final class AlertJobs {
  static final String SPEC =
      """
      name: shop
      source: {type: generator}
      schema:
        table: shop_events
        fields:
          - {name: id, type: string, required: true}
          - {name: amount, type: double, min: 0, max: 1000}
          - {name: ts, type: timestamp, required: true}
      eventTime: {field: ts, allowedSkew: 1h}
      dedupe: {key: id, horizon: 10m}
      allowedLateness: 30m
      outputs: {lake: "%1$s/lake", warehouse: "%1$s/warehouse", serving: "%1$s/serving.db"}
      alerts:
        freshness: 5m
        sinks:
          store: true
          webhook: {url: "%2$s", maxAttempts: 60, initialBackoff: 100ms, maxBackoff: 1s}
        rules:
          - {name: volume_drop, metric: received, below: 0.5, baseline: 10, severity: critical}
          - {name: invalid_spike, metric: invalid_ratio, above: 0.2, severity: critical}
          - {name: late_storm, metric: late, above: 10}
      """;

  /** Whole minutes starting three hours ago: old enough that the watchdog finds them stale. */
  static long start() {
    long threeHoursAgo = System.currentTimeMillis() - 3 * 3_600_000L;
    return threeHoursAgo - threeHoursAgo % AlertTimeline.MINUTE;
  }

  /** The spec with its outputs under {@code folder} and its webhook at {@code webhookUrl}. */
  static PipelineSpec spec(Path folder, String webhookUrl) throws Exception {
    Path file = folder.resolve("shop.yaml");
    Files.writeString(file, String.format(SPEC, folder, webhookUrl));
    return SpecLoader.load(file);
  }

  static PipelineResult run(
      PipelineSpec spec, String mode, Function<Pipeline, PCollection<RawEvent>> events) {
    RailyardOptions options =
        PipelineOptionsFactory.fromArgs("--mode=" + mode, "--runner=DirectRunner")
            .as(RailyardOptions.class);
    Pipeline pipeline = Pipeline.create(options);
    RailyardJob.of(spec, options).process(events.apply(pipeline));
    PipelineResult result = pipeline.run();
    result.waitUntilFinish(org.joda.time.Duration.standardMinutes(8));
    return result;
  }

  /** Each post as "rule status". */
  static List<String> changes(List<WebhookReceiver.Post> posts) {
    return posts.stream()
        .map(p -> p.body().get("rule").asText() + " " + p.body().get("status").asText())
        .toList();
  }

  private AlertJobs() {}
}
