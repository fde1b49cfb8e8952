package railyard.pipelines;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import org.junit.rules.TemporaryFolder;

/** Specs of file imports for tests. */
final class FileImportSpecs {
  private FileImportSpecs() {}

  /** An import of {@code events} (orders: id, shop, total, ts) with a view of sales per shop. */
  static File orders(TemporaryFolder folder, File events) throws IOException {
    File spec = folder.newFile("orders.yaml");
    Files.writeString(
        spec.toPath(),
        String.join(
            "\n",
            "name: orders",
            "source: {type: file, path: '" + events.getPath() + "'}",
            "schema:",
            "  fields:",
            "    - {name: id, type: string, required: true}",
            "    - {name: shop, type: string, required: true}",
            "    - {name: total, type: double}",
            "    - {name: ts, type: timestamp, required: true}",
            "eventTime: {field: ts, allowedSkew: 1d}",
            "dedupe: {key: id}",
            "views:",
            "  - name: sales",
            "    window: {type: fixed, size: 1h}",
            "    groupBy: [shop]",
            "    metrics: [{name: revenue, op: sum, field: total}]",
            ""));
    return spec;
  }
}
