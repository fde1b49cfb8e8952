package railyard.io.catalog;

/** A spec's schema that cannot follow what the catalog already holds; the message names the field. */
public final class IncompatibleSchemaException extends IllegalArgumentException {
  public IncompatibleSchemaException(String message) {
    super(message);
  }
}
