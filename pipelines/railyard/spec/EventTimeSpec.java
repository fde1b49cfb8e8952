package railyard.spec;

import java.io.Serializable;
import java.util.Objects;
import org.joda.time.Duration;

/**
 * Which field holds an event's time, and how far it may stray from the time it was received.
 *
 * @param field a {@code timestamp} field of the schema
 * @param allowedSkew an event whose time is further than this from its receipt time, either way, is
 *     rejected as a dead letter
 */
public record EventTimeSpec(String field, Duration allowedSkew) implements Serializable {

  public static final Duration DEFAULT_ALLOWED_SKEW = Duration.standardDays(1);

  public EventTimeSpec {
    Objects.requireNonNull(field, "field");
    Objects.requireNonNull(allowedSkew, "allowedSkew");
  }
}
