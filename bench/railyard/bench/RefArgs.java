package railyard.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import railyard.spec.PipelineSpec;
import railyard.spec.SpecLoader;
import railyard.spec.SpecOverrides;

/**
 * The command line of the reference programs: {@code --name=value} options, each one known by
 * name, so that a mistyped option fails the run instead of being ignored.
 */
final class RefArgs {
  private final Map<String, String> values = new HashMap<>();

  private RefArgs() {}

  /** {@code --spec} and {@code --case} are always known; {@code --lake} overrides the spec's. */
  static RefArgs parse(String[] args, String... moreKnown) {
    List<String> known = new ArrayList<>(List.of("spec", "case", "lake"));
    known.addAll(List.of(moreKnown));
    RefArgs parsed = new RefArgs();
    for (String arg : args) {
      int eq = arg.indexOf('=');
      String name = arg.startsWith("--") && eq > 2 ? arg.substring(2, eq) : null;
      if (name == null || !known.contains(name)) {
        throw new IllegalArgumentException(
            "unknown argument " + arg + "; expected --name=value with a name in " + known);
      }
      parsed.values.put(name, arg.substring(eq + 1));
    }
    return parsed;
  }

  String get(String name, String fallback) {
    return values.getOrDefault(name, fallback);
  }

  int getInt(String name, int fallback) {
    return values.containsKey(name) ? Integer.parseInt(values.get(name)) : fallback;
  }

  String caseName() {
    return get("case", "unnamed");
  }

  /** The spec named by {@code --spec}, as {@code Railyard.loadSpec} loads it. */
  PipelineSpec spec() {
    String file = values.get("spec");
    if (file == null) {
      throw new IllegalArgumentException("--spec=<path to the spec's YAML> is required");
    }
    return SpecLoader.load(Path.of(file))
        .withOverrides(SpecOverrides.none().withLake(values.get("lake")));
  }
}
