package dev.kvmmp.worker.knobs;

import dev.kvmmp.knobs.AppliedKnobs;
import dev.kvmmp.knobs.KnobFiles;
import dev.kvmmp.knobs.RecoveryOutcome;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.kvmmp.proto.v1.GuestProfile;
import dev.kvmmp.proto.v1.KnobValue;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sets this machine's own guest knobs and checks that they come back: after a run, and after a
 * worker killed with SIGKILL while holding them. Needs a KVM guest with the haltpoll governor,
 * the menu governor, a "haltpoll idle" state on vCPUs 0 and 1, and root. Whatever a test leaves
 * changed, {@link #putBackWhatATestLeft()} puts back from its own snapshot.
 */
class GuestKnobsIT {

  private static final GuestProfile PROFILE = HoldKnobsMain.PROFILE;
  private static final Path ROOT = Path.of("/");
  private static final String NS = FakeSysfs.NS;
  private static final String GOVERNOR = FakeSysfs.GOVERNOR;

  @TempDir
  Path stateDir;

  private Path journal;
  private Map<Path, String> originals;
  private Process child;

  @BeforeEach
  void requireKnobsAndRememberThem() throws IOException {
    assumeTrue(Files.isRegularFile(ROOT.resolve(NS)),
        "no /" + NS + ": this guest has no haltpoll governor");
    List<KnobValue> available = new KnobInventory(ROOT).available();
    assumeTrue(available.stream().anyMatch(knob -> knob.getName().equals("guest_halt_poll_ns")
        && knob.getWritable()), "guest_halt_poll_ns is not writable here: run as root");
    assumeTrue(available.stream().anyMatch(knob ->
            knob.getName().equals("cpuidle_available_governors")
                && List.of(knob.getValue().split(" ")).contains("menu")),
        "the menu governor is not available here");
    for (int cpu = 0; cpu < 2; cpu++) {
      assumeTrue(idleState(cpu, "haltpoll idle") != null,
          "cpu" + cpu + " has no 'haltpoll idle' state");
    }
    journal = GuestKnobs.journalIn(stateDir);
    originals = snapshot();
  }

  @AfterEach
  void putBackWhatATestLeft() throws Exception {
    if (child != null && child.isAlive()) {
      child.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    if (originals == null) {
      return;
    }
    for (Map.Entry<Path, String> original : originals.entrySet()) {
      if (!read(original.getKey()).equals(original.getValue())) {
        KnobFiles.sysfs().write(original.getKey(), original.getValue());
      }
    }
  }

  @Test
  void setsThisGuestsKnobsForARunAndPutsThemBack() throws Exception {
    GuestKnobs knobs = new GuestKnobs(ROOT, journal);

    try (AppliedKnobs applied = knobs.apply(PROFILE, List.of(0, 1))) {
      assertChanged();
      assertThat(applied.values()).extracting(KnobValue::getName, KnobValue::getValue)
          .containsExactly(
              Tuple.tuple("guest_halt_poll_ns", "200000"),
              Tuple.tuple("cpuidle_governor", "menu"),
              Tuple.tuple("idle_state_disabled:haltpoll idle", "1"));
      assertThat(journal).exists();
    }

    assertThat(snapshot()).isEqualTo(originals);
    assertThat(journal).doesNotExist();
  }

  @Test
  void aWorkerKilledWhileHoldingKnobsHasThemPutBackAtTheNextStart() throws Exception {
    String java = ProcessHandle.current().info().command().orElse("java");
    child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
        HoldKnobsMain.class.getName(), journal.toString())
        .redirectError(ProcessBuilder.Redirect.INHERIT)
        .start();
    BufferedReader out = new BufferedReader(
        new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
    String line = CompletableFuture.supplyAsync(() -> {
      try {
        return out.readLine();
      } catch (IOException e) {
        return "read failed: " + e;
      }
    }).get(60, TimeUnit.SECONDS);
    assertThat(line).isEqualTo("HOLDING 3");
    assertChanged();

    child.destroyForcibly();
    assertThat(child.waitFor(10, TimeUnit.SECONDS)).as("child gone").isTrue();
    assertThat(child.exitValue()).as("killed by SIGKILL: no shutdown hook ran")
        .isEqualTo(128 + 9);
    assertChanged();
    assertThat(journal).exists();

    RecoveryOutcome outcome = GuestKnobs.recover(journal, ROOT);

    assertThat(outcome).isEqualTo(RecoveryOutcome.RESTORED);
    assertThat(snapshot()).isEqualTo(originals);
    assertThat(journal).doesNotExist();
  }

  private void assertChanged() throws IOException {
    assertThat(read(ROOT.resolve(NS))).isEqualTo("200000");
    assertThat(read(ROOT.resolve(GOVERNOR))).isEqualTo("menu");
    for (int cpu = 0; cpu < 2; cpu++) {
      assertThat(read(idleState(cpu, "haltpoll idle").resolve("disable")))
          .as("cpu%d 'haltpoll idle' disabled", cpu).isEqualTo("1");
    }
  }

  // Every file the tests may change, with its value now.
  private static Map<Path, String> snapshot() throws IOException {
    List<Path> files = new ArrayList<>();
    for (String param : List.of("ns", "grow", "grow_start", "shrink", "allow_shrink")) {
      files.add(ROOT.resolve("sys/module/haltpoll/parameters/guest_halt_poll_" + param));
    }
    files.add(ROOT.resolve(GOVERNOR));
    try (Stream<Path> cpus = Files.list(ROOT.resolve("sys/devices/system/cpu"))) {
      for (Path cpu : cpus.filter(dir -> dir.getFileName().toString().matches("cpu\\d+"))
          .sorted().toList()) {
        try (Stream<Path> states = Files.list(cpu.resolve("cpuidle"))) {
          states.filter(dir -> dir.getFileName().toString().matches("state\\d+")).sorted()
              .forEach(state -> files.add(state.resolve("disable")));
        } catch (IOException e) {
          // No cpuidle on this vCPU: nothing to change there.
        }
      }
    }
    Map<Path, String> values = new LinkedHashMap<>();
    for (Path file : files) {
      values.put(file, read(file));
    }
    return values;
  }

  private static Path idleState(int cpu, String name) throws IOException {
    Path cpuidle = ROOT.resolve("sys/devices/system/cpu/cpu" + cpu + "/cpuidle");
    if (!Files.isDirectory(cpuidle)) {
      return null;
    }
    try (Stream<Path> states = Files.list(cpuidle)) {
      for (Path state : states.toList()) {
        Path stateName = state.resolve("name");
        if (Files.isRegularFile(stateName) && read(stateName).equals(name)) {
          return state;
        }
      }
    }
    return null;
  }

  private static String read(Path file) throws IOException {
    return KnobFiles.sysfs().read(file);
  }
}
