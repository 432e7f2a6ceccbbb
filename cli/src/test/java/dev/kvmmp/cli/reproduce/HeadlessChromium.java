package dev.kvmmp.cli.reproduce;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Renders a local HTML file in headless Chromium (Debian's {@code chromium}, installed by
 * {@code scripts/setup-machine --tests}) after its scripts ran: the DOM as text, or a PNG.
 * Each call starts a fresh browser with a fresh profile and no way to resolve a host name, so a
 * page that needs the network shows it by failing to render.
 */
public final class HeadlessChromium {

  /** Where Debian's package puts the browser's launcher. */
  public static final Path CHROMIUM = Path.of("/usr/bin/chromium");

  /** How long the page's scripts may run, in virtual time, before the DOM or PNG is taken. */
  private static final int SCRIPT_BUDGET_MS = 10_000;

  private HeadlessChromium() {}

  /** Whether the browser is installed, for an assumption that names what is missing. */
  public static boolean installed() {
    return Files.isExecutable(CHROMIUM);
  }

  /** The DOM of {@code html} as Chromium serialises it once the page's scripts have run. */
  public static String dumpDom(Path html, Duration timeout)
      throws IOException, InterruptedException {
    return run(List.of("--dump-dom"), html, timeout);
  }

  /** A screenshot of {@code html} rendered at 1400x3000 CSS pixels into {@code png}. */
  public static Path screenshot(Path html, Path png, Duration timeout)
      throws IOException, InterruptedException {
    Files.deleteIfExists(png);
    run(List.of("--screenshot=" + png.toAbsolutePath(), "--window-size=1400,3000"), html,
        timeout);
    if (!Files.isRegularFile(png) || Files.size(png) == 0) {
      throw new IOException("chromium --screenshot=" + png + ": exited 0 but wrote no PNG");
    }
    return png;
  }

  private static String run(List<String> mode, Path html, Duration timeout)
      throws IOException, InterruptedException {
    if (!installed()) {
      throw new IOException(CHROMIUM + " not found: run scripts/setup-machine --tests");
    }
    Path profile = Files.createTempDirectory("kvmmp-chromium-");
    Path out = profile.resolveSibling(profile.getFileName() + ".out");
    Path err = profile.resolveSibling(profile.getFileName() + ".err");
    List<String> command = new ArrayList<>(List.of(CHROMIUM.toString(), "--headless",
        "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--host-resolver-rules=MAP * ~NOTFOUND", "--user-data-dir=" + profile,
        "--virtual-time-budget=" + SCRIPT_BUDGET_MS));
    command.addAll(mode);
    command.add(html.toAbsolutePath().toUri().toString());
    Process process = new ProcessBuilder(command)
        .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new IOException("chromium " + mode + " " + html + ": no exit within " + timeout
            + "; stderr ends: " + tail(err));
      }
      if (process.exitValue() != 0) {
        throw new IOException("chromium " + mode + " " + html + ": exit " + process.exitValue()
            + "; stderr ends: " + tail(err));
      }
      return Files.readString(out, StandardCharsets.UTF_8);
    } finally {
      // The renderer and zygote children go with the browser, or here if it hung.
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
      process.waitFor(5, TimeUnit.SECONDS);
      deleteTree(profile);
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }

  /** The last lines of Chromium's stderr, less the D-Bus complaints a container always has. */
  private static String tail(Path err) throws IOException {
    List<String> lines = new String(Files.readAllBytes(err), StandardCharsets.UTF_8).lines()
        .filter(line -> !line.contains("dbus")).toList();
    return String.join(" | ", lines.subList(Math.max(0, lines.size() - 8), lines.size()));
  }

  private static void deleteTree(Path root) throws IOException {
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }
}
