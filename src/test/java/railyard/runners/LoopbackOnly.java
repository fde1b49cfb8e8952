package railyard.runners;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.SocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import org.junit.rules.ExternalResource;

/**
 * Fails a test that tries to reach anything but loopback. Plain sockets, {@code
 * HttpURLConnection} (Google's HTTP clients) and gRPC's proxy detection all ask the default
 * {@link ProxySelector} before they connect; this one refuses every other host, and the test
 * fails afterwards even if the code under test swallowed the error.
 */
public final class LoopbackOnly extends ExternalResource {
  private static final Set<String> LOOPBACK_NAMES = Set.of("localhost", "127.0.0.1", "::1", "[::1]");

  private final List<URI> refused = Collections.synchronizedList(new ArrayList<>());
  private ProxySelector previous;

  @Override
  protected void before() {
    previous = ProxySelector.getDefault();
    ProxySelector.setDefault(
        new ProxySelector() {
          @Override
          public List<Proxy> select(URI uri) {
            if (!isLoopback(uri.getHost())) {
              refused.add(uri);
              throw new IllegalStateException("a test may reach loopback only, not " + uri);
            }
            return List.of(Proxy.NO_PROXY);
          }

          @Override
          public void connectFailed(URI uri, SocketAddress address, IOException e) {}
        });
  }

  @Override
  protected void after() {
    ProxySelector.setDefault(previous);
    assertThat("connections attempted beyond loopback", refused, empty());
  }

  static boolean isLoopback(String host) {
    if (host == null || LOOPBACK_NAMES.contains(host)) {
      return true;
    }
    // Only literal addresses are judged: looking a name up would itself reach out.
    if (host.matches("[0-9.]+") || host.contains(":")) {
      try {
        return InetAddress.getByName(host).isLoopbackAddress();
      } catch (IOException e) {
        return false;
      }
    }
    return false;
  }
}
