package railyard.io.bigquery;

import com.google.api.services.bigquery.model.TableReference;
import java.io.Serializable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A BigQuery dataset named as an output location: {@code bigquery:<project>:<dataset>}, e.g. in
 * {@code --warehouse=bigquery:my-project:railyard} or the spec's {@code outputs.warehouse}.
 */
public record BigQueryLocation(String project, String dataset) implements Serializable {
  public static final String SCHEME = "bigquery:";

  // Project ids: 6–30 lower-case letters, digits and hyphens (a domain-scoped "example.com:p" too);
  // datasets: letters, digits and underscores.
  private static final Pattern LOCATION =
      Pattern.compile("bigquery:((?:[a-z][-a-z0-9.]*[a-z0-9]:)?[a-z][-a-z0-9]{4,28}[a-z0-9]):(\\w{1,1024})");

  /** Whether {@code location} names BigQuery rather than a file system path. */
  public static boolean isBigQuery(String location) {
    return location != null && location.startsWith(SCHEME);
  }

  public static BigQueryLocation parse(String location) {
    Matcher m = LOCATION.matcher(location == null ? "" : location.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "a BigQuery location is bigquery:<project>:<dataset>, e.g. bigquery:my-project:railyard;"
              + " was '"
              + location
              + "'");
    }
    return new BigQueryLocation(m.group(1), m.group(2));
  }

  /** The table spec BigQueryIO takes: {@code project:dataset.table}. */
  public String tableSpec(String table) {
    return project + ":" + dataset + "." + table;
  }

  public TableReference tableReference(String table) {
    return new TableReference().setProjectId(project).setDatasetId(dataset).setTableId(table);
  }

  @Override
  public String toString() {
    return SCHEME + project + ":" + dataset;
  }
}
