package dev.kvmmp.worker.knobs;

import dev.kvmmp.knobs.KnobFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The real {@link KnobFiles} on a fake tree, with failures a test cannot cause as root: a write
 * that fails, a file the worker may not write. Records every write.
 */
final class ScriptedKnobFiles implements KnobFiles {

  private final KnobFiles real = KnobFiles.sysfs();
  private final Map<Path, String> failingWrites = new HashMap<>();
  private final Map<Path, Access> accessOverrides = new HashMap<>();
  private final List<Path> writes = new ArrayList<>();
  private Runnable beforeEachWrite = () -> { };

  /** Writes to {@code file} fail with {@code reason}, as the OS would say it. */
  ScriptedKnobFiles failWrites(Path file, String reason) {
    failingWrites.put(file, reason);
    return this;
  }

  ScriptedKnobFiles succeedWrites(Path file) {
    failingWrites.remove(file);
    return this;
  }

  ScriptedKnobFiles access(Path file, Access access) {
    accessOverrides.put(file, access);
    return this;
  }

  ScriptedKnobFiles beforeEachWrite(Runnable check) {
    beforeEachWrite = check;
    return this;
  }

  List<Path> writes() {
    return writes;
  }

  @Override
  public String read(Path file) throws IOException {
    return real.read(file);
  }

  @Override
  public void write(Path file, String value) throws IOException {
    beforeEachWrite.run();
    String reason = failingWrites.get(file);
    if (reason != null) {
      throw new IOException(reason);
    }
    writes.add(file);
    real.write(file, value);
  }

  @Override
  public Access access(Path file) {
    return accessOverrides.getOrDefault(file, real.access(file));
  }
}
