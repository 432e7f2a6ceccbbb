package dev.kvmmp.cli.spec;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PathPositionsTest {

  @Test
  void resolvesAnUnwrittenPathToItsNearestWrittenAncestor() {
    PathPositions positions = new PathPositions();
    positions.record("fleets", new SourcePosition(4, 1));
    positions.record("fleets[1]", new SourcePosition(7, 5));
    positions.record("fleets[1].selector['host.cpu']", new SourcePosition(9, 7));

    assertThat(positions.resolve("fleets[1].name")).isEqualTo(new SourcePosition(7, 5));
    assertThat(positions.resolve("fleets[1].selector['host.cpu']")).isEqualTo(new SourcePosition(9, 7));
    assertThat(positions.resolve("fleets[2].name")).isEqualTo(new SourcePosition(4, 1));
    assertThat(positions.resolve("duration")).isEqualTo(SourcePosition.START);
    assertThat(positions.resolve("")).isEqualTo(SourcePosition.START);
  }

  @Test
  void cutsOneSegmentAtATime() {
    assertThat(PathPositions.parent("a.b[2]")).isEqualTo("a.b");
    assertThat(PathPositions.parent("a.b")).isEqualTo("a");
    assertThat(PathPositions.parent("a['x.y']")).isEqualTo("a");
    assertThat(PathPositions.parent("a")).isEmpty();
  }
}
