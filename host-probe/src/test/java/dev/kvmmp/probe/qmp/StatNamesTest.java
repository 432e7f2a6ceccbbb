package dev.kvmmp.probe.qmp;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonParser;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class StatNamesTest {

  private static String find(StatNames names, String json) throws IOException {
    try (JsonParser parser = QmpMessage.JSON.getFactory().createParser(json)) {
      parser.nextToken();
      return names.find(parser);
    }
  }

  @Test
  void findsTheKnownStringForANameAndNullForAnUnknownOne() throws IOException {
    String exits = new String("exits".toCharArray());
    StatNames names = new StatNames(List.of(exits, "halt_exits", "halt_wakeup"));

    assertThat(find(names, "\"exits\"")).isSameAs(exits);
    assertThat(find(names, "\"halt_wakeup\"")).isEqualTo("halt_wakeup");
    assertThat(find(names, "\"exit\"")).isNull();
    assertThat(find(names, "\"\"")).isNull();
  }

  @Test
  void findsEveryNameOfAFullTable() throws IOException {
    List<String> many = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      many.add("stat_" + i);
    }
    StatNames names = new StatNames(many);

    for (String name : many) {
      assertThat(find(names, "\"" + name + "\"")).isEqualTo(name);
    }
    assertThat(find(names, "\"stat_100\"")).isNull();
  }
}
