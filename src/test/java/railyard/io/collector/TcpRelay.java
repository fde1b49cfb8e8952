package railyard.io.collector;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Relays TCP connections from a loopback port to a real broker, and can be taken down and brought
 * back on the same port: a broker outage for one client without stopping the shared broker.
 */
final class TcpRelay implements AutoCloseable {
  private final int targetPort;
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private int port;
  private volatile ServerSocket server;

  TcpRelay(int targetPort) throws IOException {
    this.targetPort = targetPort;
    up();
  }

  int port() {
    return port;
  }

  synchronized void up() throws IOException {
    ServerSocket socket = new ServerSocket();
    socket.setReuseAddress(true);
    socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
    port = socket.getLocalPort();
    server = socket;
    Thread acceptor = new Thread(() -> accept(socket), "relay-accept");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /** Refuses new connections and cuts the open ones. */
  synchronized void down() throws IOException {
    server.close();
    for (Socket socket : sockets) {
      socket.close();
    }
    sockets.clear();
  }

  @Override
  public void close() throws IOException {
    down();
  }

  private void accept(ServerSocket listening) {
    while (!listening.isClosed()) {
      try {
        Socket client = listening.accept();
        Socket target = new Socket(InetAddress.getLoopbackAddress(), targetPort);
        sockets.add(client);
        sockets.add(target);
        pump(client, target);
        pump(target, client);
      } catch (IOException closed) {
        return;
      }
    }
  }

  private static void pump(Socket from, Socket to) {
    Thread thread =
        new Thread(
            () -> {
              byte[] buffer = new byte[8192];
              try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                  out.write(buffer, 0, n);
                  out.flush();
                }
              } catch (IOException ended) {
                // one side closed; close the other below
              } finally {
                try {
                  from.close();
                  to.close();
                } catch (IOException ignored) {
                  // already closed
                }
              }
            },
            "relay-pump");
    thread.setDaemon(true);
    thread.start();
  }
}
