package railyard.pipelines;

import java.util.Arrays;
import java.util.stream.Stream;

/**
 * The Flex Templates' entry point ({@code FLEX_TEMPLATE_JAVA_MAIN_CLASS} in {@code
 * templates/Dockerfile}): {@link Railyard} with Dataflow as the runner unless the launch names
 * another. Railyard alone defaults to in-process Flink, and a template launch carries only the
 * template's parameters, so the image must not depend on the launcher adding {@code --runner}.
 */
public final class RailyardOnDataflow {
  static final String DATAFLOW = "--runner=DataflowRunner";

  private RailyardOnDataflow() {}

  public static void main(String[] args) {
    System.exit(Railyard.launch(withDataflowRunner(args), System.out, System.err));
  }

  /** {@code args} with {@value #DATAFLOW} in front, unless they already choose a runner. */
  public static String[] withDataflowRunner(String[] args) {
    if (Arrays.stream(args).anyMatch(arg -> arg.startsWith("--runner="))) {
      return args;
    }
    return Stream.concat(Stream.of(DATAFLOW), Arrays.stream(args)).toArray(String[]::new);
  }
}
