package railyard.io.filedrop;

import java.util.Locale;

/** How a dropped file's bytes become events. */
public enum DropFormat {
  /** One event per line, its bytes unchanged. */
  JSONL,
  /** A header row of field names, then one event per row: a JSON object of the row's strings. */
  CSV;

  /**
   * The format a file's name implies: {@code .csv} (or {@code .csv.gz}) is CSV, anything else
   * JSON lines.
   */
  public static DropFormat ofFileName(String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    if (lower.endsWith(".gz")) {
      lower = lower.substring(0, lower.length() - 3);
    }
    return lower.endsWith(".csv") ? CSV : JSONL;
  }

  /** The spelling used in specs and in the {@code file.format} attribute. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
