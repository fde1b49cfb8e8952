package railyard.io.mqtt;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import org.fusesource.mqtt.client.BlockingConnection;
import org.fusesource.mqtt.client.MQTT;
import org.fusesource.mqtt.client.QoS;

/**
 * A second Mosquitto, started by a test on a free loopback port, that refuses anonymous clients:
 * one user with a password (made with {@code mosquitto_passwd}), and optionally TLS with a
 * certificate and key the test made. Closing it stops the process.
 */
public final class PrivateMosquitto implements AutoCloseable {
  public static final String USER = "plant-7";
  public static final String PASSWORD = "s3cret pass";

  private final Process process;
  private final int port;
  private final boolean tls;
  private final Path log;

  private PrivateMosquitto(Process process, int port, boolean tls, Path log) {
    this.process = process;
    this.port = port;
    this.tls = tls;
    this.log = log;
  }

  /** Plain TCP with a password file. */
  public static PrivateMosquitto withPassword(Path folder) throws Exception {
    return start(folder, null);
  }

  /** TLS ({@code ssl://}) with a password file, serving {@code certificate}. */
  static PrivateMosquitto withTls(Path folder, SelfSignedCertificate certificate) throws Exception {
    return start(folder, certificate);
  }

  private static PrivateMosquitto start(Path folder, SelfSignedCertificate certificate)
      throws Exception {
    Path passwords = folder.resolve("passwords");
    run(List.of("mosquitto_passwd", "-b", "-c", passwords.toString(), USER, PASSWORD));
    int port = freePort();
    StringBuilder conf =
        new StringBuilder()
            .append("listener ").append(port).append(" 127.0.0.1\n")
            .append("allow_anonymous false\n")
            .append("password_file ").append(passwords).append('\n')
            .append("persistence false\n");
    if (certificate != null) {
      conf.append("certfile ").append(certificate.certificatePem()).append('\n')
          .append("keyfile ").append(certificate.keyPem()).append('\n');
    }
    Path confFile = folder.resolve("mosquitto.conf");
    Files.writeString(confFile, conf);
    // Started as root, Mosquitto drops to its own user, which must read these throw-away files.
    readableByAll(folder);
    Path log = folder.resolve("mosquitto.log");
    Process process =
        new ProcessBuilder("mosquitto", "-c", confFile.toString())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    PrivateMosquitto broker = new PrivateMosquitto(process, port, certificate != null, log);
    broker.awaitListening();
    return broker;
  }

  public String uri() {
    return (tls ? "ssl" : "tcp") + "://127.0.0.1:" + port;
  }

  /** Publishes once as {@link #USER}, QoS 1, trusting {@code ssl} for TLS (null for plain TCP). */
  void publish(String topic, byte[] payload, SSLContext ssl) throws Exception {
    MQTT client = new MQTT();
    client.setHost(uri());
    client.setUserName(USER);
    client.setPassword(PASSWORD);
    if (ssl != null) {
      client.setSslContext(ssl);
    }
    client.setConnectAttemptsMax(1);
    client.setReconnectAttemptsMax(0);
    BlockingConnection connection = client.blockingConnection();
    connection.connect();
    try {
      connection.publish(topic, payload, QoS.AT_LEAST_ONCE, false);
    } finally {
      connection.disconnect();
    }
  }

  /**
   * Publishes in the background every {@code everyMillis} until the returned handle is closed:
   * A new session misses a message published before it subscribed.
   */
  public AutoCloseable publishRepeatedly(String topic, byte[] payload, SSLContext ssl, long everyMillis) {
    AtomicInteger failures = new AtomicInteger();
    Thread thread =
        new Thread(
            () -> {
              while (!Thread.currentThread().isInterrupted()) {
                try {
                  publish(topic, payload, ssl);
                  Thread.sleep(everyMillis);
                } catch (InterruptedException e) {
                  return;
                } catch (Exception e) {
                  if (failures.incrementAndGet() > 20) {
                    return;
                  }
                }
              }
            },
            "private-mosquitto-publisher");
    thread.setDaemon(true);
    thread.start();
    return () -> {
      thread.interrupt();
      thread.join(10_000);
    };
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

  private void awaitListening() throws Exception {
    long deadline = System.currentTimeMillis() + 10_000;
    while (System.currentTimeMillis() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("mosquitto exited: " + log());
      }
      try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
        return;
      } catch (IOException notYet) {
        Thread.sleep(100);
      }
    }
    close();
    throw new IllegalStateException("mosquitto did not listen on " + port + ": " + log());
  }

  private static void readableByAll(Path folder) throws IOException {
    Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwxr-xr-x"));
    try (var files = Files.list(folder)) {
      for (Path file : files.toList()) {
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
      }
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  static void run(List<String> command) throws Exception {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes());
    if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
      throw new IllegalStateException(command.get(0) + " failed: " + output);
    }
  }
}
