package railyard.spec;

import java.io.Serializable;
import java.util.Objects;
import javax.annotation.Nullable;
import org.joda.time.Duration;
import railyard.io.filedrop.DropFormat;

/**
 * A watched folder: {@code source: {type: watch, path, pollInterval, format, stopWhenIdleFor}}.
 *
 * @param path a Beam file pattern (local, gs://, s3://) matched again every poll
 * @param pollInterval how often the pattern is matched
 * @param format every file's format, or null to tell each file's format by its name
 * @param stopWhenIdleFor stop watching once no new file has appeared for this long; null watches
 *     forever
 */
public record WatchSourceSpec(
    String path,
    Duration pollInterval,
    @Nullable DropFormat format,
    @Nullable Duration stopWhenIdleFor)
    implements Serializable {

  public WatchSourceSpec {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(pollInterval, "pollInterval");
  }

  /** Reads a {@code type: watch} source block. */
  static WatchSourceSpec read(SpecNode node) {
    Duration pollInterval =
        node.get("pollInterval").or(SpecNode::duration, Duration.standardSeconds(5));
    if (!pollInterval.isLongerThan(Duration.ZERO)) {
      throw node.get("pollInterval").fail("must be longer than zero");
    }
    Duration idle = node.get("stopWhenIdleFor").orNull(SpecNode::duration);
    if (idle != null && !idle.isLongerThan(Duration.ZERO)) {
      throw node.get("stopWhenIdleFor").fail("must be longer than zero");
    }
    return new WatchSourceSpec(
        node.require("path").location(),
        pollInterval,
        node.get("format").orNull(format -> format.enumValue(DropFormat.class)),
        idle);
  }
}
