package dev.kvmmp.probe.qmp;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.math.BigInteger;
import java.util.Arrays;

/**
 * Sums the cumulative kvm stats of one {@code query-stats} reply straight from the parser, without
 * building a tree of the reply: every VM's reply is read every sample, and the tree was most of
 * the probe's CPU. Field order does not matter; a problem with an entry is reported once the
 * entry is read, so that the message names its {@code qom-path} (QEMU sends it after the stats).
 * Kept from one reading of a VM to the next, so that a reading allocates next to nothing; not
 * thread-safe.
 */
final class QueryStatsReader {

  private static final String CUMULATIVE = "cumulative";
  private static final BigInteger TWO_TO_64 = BigInteger.ONE.shiftLeft(64);

  /** One entry's cumulative stats while it is read: provider and qom-path may come after them. */
  private static final class Entry {
    String provider;
    String qomPath;
    String[] names = new String[64];
    long[] values = new long[64];
    int count;
    String problem;
    String unknownStat;

    Entry reset() {
      provider = "";
      qomPath = null;
      count = 0;
      problem = null;
      unknownStat = null;
      return this;
    }

    void add(String name, long value) {
      if (count == names.length) {
        names = Arrays.copyOf(names, count * 2);
        values = Arrays.copyOf(values, count * 2);
      }
      names[count] = name;
      values[count++] = value;
    }
  }

  private final StatsSchema schema;
  private final String target;
  private final String where;
  private final Entry entry = new Entry();
  private final StatNames names;

  QueryStatsReader(StatsSchema schema, String target) {
    this.schema = schema;
    this.target = target;
    this.where = QmpStatsSource.COMMAND + " (target " + target + ")";
    this.names = schema.names(target);
  }

  /**
   * Adds the reply's cumulative kvm stats into {@code sums}, the parser on the reply's first
   * token; returns how many kvm entries it had. The schema is the one this reader was made with.
   *
   * @throws QmpException for a reply of an unexpected shape, naming the entry and stat
   * @throws UnknownStatException for a stat the schema does not describe
   */
  int addCumulative(JsonParser p, StatSums sums) throws IOException {
    if (p.currentToken() != JsonToken.START_ARRAY) {
      throw new QmpException(QmpStatsSource.COMMAND, where + ": expected an array, got "
          + nodeType(p.currentToken()));
    }
    int entries = 0;
    for (int i = 0; p.nextToken() != JsonToken.END_ARRAY; i++) {
      if (p.currentToken() != JsonToken.START_OBJECT) {
        // Not an entry of any provider: nothing of kvm's to count.
        p.skipChildren();
        continue;
      }
      Entry entry = readEntry(p);
      if (!StatsSchema.PROVIDER.equals(entry.provider)) {
        continue;
      }
      entries++;
      if (entry.problem != null) {
        throw new QmpException(QmpStatsSource.COMMAND, entryName(i, entry) + ": "
            + entry.problem);
      }
      if (entry.unknownStat != null) {
        throw new UnknownStatException(entryName(i, entry) + ": stat '" + entry.unknownStat
            + "' is not described by " + StatsSchema.COMMAND);
      }
      for (int s = 0; s < entry.count; s++) {
        sums.add(entry.names[s], entry.values[s]);
      }
    }
    return entries;
  }

  private String entryName(int index, Entry entry) {
    return where + ", entry " + index + (entry.qomPath == null ? "" : " (" + entry.qomPath + ")");
  }

  private Entry readEntry(JsonParser p) throws IOException {
    Entry entry = this.entry.reset();
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      JsonToken value = p.nextToken();
      switch (field) {
        case "provider" -> entry.provider = p.getValueAsString("");
        case "qom-path" -> entry.qomPath = p.getValueAsString();
        case "stats" -> {
          if (value == JsonToken.START_ARRAY) {
            readStats(p, entry);
          } else {
            entry.problem = "expected a 'stats' array, got " + nodeType(value);
            p.skipChildren();
          }
        }
        default -> p.skipChildren();
      }
    }
    return entry;
  }

  private void readStats(JsonParser p, Entry entry) throws IOException {
    while (p.nextToken() != JsonToken.END_ARRAY) {
      if (p.currentToken() != JsonToken.START_OBJECT) {
        noteProblem(entry, "a stat that is not an object: " + p.readValueAsTree());
        continue;
      }
      String name = "";
      JsonNode odd = null;
      long number = 0;
      boolean unsigned = false;
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken value = p.nextToken();
        if ("name".equals(field)) {
          name = name(p, value);
        } else if (!"value".equals(field)) {
          p.skipChildren();
        } else if (!name.isEmpty() && !isCumulative(name)) {
          // Instant, peak and histogram values are not kept: skipped unread (QEMU sends the name
          // first; were it last, the value is kept below until the name says what it is).
          p.skipChildren();
        } else if (value == JsonToken.VALUE_NUMBER_INT && p.getNumberType()
            != JsonParser.NumberType.BIG_INTEGER && p.getLongValue() >= 0) {
          number = p.getLongValue();
          unsigned = true;
        } else if (value == JsonToken.VALUE_NUMBER_INT && p.getBigIntegerValue().signum() >= 0
            && p.getBigIntegerValue().compareTo(TWO_TO_64) < 0) {
          // Jackson reads numbers above Long.MAX_VALUE as BigInteger; its low 64 bits are the u64.
          number = p.getBigIntegerValue().longValue();
          unsigned = true;
        } else {
          // Not an unsigned 64-bit integer: kept to describe it, should the stat be cumulative.
          odd = p.readValueAsTree();
        }
      }
      addStat(entry, name, unsigned, number, odd);
    }
  }

  /** The stat's name: the schema's own string when it knows it, so that none is made. */
  private String name(JsonParser p, JsonToken value) throws IOException {
    if (value != JsonToken.VALUE_STRING) {
      p.skipChildren();
      return "";
    }
    String known = names.find(p);
    return known != null ? known : p.getText();
  }

  private void addStat(Entry entry, String name, boolean unsigned, long number, JsonNode odd) {
    if (name.isEmpty()) {
      noteProblem(entry, "a stat without a 'name'");
      return;
    }
    String type = schema.type(target, name).orElse(null);
    if (type == null) {
      if (entry.unknownStat == null) {
        entry.unknownStat = name;
      }
      return;
    }
    if (!CUMULATIVE.equals(type)) {
      return;
    }
    if (!unsigned) {
      noteProblem(entry, "cumulative stat '" + name + "' should be an unsigned 64-bit integer, "
          + "got " + (odd == null ? "no 'value'" : odd.getNodeType() + " " + odd));
      return;
    }
    entry.add(name, number);
  }

  private boolean isCumulative(String name) {
    return CUMULATIVE.equals(schema.type(target, name).orElse(null));
  }

  private static void noteProblem(Entry entry, String problem) {
    if (entry.problem == null) {
      entry.problem = problem;
    }
  }

  /** The name Jackson's tree gives a value starting with {@code token}, for messages. */
  private static String nodeType(JsonToken token) {
    if (token == null) {
      return "MISSING";
    }
    return switch (token) {
      case START_OBJECT -> "OBJECT";
      case START_ARRAY -> "ARRAY";
      case VALUE_STRING -> "STRING";
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "NUMBER";
      case VALUE_TRUE, VALUE_FALSE -> "BOOLEAN";
      case VALUE_NULL -> "NULL";
      default -> token.name();
    };
  }

  /** A stat the kept schema does not describe: worth asking QEMU for its schema again. */
  static final class UnknownStatException extends QmpException {
    UnknownStatException(String message) {
      super(QmpStatsSource.COMMAND, message);
    }
  }
}
