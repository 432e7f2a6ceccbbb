package dev.kvmmp.knobs;

import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The original values of the knobs a run sets, on disk before the first knob is written, so that
 * a process killed mid-run can put them back at its next start. UTF-8 text:
 *
 * <pre>
 * kvmmp guest-knobs journal v1 (the family's {@link KnobFamily#journalHeader()})
 * boot_id &lt;TAB&gt; the kernel's boot id when written (empty if unknown)
 * restore &lt;TAB&gt; knob &lt;TAB&gt; file relative to the root &lt;TAB&gt; original value
 * ...
 * end &lt;TAB&gt; number of restore lines
 * </pre>
 *
 * <p>Restore lines are in the order to write them back. The {@code end} line tells a complete
 * journal from a damaged one; the boot id tells one the kernel has already reset by rebooting.
 */
public final class KnobJournal {

  /** What a journal holds. */
  public record Contents(String bootId, List<KnobWrite> originals) {}

  /** A journal that cannot be trusted to say what to restore. */
  public static final class CorruptJournalException extends Exception {
    CorruptJournalException(String message) {
      super(message);
    }
  }

  private final Path file;
  private final KnobFamily family;
  private final String header;

  public KnobJournal(Path file, KnobFamily family) {
    this.file = file.toAbsolutePath();
    this.family = family;
    this.header = family.journalHeader();
  }

  public Path file() {
    return file;
  }

  public KnobFamily family() {
    return family;
  }

  public boolean exists() {
    return Files.exists(file);
  }

  /**
   * Writes the journal so that it is either absent or complete: to a temporary file, fsync'd,
   * then renamed over. Creates the directory if needed.
   *
   * @throws IllegalArgumentException when an original names a file outside the family: its
   *     journal could not be read back
   */
  public void write(String bootId, List<KnobWrite> originals) throws IOException {
    for (KnobWrite original : originals) {
      checkAllowed(original);
    }
    StringBuilder text = new StringBuilder(header).append('\n')
        .append("boot_id\t").append(bootId).append('\n');
    for (KnobWrite original : originals) {
      text.append("restore\t").append(original.knob()).append('\t').append(original.file())
          .append('\t').append(original.value()).append('\n');
    }
    text.append("end\t").append(originals.size()).append('\n');

    Path dir = file.getParent();
    Files.createDirectories(dir);
    Path temp = dir.resolve(file.getFileName() + ".tmp");
    // java.io and FileDescriptor.sync: an interrupt must not close the file half-written.
    try (FileOutputStream out = new FileOutputStream(temp.toFile())) {
      out.write(text.toString().getBytes(StandardCharsets.UTF_8));
      out.getFD().sync();
    }
    Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE);
    syncDirectory(dir);
  }

  public Contents read() throws IOException, CorruptJournalException {
    String text;
    try {
      text = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(Files.readAllBytes(file))).toString();
    } catch (CharacterCodingException e) {
      throw new CorruptJournalException("not UTF-8 text");
    }
    List<String> lines = text.lines().toList();
    if (lines.isEmpty() || !lines.get(0).equals(header)) {
      throw new CorruptJournalException("line 1: expected '" + header + "'");
    }
    if (lines.size() < 2 || !lines.get(1).startsWith("boot_id\t")) {
      throw new CorruptJournalException("line 2: expected 'boot_id<TAB>...'");
    }
    String bootId = lines.get(1).substring("boot_id\t".length());
    List<KnobWrite> originals = new ArrayList<>();
    for (int i = 2; i < lines.size(); i++) {
      String[] fields = lines.get(i).split("\t", -1);
      if (fields[0].equals("end") && fields.length == 2) {
        if (!fields[1].equals(Integer.toString(originals.size())) || i != lines.size() - 1) {
          throw new CorruptJournalException("line " + (i + 1) + ": 'end' says " + fields[1]
              + " restore lines, the journal has " + originals.size()
              + (i != lines.size() - 1 ? " and lines after it" : ""));
        }
        return new Contents(bootId, List.copyOf(originals));
      }
      if (!fields[0].equals("restore") || fields.length != 4) {
        throw new CorruptJournalException("line " + (i + 1)
            + ": expected 'restore<TAB>knob<TAB>file<TAB>value' or 'end<TAB>count'");
      }
      try {
        originals.add(checkAllowed(new KnobWrite(fields[1], fields[2], fields[3])));
      } catch (IllegalArgumentException e) {
        throw new CorruptJournalException("line " + (i + 1) + ": " + e.getMessage());
      }
    }
    throw new CorruptJournalException("no 'end' line: the journal is incomplete");
  }

  public void delete() throws IOException {
    Files.deleteIfExists(file);
    syncDirectory(file.getParent());
  }

  private KnobWrite checkAllowed(KnobWrite write) {
    if (!family.allows(write.file())) {
      throw new IllegalArgumentException("'" + write.file() + "' is not a " + family.knob()
          + " file");
    }
    return write;
  }

  // The rename is atomic either way; syncing the directory makes it durable. A failure here
  // leaves nothing wrong that a reboot would not fix: the knobs do not survive one either.
  private static void syncDirectory(Path dir) {
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException e) {
      // Best effort, see above.
    }
  }
}
