package railyard.pipelines;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import railyard.spec.Outputs;
import railyard.spec.SpecLoader;

/**
 * The arguments of the warehouse commands ({@code catalog}, {@code sql}, {@code export}): words,
 * and {@code --name=value} options from a known set; anything else is an error naming it.
 */
final class CommandArgs {
  private final List<String> words = new ArrayList<>();
  private final Map<String, String> options = new LinkedHashMap<>();

  private CommandArgs() {}

  static CommandArgs parse(String[] args, Set<String> known) {
    CommandArgs parsed = new CommandArgs();
    for (String arg : args) {
      if (!arg.startsWith("--")) {
        parsed.words.add(arg);
        continue;
      }
      String[] pair = arg.substring(2).split("=", 2);
      if (!known.contains(pair[0])) {
        throw new IllegalArgumentException(
            "unknown option --" + pair[0] + " (options: --" + String.join(", --", known) + ")");
      }
      if (pair.length < 2 || pair[1].isEmpty()) {
        throw new IllegalArgumentException("--" + pair[0] + " needs a value: --" + pair[0] + "=…");
      }
      if (parsed.options.put(pair[0], pair[1]) != null) {
        throw new IllegalArgumentException("--" + pair[0] + " is given twice");
      }
    }
    return parsed;
  }

  List<String> words() {
    return words;
  }

  String option(String name, String fallback) {
    return options.getOrDefault(name, fallback);
  }

  String option(String name) {
    return options.get(name);
  }

  /** {@code --warehouse}, else the warehouse of {@code --spec}, else the default location. */
  String warehouse() {
    if (options.containsKey("warehouse")) {
      return options.get("warehouse");
    }
    if (options.containsKey("spec")) {
      return SpecLoader.load(Path.of(options.get("spec"))).outputs().warehouse();
    }
    return Outputs.DEFAULT_WAREHOUSE;
  }
}
