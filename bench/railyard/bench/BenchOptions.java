package railyard.bench;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import railyard.pipelines.RailyardOptions;

/** A measured run: Railyard's own options (spec, mode, events, rate) plus what the harness labels. */
public interface BenchOptions extends RailyardOptions {
  @Description("Name of the case in the results, e.g. flink-batch-skewed.")
  @Default.String("unnamed")
  String getCase();

  void setCase(String value);

  @Description(
      "What the run reads: lake (the pre-generated workload; batch), generator (unbounded, "
          + "streaming), or generator-only (the generator alone, to net out its cost).")
  @Default.String("lake")
  String getInput();

  void setInput(String value);
}
