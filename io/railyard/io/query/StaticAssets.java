package railyard.io.query;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Properties;

/**
 * The files the service serves as they are, read from the classpath once at start: the dashboard,
 * the uPlot WebJar it charts with, and the OpenAPI description. A fixed list, so no request path
 * ever reaches the classpath or the file system.
 */
final class StaticAssets {
  record Asset(byte[] bytes, String contentType) {}

  private static final String UPLOT_PROPERTIES = "META-INF/maven/org.webjars.npm/uplot/pom.properties";

  private final Map<String, Asset> assets;

  private StaticAssets(Map<String, Asset> assets) {
    this.assets = assets;
  }

  static StaticAssets load() {
    String uplot = "META-INF/resources/webjars/uplot/" + uplotVersion() + "/dist/";
    return new StaticAssets(
        Map.of(
            "/", asset("railyard/dashboard/index.html", "text/html; charset=utf-8"),
            "/dashboard/dashboard.js",
                asset("railyard/dashboard/dashboard.js", "text/javascript; charset=utf-8"),
            "/dashboard/dashboard.css",
                asset("railyard/dashboard/dashboard.css", "text/css; charset=utf-8"),
            "/webjars/uplot/uPlot.iife.min.js",
                asset(uplot + "uPlot.iife.min.js", "text/javascript; charset=utf-8"),
            "/webjars/uplot/uPlot.min.css", asset(uplot + "uPlot.min.css", "text/css; charset=utf-8"),
            "/openapi.json",
                asset("railyard/query/openapi.json", "application/json; charset=utf-8")));
  }

  /** The asset served at {@code path}, or null. */
  Asset at(String path) {
    return assets.get(path);
  }

  private static String uplotVersion() {
    Properties properties = new Properties();
    try (InputStream in = resource(UPLOT_PROPERTIES)) {
      properties.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + UPLOT_PROPERTIES, e);
    }
    return properties.getProperty("version");
  }

  private static Asset asset(String name, String contentType) {
    try (InputStream in = resource(name)) {
      return new Asset(in.readAllBytes(), contentType);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + name + " from the classpath", e);
    }
  }

  private static InputStream resource(String name) {
    InputStream in = StaticAssets.class.getClassLoader().getResourceAsStream(name);
    if (in == null) {
      throw new IllegalStateException(name + " is missing from the classpath");
    }
    return in;
  }
}
