package railyard.pipelines;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import org.junit.rules.TemporaryFolder;

/** Specs of file imports for tests. */
public final class FileImportSpecs {
  private FileImportSpecs() {}

  /**
   * The orders schema (id, shop, total, ts) with event time from {@code ts} within {@code
   * allowedSkew} and deduplication by {@code id}: spec lines, without a trailing newline.
   */
  public static String ordersSchema(String allowedSkew) {
    return String.join(
        "\n",
        "schema:",
        "  fields:",
        "    - {name: id, type: string, required: true}",
        "    - {name: shop, type: string, required: true}",
        "    - {name: total, type: double}",
        "    - {name: ts, type: timestamp, required: true}",
        "eventTime: {field: ts, allowedSkew: " + allowedSkew + "}",
        "dedupe: {key: id}");
  }

  /** An import of {@code events} (orders: id, shop, total, ts) with a view of sales per shop. */
  static File orders(TemporaryFolder folder, File events) throws IOException {
    File spec = folder.newFile("orders.yaml");
    Files.writeString(
        spec.toPath(),
        String.join(
            "\n",
            "name: orders",
            "source: {type: file, path: '" + events.getPath() + "'}",
            FileImportSpecs.ordersSchema("1d"),
            "views:",
            "  - name: sales",
            "    window: {type: fixed, size: 1h}",
            "    groupBy: [shop]",
            "    metrics: [{name: revenue, op: sum, field: total}]",
            ""));
    return spec;
  }
}
