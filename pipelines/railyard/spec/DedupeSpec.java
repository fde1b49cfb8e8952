package railyard.spec;

import java.io.Serializable;
import java.util.Objects;
import org.joda.time.Duration;

/**
 * How duplicates are recognised and for how long.
 *
 * @param key the schema field whose value identifies an event; a second event with the same value
 *     within the horizon is a counted duplicate
 * @param horizon how long a key is remembered
 */
public record DedupeSpec(String key, Duration horizon) implements Serializable {

  public static final Duration DEFAULT_HORIZON = Duration.standardMinutes(10);

  public DedupeSpec {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(horizon, "horizon");
  }
}
