package railyard.schema;

import java.io.Serializable;
import javax.annotation.Nullable;

/**
 * How the generator draws a field's values. Keys follow a Zipf law so a few are hot, as in real
 * traffic.
 *
 * @param cardinality how many distinct values a string field takes
 * @param skew the Zipf exponent: 0 is uniform, 1 and above is heavily skewed
 * @param prefix what generated string values start with, e.g. {@code user-}
 * @param mean the mean of a numeric field's log-normal values (clamped to the field's range)
 */
public record GeneratorHint(
    @Nullable Integer cardinality, @Nullable Double skew, @Nullable String prefix, @Nullable Double mean)
    implements Serializable {}
