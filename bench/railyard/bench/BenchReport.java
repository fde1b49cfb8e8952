package railyard.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Turns a run's {@code raw.jsonl} into the markdown table of docs/benchmarks.md: per case, the
 * median of its runs, and its events per CPU-second as a share of the plain-Java limit measured on
 * the same workload in the same run.
 *
 * <pre>
 * BenchReport raw.jsonl [machine.txt]                    the report
 * BenchReport --median=FIELD --case=NAME raw.jsonl       one median, as an integer (for bench/run)
 * </pre>
 */
public final class BenchReport {
  private BenchReport() {}

  public static void main(String[] args) throws IOException {
    if (args[0].startsWith("--median=")) {
      String field = args[0].substring("--median=".length());
      String name = args[1].substring("--case=".length());
      List<Map<String, Object>> runs = load(Path.of(args[2])).getOrDefault(name, List.of());
      System.out.println(Math.round(median(runs, field).orElse(0.0)));
      return;
    }
    Map<String, List<Map<String, Object>>> cases = load(Path.of(args[0]));
    StringBuilder out = new StringBuilder();
    if (args.length > 1) {
      out.append("```\n").append(Files.readString(Path.of(args[1]))).append("```\n\n");
    }
    out.append("| case | runs | events | events/CPU-s | events/s (wall) | of the limit, per core"
        + " | peak heap after GC (MiB) | p50 / p99 latency (ms) |\n");
    out.append("|---|---:|---:|---:|---:|---:|---:|---:|\n");
    cases.forEach((name, runs) -> out.append(row(name, runs, cases)));
    System.out.print(out);
  }

  private static String row(
      String name, List<Map<String, Object>> runs, Map<String, List<Map<String, Object>>> cases) {
    if (name.startsWith("startup")) {
      return String.format(
          "| %s | %d | 1,000 | | | | | process launch to exit: %.1f s (median) |%n",
          name, runs.size(), median(runs, "processWallSeconds").orElse(0.0));
    }
    Optional<Double> perCpu = median(runs, "eventsPerCpuSecond");
    Optional<Double> limit =
        Optional.ofNullable(cases.get(limitCaseOf(name)))
            .flatMap(limitRuns -> median(limitRuns, "eventsPerCpuSecond"));
    String share =
        perCpu.isPresent() && limit.isPresent() && comparesToTheLimit(name)
            ? String.format("%.0f%%", 100 * perCpu.get() / limit.get())
            : "";
    String latency =
        median(runs, "p50Millis")
            .map(p50 -> String.format("%.0f / %.0f", p50, median(runs, "p99Millis").orElse(0.0)))
            .orElse("");
    return String.format(
        "| %s | %d | %s | %s | %s | %s | %s | %s |%n",
        name,
        runs.size(),
        median(runs, "events").map(BenchReport::grouped).orElse(""),
        perCpu.map(BenchReport::grouped).orElse(""),
        median(runs, "eventsPerWallSecond").map(BenchReport::grouped).orElse(""),
        share,
        max(runs, "peakHeapAfterGcMiB").map(BenchReport::grouped).orElse(""),
        latency);
  }

  /** Throughput cases; latency runs are paced and the limit is the limit. */
  private static boolean comparesToTheLimit(String name) {
    return !name.startsWith("limit") && !name.startsWith("latency") && !name.startsWith("generator");
  }

  /**
   * The limit on the same workload: same key setting and size, e.g. {@code flink-batch-many-small}
   * → {@code limit-batch-many-small}; a parallelism suffix ({@code -p1}) does not change the
   * workload.
   */
  static String limitCaseOf(String name) {
    String keys = name.contains("-many") ? "many" : "skewed";
    if (!name.contains(keys)) {
      return "";
    }
    String workload = name.substring(name.indexOf(keys)).replaceAll("-p\\d+$", "");
    return "limit-batch-" + workload;
  }

  private static Map<String, List<Map<String, Object>>> load(Path raw) throws IOException {
    Map<String, List<Map<String, Object>>> cases = new LinkedHashMap<>();
    for (String line : Files.readAllLines(raw)) {
      if (!line.isBlank()) {
        Map<String, Object> result = Json.parse(line);
        cases.computeIfAbsent(String.valueOf(result.get("case")), c -> new ArrayList<>()).add(result);
      }
    }
    return cases;
  }

  static Optional<Double> median(List<Map<String, Object>> runs, String field) {
    List<Double> values = values(runs, field);
    if (values.isEmpty()) {
      return Optional.empty();
    }
    int n = values.size();
    return Optional.of(n % 2 == 1 ? values.get(n / 2) : (values.get(n / 2 - 1) + values.get(n / 2)) / 2);
  }

  private static Optional<Double> max(List<Map<String, Object>> runs, String field) {
    List<Double> values = values(runs, field);
    return values.isEmpty() ? Optional.empty() : Optional.of(values.get(values.size() - 1));
  }

  private static List<Double> values(List<Map<String, Object>> runs, String field) {
    return runs.stream()
        .map(run -> run.get(field))
        .filter(Number.class::isInstance)
        .map(v -> ((Number) v).doubleValue())
        .sorted()
        .toList();
  }

  private static String grouped(double value) {
    return String.format("%,d", Math.round(value));
  }
}
