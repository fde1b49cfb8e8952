package railyard.schema;

import java.io.Serializable;
import java.util.List;
import java.util.Objects;
import javax.annotation.Nullable;

/**
 * One declared field: its type and the rules that validate and conform its values.
 *
 * @param required a record without a value here is a dead letter
 * @param min smallest accepted numeric value, inclusive
 * @param max largest accepted numeric value, inclusive
 * @param allowed the only accepted values of a string field (after trimming and lower-casing)
 * @param trim strip surrounding whitespace from a string before checking it
 * @param lowercase lower-case a string before checking it
 * @param maxLength longest accepted string
 * @param coerce accept a value of another JSON type that converts without loss ("12" for a long,
 *     12 for a string, "true" for a boolean, epoch milliseconds for a timestamp)
 * @param generate how the built-in generator makes values for this field
 */
public record FieldSpec(
    String name,
    FieldKind kind,
    boolean required,
    @Nullable Double min,
    @Nullable Double max,
    List<String> allowed,
    boolean trim,
    boolean lowercase,
    @Nullable Integer maxLength,
    boolean coerce,
    @Nullable GeneratorHint generate)
    implements Serializable {

  public FieldSpec {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(kind, "kind");
    allowed = allowed == null ? List.of() : List.copyOf(allowed);
  }

  /** A plain optional field with no rules. */
  public static FieldSpec of(String name, FieldKind kind) {
    return new FieldSpec(name, kind, false, null, null, List.of(), false, false, null, false, null);
  }

  public FieldSpec asRequired() {
    return new FieldSpec(
        name, kind, true, min, max, allowed, trim, lowercase, maxLength, coerce, generate);
  }
}
