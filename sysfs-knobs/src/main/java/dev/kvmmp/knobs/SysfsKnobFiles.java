package dev.kvmmp.knobs;

import java.io.FileInputStream;
import java.io.FileNotFoundException;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;

/**
 * Reads and writes knob files through java.io streams rather than NIO channels: knobs are put
 * back right after a run whose watchdog may have interrupted the thread, and an interrupt
 * closes a channel mid-write.
 */
final class SysfsKnobFiles implements KnobFiles {

  static final SysfsKnobFiles INSTANCE = new SysfsKnobFiles();

  private SysfsKnobFiles() {}

  @Override
  public String read(Path file) throws IOException {
    try (InputStream in = new FileInputStream(file.toFile())) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
    } catch (FileNotFoundException e) {
      throw osReason(e);
    }
  }

  @Override
  public void write(Path file, String value) throws IOException {
    // One write(2) with the whole value and a newline, as echo does: a sysfs store handler sees
    // exactly one call and parses it as a whole.
    byte[] bytes = (value + "\n").getBytes(StandardCharsets.UTF_8);
    try (OutputStream out = new FileOutputStream(file.toFile())) {
      out.write(bytes);
    } catch (FileNotFoundException e) {
      throw osReason(e);
    }
  }

  @Override
  public Access access(Path file) {
    if (!Files.isRegularFile(file)) {
      return Access.MISSING;
    }
    try {
      // kernfs checks the mode's write bits even for root, so a 0444 attribute is read-only
      // to everyone; access(2) alone would call it writable for root.
      Set<PosixFilePermission> mode = Files.getPosixFilePermissions(file);
      if (!mode.contains(PosixFilePermission.OWNER_WRITE)
          && !mode.contains(PosixFilePermission.GROUP_WRITE)
          && !mode.contains(PosixFilePermission.OTHERS_WRITE)) {
        return Access.READ_ONLY;
      }
    } catch (IOException | UnsupportedOperationException e) {
      // No POSIX mode to look at: access(2) below decides.
    }
    return Files.isWritable(file) ? Access.WRITABLE : Access.NO_PERMISSION;
  }

  // java.io says "<path> (Permission denied)"; callers name the path themselves.
  private static IOException osReason(FileNotFoundException e) {
    String message = String.valueOf(e.getMessage());
    int open = message.lastIndexOf(" (");
    String reason = open >= 0 && message.endsWith(")")
        ? message.substring(open + 2, message.length() - 1) : message;
    return new IOException(reason, e);
  }
}
