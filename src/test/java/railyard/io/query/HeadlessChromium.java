package railyard.io.query;

import static org.junit.Assert.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real headless Chromium, one process per call, with a fresh profile and nothing that reaches
 * beyond the page's own (loopback) server. Fails the test, never skips it, if Chromium cannot run.
 */
final class HeadlessChromium {
  static final Path BINARY = Path.of("/usr/bin/chromium");
  private static final long TIMEOUT_SECONDS = 120;

  private final Path workDir;

  HeadlessChromium(Path workDir) {
    this.workDir = workDir;
    if (!Files.isExecutable(BINARY)) {
      fail(
          "The dashboard test needs a real Chromium at " + BINARY
              + ": install the Debian package (apt-get install -y chromium); .ci/run does");
    }
  }

  /** The page's DOM after its scripts had {@code virtualTimeMs} of (virtual) time. */
  String dumpDom(String url, int virtualTimeMs) throws IOException, InterruptedException {
    return run("dump", List.of("--dump-dom", "--virtual-time-budget=" + virtualTimeMs, url));
  }

  /** A PNG of the page after {@code virtualTimeMs}, written to {@code file}. */
  void screenshot(String url, int virtualTimeMs, Path file)
      throws IOException, InterruptedException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    run(
        "screenshot",
        List.of(
            "--screenshot=" + file.toAbsolutePath(),
            "--window-size=1280,1500",
            "--hide-scrollbars",
            "--virtual-time-budget=" + virtualTimeMs,
            url));
    if (!Files.isRegularFile(file) || Files.size(file) == 0) {
      fail("Chromium wrote no screenshot to " + file);
    }
  }

  private String run(String what, List<String> arguments)
      throws IOException, InterruptedException {
    Path profile = Files.createTempDirectory(workDir, "chromium-profile-");
    Path errors = workDir.resolve("chromium-" + what + ".err");
    List<String> command = new ArrayList<>();
    command.add(BINARY.toString());
    command.addAll(
        List.of(
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-default-apps",
            "--disable-extensions",
            "--no-first-run",
            "--no-default-browser-check",
            "--user-data-dir=" + profile));
    command.addAll(arguments);
    Process chromium =
        new ProcessBuilder(command)
            .redirectError(errors.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
            .start();
    byte[] out;
    try {
      out = chromium.getInputStream().readAllBytes();
      if (!chromium.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        fail("Chromium did not finish within " + TIMEOUT_SECONDS + " s; see " + errors);
      }
    } finally {
      chromium.destroyForcibly();
    }
    if (chromium.exitValue() != 0) {
      fail("Chromium exited with " + chromium.exitValue() + ": " + Files.readString(errors));
    }
    return new String(out, StandardCharsets.UTF_8);
  }
}
