package railyard.pipelines;

import java.io.File;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/** Runs the whole job in this JVM as its command line would, its outputs under one folder. */
final class JobRun {
  private JobRun() {}

  /**
   * Runs {@code spec} on Flink with the lake, warehouse and serving store under {@code out}; an
   * option in {@code extra} replaces the default of the same name.
   */
  static RunSummary run(String spec, File out, String... extra) {
    String[] defaults = {
      "--spec=" + spec,
      "--runner=FlinkRunner",
      "--lake=" + new File(out, "lake"),
      "--warehouse=" + new File(out, "warehouse"),
      "--serving=" + new File(out, "serving.db"),
    };
    Set<String> replaced = Arrays.stream(extra).map(JobRun::name).collect(Collectors.toSet());
    String[] args =
        Stream.concat(
                Arrays.stream(defaults).filter(arg -> !replaced.contains(name(arg))),
                Arrays.stream(extra))
            .toArray(String[]::new);
    RailyardOptions options = PipelineOptionsFactory.fromArgs(args).as(RailyardOptions.class);
    return Railyard.run(Railyard.loadSpec(options), options, args);
  }

  private static String name(String arg) {
    return arg.split("=", 2)[0];
  }
}
