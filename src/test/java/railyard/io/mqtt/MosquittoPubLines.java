package railyard.io.mqtt;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * {@code mosquitto_pub -l -q 1}: publishes each line written to its standard input as one QoS-1
 * message, as fast as it goes. Lines are {@code {"n":<i>}}.
 */
final class MosquittoPubLines implements AutoCloseable {
  private final Process process;
  private final OutputStream lines;
  private final Path log;

  MosquittoPubLines(int port, String topic, Path log) throws IOException {
    this.log = log;
    process =
        new ProcessBuilder(
                "mosquitto_pub", "-h", "127.0.0.1", "-p", Integer.toString(port), "-q", "1",
                "-t", topic, "-l")
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    lines = process.getOutputStream();
  }

  static String line(int n) {
    return "{\"n\":" + n + "}";
  }

  /** Writes the lines for {@code from} up to {@code to}, exclusive. */
  void send(int from, int to) throws IOException {
    StringBuilder text = new StringBuilder();
    for (int n = from; n < to; n++) {
      text.append(line(n)).append('\n');
    }
    lines.write(text.toString().getBytes(StandardCharsets.UTF_8));
    lines.flush();
  }

  /** Ends the input and waits until everything was published. */
  void finish(long timeoutSeconds) throws Exception {
    lines.close();
    if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
      throw new IllegalStateException("mosquitto_pub still publishing after " + timeoutSeconds + " s");
    }
    if (process.exitValue() != 0) {
      throw new IllegalStateException("mosquitto_pub failed: " + java.nio.file.Files.readString(log));
    }
  }

  @Override
  public void close() throws Exception {
    if (process.isAlive()) {
      process.destroy();
      process.waitFor(10, TimeUnit.SECONDS);
    }
  }
}
