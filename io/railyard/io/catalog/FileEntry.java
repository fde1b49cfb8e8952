package railyard.io.catalog;

import java.io.Serializable;
import javax.annotation.Nullable;

/**
 * One Parquet file of a warehouse table, as the run that wrote it recorded it.
 *
 * @param file the file's path under the table's directory, e.g. {@code dt=2026-01-01/….parquet}
 * @param partition its {@code dt=} partition
 * @param minEventTime the earliest {@code _event_time} in it, epoch milliseconds (null if empty)
 * @param maxEventTime the newest {@code _event_time} in it, epoch milliseconds (null if empty)
 * @param schemaVersion the table's schema version the run wrote
 */
public record FileEntry(
    String file,
    String partition,
    long rows,
    long bytes,
    @Nullable Long minEventTime,
    @Nullable Long maxEventTime,
    int schemaVersion,
    String recordedAt)
    implements Serializable {}
