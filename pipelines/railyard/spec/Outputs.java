package railyard.spec;

import java.io.Serializable;
import java.util.Objects;

/**
 * Where a pipeline writes. Relative paths are relative to the working directory.
 *
 * @param lake root of the raw lake and the dead letters
 * @param warehouse root of the warehouse tables
 * @param serving the serving store's database file
 */
public record Outputs(String lake, String warehouse, String serving) implements Serializable {

  public static final String DEFAULT_LAKE = "railyard-out/lake";
  public static final String DEFAULT_WAREHOUSE = "railyard-out/warehouse";
  public static final String DEFAULT_SERVING = "railyard-out/serving.db";

  public Outputs {
    Objects.requireNonNull(lake, "lake");
    Objects.requireNonNull(warehouse, "warehouse");
    Objects.requireNonNull(serving, "serving");
  }

  public static Outputs defaults() {
    return new Outputs(DEFAULT_LAKE, DEFAULT_WAREHOUSE, DEFAULT_SERVING);
  }
}
