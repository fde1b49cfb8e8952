package railyard.io.mqtt;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;

/**
 * Mosquitto as installed, on a free loopback port: its configuration sets the listener (open to
 * anonymous clients) and where it persists sessions, nothing else, so every limit is the stock one (20 messages in flight and
 * 1,000 queued per client). Its log (warnings such as dropped messages included) goes to a file.
 */
final class StockMosquitto implements AutoCloseable {
  private final Process process;
  private final int port;
  private final Path log;

  private StockMosquitto(Process process, int port, Path log) {
    this.process = process;
    this.port = port;
    this.log = log;
  }

  static StockMosquitto start(Path folder) throws Exception {
    Path data = Files.createDirectories(folder.resolve("mosquitto-data"));
    int port;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }
    Path conf = folder.resolve("mosquitto.conf");
    Files.writeString(
        conf,
        "listener " + port + " 127.0.0.1\n"
            // Mosquitto 2 refuses anonymous clients on a listener configured without this.
            + "allow_anonymous true\n"
            + "persistence true\n"
            + "persistence_location " + data + "/\n");
    // Started as root, Mosquitto drops to its own user, which must read the file and write data/.
    Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.setPosixFilePermissions(conf, PosixFilePermissions.fromString("rw-r--r--"));
    Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwxrwxrwx"));
    Path log = folder.resolve("mosquitto.log");
    Process process =
        new ProcessBuilder("mosquitto", "-c", conf.toString())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    StockMosquitto broker = new StockMosquitto(process, port, log);
    long deadline = System.currentTimeMillis() + 10_000;
    while (true) {
      try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
        return broker;
      } catch (IOException notYet) {
        if (!process.isAlive() || System.currentTimeMillis() > deadline) {
          broker.close();
          throw new IllegalStateException("mosquitto did not start: " + broker.log());
        }
        Thread.sleep(100);
      }
    }
  }

  String uri() {
    return "tcp://127.0.0.1:" + port;
  }

  int port() {
    return port;
  }

  String log() throws IOException {
    return Files.exists(log) ? Files.readString(log) : "";
  }

  @Override
  public void close() throws Exception {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }
}
