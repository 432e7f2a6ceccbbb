package dev.kvmmp.worker.facts;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The boot log as {@code dmesg} prints it. Empty when dmesg is absent, fails (dmesg_restrict for
 * a non-root worker) or outlives its timeout. On a long-running guest the ring buffer may have
 * dropped the boot lines; the facts drawn from them are then simply missing.
 */
public final class DmesgBootLog implements BootLog {

  private static final Logger log = LoggerFactory.getLogger(DmesgBootLog.class);

  private final List<String> command;
  private final Duration timeout;

  /** Runs {@code dmesg} with a 2 s timeout. */
  public DmesgBootLog() {
    this(List.of("dmesg"), Duration.ofSeconds(2));
  }

  DmesgBootLog(List<String> command, Duration timeout) {
    this.command = List.copyOf(command);
    this.timeout = timeout;
  }

  @Override
  public List<String> lines() {
    Path out = null;
    Process process = null;
    try {
      // Output goes to a file, not a pipe: a full pipe would stall dmesg, and reading a
      // pipe would block this thread beyond the timeout.
      out = Files.createTempFile("kvmmp-dmesg", ".txt");
      process = new ProcessBuilder(command)
          .redirectOutput(out.toFile())
          .redirectError(ProcessBuilder.Redirect.DISCARD)
          .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
          .start();
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        log.debug("boot log: {} still running after {} ms; pv_features left empty",
            command, timeout.toMillis());
        return List.of();
      }
      if (process.exitValue() != 0) {
        log.debug("boot log: {} exited with {}; pv_features left empty",
            command, process.exitValue());
        return List.of();
      }
      return FactFiles.readLines(out);
    } catch (IOException e) {
      log.debug("boot log: cannot run {}: {}; pv_features left empty", command, e.toString());
      return List.of();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return List.of();
    } finally {
      if (process != null) {
        process.destroyForcibly();
      }
      if (out != null) {
        try {
          Files.deleteIfExists(out);
        } catch (IOException e) {
          log.debug("boot log: cannot delete {}: {}", out, e.toString());
        }
      }
    }
  }
}
