package railyard.io.files;

import java.io.Serializable;
import org.joda.time.Duration;

/**
 * How a partitioned file write cuts unbounded input into files: how many files per partition and
 * pane, and how much processing time a pane gathers before its files are written. Bounded input
 * is written in one go and uses only the shard count. There is no lateness: every element is
 * written, however late (see {@link PartitionedFileWrite}).
 */
public record FileCadence(int numShards, Duration window) implements Serializable {

  /** One file per partition per minute. */
  public static FileCadence defaults() {
    return new FileCadence(1, Duration.standardMinutes(1));
  }

  /** Files per partition per pane; 0 lets the runner choose, bounded input only. */
  public FileCadence withNumShards(int numShards) {
    return new FileCadence(numShards, window);
  }

  /** How often (in processing time) unbounded input is cut into files. */
  public FileCadence withWindow(Duration window) {
    return new FileCadence(numShards, window);
  }
}
