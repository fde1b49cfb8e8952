package railyard.io.files;

import java.io.Serializable;
import org.joda.time.Duration;

/**
 * How a partitioned file write cuts unbounded input into files: how many files per partition and
 * window, how long a window is, and how late data may still be written. Bounded input is written
 * in one go and uses only the shard count.
 */
public record FileCadence(int numShards, Duration window, Duration allowedLateness)
    implements Serializable {

  /** One file per partition per minute, late data written for up to a day. */
  public static FileCadence defaults() {
    return new FileCadence(1, Duration.standardMinutes(1), Duration.standardDays(1));
  }

  /** Files per partition per window (per pane); 0 lets the runner choose, bounded input only. */
  public FileCadence withNumShards(int numShards) {
    return new FileCadence(numShards, window, allowedLateness);
  }

  /** How often unbounded input is cut into files. */
  public FileCadence withWindow(Duration window) {
    return new FileCadence(numShards, window, allowedLateness);
  }

  /** How late (behind the watermark) an element may arrive and still be written. */
  public FileCadence withAllowedLateness(Duration allowedLateness) {
    return new FileCadence(numShards, window, allowedLateness);
  }
}
