package dev.kvmmp.probe.qmp;

import com.fasterxml.jackson.core.JsonParser;
import java.io.IOException;
import java.util.Collection;

/**
 * The stat names a schema knows for one target, found from a parser's characters without making a
 * string of them: a VM's reply names every stat every sample, the same names each time.
 */
final class StatNames {

  private final String[] slots;
  private final int mask;

  StatNames(Collection<String> names) {
    int size = Integer.highestOneBit(Math.max(4, names.size() * 2 - 1)) << 1;
    slots = new String[size];
    mask = size - 1;
    for (String name : names) {
      int i = name.hashCode() & mask;
      while (slots[i] != null) {
        i = (i + 1) & mask;
      }
      slots[i] = name;
    }
  }

  /** The known name equal to the parser's current string value; null for one not known. */
  String find(JsonParser parser) throws IOException {
    char[] text = parser.getTextCharacters();
    int offset = parser.getTextOffset();
    int length = parser.getTextLength();
    int hash = 0;
    for (int i = 0; i < length; i++) {
      // The same hash as String.hashCode, so that the names were placed by theirs.
      hash = 31 * hash + text[offset + i];
    }
    for (int i = hash & mask; slots[i] != null; i = (i + 1) & mask) {
      if (equal(slots[i], text, offset, length)) {
        return slots[i];
      }
    }
    return null;
  }

  private static boolean equal(String name, char[] text, int offset, int length) {
    if (name.length() != length) {
      return false;
    }
    for (int i = 0; i < length; i++) {
      if (name.charAt(i) != text[offset + i]) {
        return false;
      }
    }
    return true;
  }
}
