package railyard.io.serving;

import java.util.List;
import java.util.Set;
import railyard.model.Alert;
import railyard.model.ServingRow;
import railyard.model.ServingRow.Layer;

/**
 * Where serving rows live and how readers see them. A row is keyed by ({@code view}, {@code key},
 * {@code windowStart}, {@code windowEnd}, {@code layer}); writes are upserts, so retries and
 * replays never double count, and an older pane never replaces a newer one.
 *
 * <p>Views listed as <em>merging</em> (session windows) get one more rule: a row supersedes the
 * rows of the same view, key and layer whose window lies strictly inside its own (a merged, wider
 * session replaces the sessions it grew from), and a row whose window lies strictly inside an
 * existing one is ignored, so the widest session wins whatever order the writes arrive in. The
 * store records which views merge, so readers that open it without saying so merge them alike.
 *
 * <p>Implementations are safe to share between threads, and several stores, in one process or
 * many, may write to the same location at once.
 */
public interface ServingStore extends AutoCloseable {

  /** Writes {@code rows} in one transaction: all of them or none. */
  void upsert(List<ServingRow> rows);

  /**
   * The lambda merge of one view: for each key and window, the batch row where one exists, else
   * the newest speed row. A batch window hides the speed rows whose windows it contains, which for
   * fixed and sliding windows means the same window; a batch session hides every speed session of
   * its key that it overlaps, so no event counts in both layers. Ordered by key, then window.
   */
  List<ServingRow> readMerged(String view);

  /** Every row of one layer of one view, ordered by key, then window. */
  List<ServingRow> readLayer(String view, Layer layer);

  /**
   * One page of the lambda merge of {@code view}: the rows of {@code keys} whose window starts in
   * [{@code fromMillis}, {@code toMillis}), ordered by key, then window, after {@code after} (the
   * last row of the previous page; {@code null} for the first page), at most {@code limit} rows.
   */
  List<ServingRow> readMerged(
      String view,
      List<String> keys,
      long fromMillis,
      long toMillis,
      WindowPosition after,
      int limit);

  /** The lambda merge of {@code view}'s windows that start at {@code windowStart}, by key. */
  List<ServingRow> readMergedStartingAt(String view, long windowStart);

  /**
   * The rows (lambda merge, by key) of {@code view}'s latest complete window: of the windows with
   * a final merged row — a batch row, or a speed row whose pane is {@code ON_TIME} or {@code
   * LATE}, i.e. fired once the watermark passed the window's end — the one starting last (of
   * those, the longest). Empty if no window is complete yet. Rows of that window still in an
   * early pane are included as they are.
   */
  List<ServingRow> readLatestCompleteWindow(String view);

  /** What the rows tell about each view, in view-name order. */
  List<ViewStats> viewStats();

  /** The views that have rows, in name order. */
  List<String> views();

  /**
   * Records one change of an incident in the {@code alerts} table: an opening adds the incident
   * unless it is there already; a resolution marks it resolved unless it is already. Returns
   * whether the table changed, so a repeated alert is recognised.
   */
  boolean recordAlert(Alert alert, long recordedAt);

  /** The incidents still open, oldest first. */
  List<StoredAlert> openAlerts();

  /** The newest {@code limit} incidents, open or resolved, newest first. */
  List<StoredAlert> recentAlerts(int limit);

  /** How many rows the store holds, all views and layers. */
  long countRows();

  @Override
  void close();

  /** Opens the store at {@code location} with no merging views. See {@link #open(String, Set)}. */
  static ServingStore open(String location) {
    return open(location, Set.of());
  }

  /**
   * Opens (creating if absent) the store at {@code location}: a path to a {@code .db} file or
   * {@code sqlite:<path>} (the embedded store), or a PostgreSQL database, {@code
   * postgresql://host:port/db?user=…} (also {@code postgres://} or a {@code jdbc:postgresql://}
   * URL).
   *
   * @param mergingViews the views whose windows merge (session windows)
   * @throws IllegalArgumentException if the location is not one of the accepted forms
   */
  static ServingStore open(String location, Set<String> mergingViews) {
    if (SqliteServingStore.accepts(location)) {
      return SqliteServingStore.open(location, mergingViews);
    }
    if (PostgresServingStore.accepts(location)) {
      return PostgresServingStore.open(location, mergingViews);
    }
    throw new IllegalArgumentException(
        "Serving location '"
            + location
            + "' is not a path to a .db file, sqlite:<path>, nor postgresql://host:port/db");
  }

  /** The kind of store at {@code location}, as {@link #open} reads it: SQLite or PostgreSQL. */
  static String kindOf(String location) {
    if (SqliteServingStore.accepts(location)) {
      return "SQLite";
    }
    if (PostgresServingStore.accepts(location)) {
      return "PostgreSQL";
    }
    throw new IllegalArgumentException("not a serving store location: " + location);
  }

  /** Whether {@link #open} understands {@code location}; checks the form, not the store. */
  static boolean accepts(String location) {
    return SqliteServingStore.accepts(location) || PostgresServingStore.accepts(location);
  }
}
