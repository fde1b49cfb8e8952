package railyard.runners;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.junit.Assert.assertThrows;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;
import org.junit.runners.model.Statement;

/** The guard the Google Cloud tests run under really refuses to leave loopback. */
@RunWith(JUnit4.class)
public class LoopbackOnlyTest {

  @Test
  public void aSocketToAnotherHostFailsTheTest() {
    LoopbackOnly guard = new LoopbackOnly();
    Statement reachOut =
        new Statement() {
          @Override
          public void evaluate() {
            // TEST-NET-1 (RFC 5737): never routed; the guard refuses before any packet is sent.
            try (Socket socket = new Socket()) {
              socket.connect(new InetSocketAddress("192.0.2.1", 443), 1);
            } catch (IOException | RuntimeException expected) {
              // swallowed, as careless code might: the guard must still fail the test
            }
          }
        };
    assertThrows(AssertionError.class, () -> guard.apply(reachOut, null).evaluate());
  }

  @Test
  public void loopbackIsAllowed() throws Throwable {
    LoopbackOnly guard = new LoopbackOnly();
    Statement local =
        new Statement() {
          @Override
          public void evaluate() throws Throwable {
            try (ServerSocket server = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress());
                Socket socket = new Socket()) {
              socket.connect(new InetSocketAddress("127.0.0.1", server.getLocalPort()), 1000);
              assertThat(socket.isConnected(), is(true));
            }
          }
        };
    guard.apply(local, null).evaluate();
  }

  @Test
  public void namesAreJudgedWithoutLookingThemUp() {
    assertThat(LoopbackOnly.isLoopback("localhost"), is(true));
    assertThat(LoopbackOnly.isLoopback("127.0.0.1"), is(true));
    assertThat(LoopbackOnly.isLoopback(URI.create("https://bigquery.googleapis.com/").getHost()), is(false));
  }
}
