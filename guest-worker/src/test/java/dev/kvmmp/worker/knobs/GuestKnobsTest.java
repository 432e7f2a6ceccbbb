package dev.kvmmp.worker.knobs;

import dev.kvmmp.knobs.AppliedKnobs;
import dev.kvmmp.knobs.KnobFiles;
import dev.kvmmp.knobs.KnobException;
import static dev.kvmmp.worker.knobs.FakeSysfs.GOVERNOR;
import static dev.kvmmp.worker.knobs.FakeSysfs.NS;
import static dev.kvmmp.worker.knobs.FakeSysfs.state;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kvmmp.proto.v1.GuestProfile;
import dev.kvmmp.proto.v1.KnobValue;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Setting and putting back knobs on a directory laid out like sysfs. */
class GuestKnobsTest {

  private static final String GROW = "sys/module/haltpoll/parameters/guest_halt_poll_grow";
  private static final String ALLOW_SHRINK =
      "sys/module/haltpoll/parameters/guest_halt_poll_allow_shrink";

  @TempDir
  Path root;
  @TempDir
  Path stateDir;

  private FakeSysfs sysfs;
  private Path journal;

  @BeforeEach
  void layOutSysfs() {
    sysfs = FakeSysfs.firecrackerGuest(root);
    journal = GuestKnobs.journalIn(stateDir);
  }

  private static GuestProfile.Builder profile() {
    return GuestProfile.newBuilder();
  }

  private static KnobValue value(String name, String value) {
    return KnobValue.newBuilder().setName(name).setValue(value).setWritable(true).build();
  }

  @Test
  void setsTheProfileReportsTheValuesReadBackAndPutsTheOriginalsBackOnClose() throws Exception {
    GuestKnobs knobs = new GuestKnobs(root, journal);
    Map<String, String> before = sysfs.snapshot();

    AppliedKnobs applied = knobs.apply(profile().setGuestHaltPollNs(200_000)
        .setGuestHaltPollGrow(4).setGuestHaltPollAllowShrink(false).setCpuidleGovernor("menu")
        .addDisabledIdleStates("haltpoll idle").build(), List.of(1));

    assertThat(sysfs.get(NS)).isEqualTo("200000");
    assertThat(sysfs.get(GROW)).isEqualTo("4");
    assertThat(sysfs.get(ALLOW_SHRINK)).isEqualTo("N");
    assertThat(sysfs.get(GOVERNOR)).isEqualTo("menu");
    assertThat(sysfs.get(state(1, 1, "disable"))).isEqualTo("1");
    assertThat(sysfs.get(state(0, 1, "disable"))).as("only the run's vCPUs").isEqualTo("0");
    assertThat(sysfs.get(state(1, 0, "disable"))).as("only the named state").isEqualTo("0");
    assertThat(applied.values()).containsExactly(
        value("guest_halt_poll_ns", "200000"),
        value("guest_halt_poll_grow", "4"),
        value("guest_halt_poll_allow_shrink", "N"),
        value("cpuidle_governor", "menu"),
        value("idle_state_disabled:haltpoll idle", "1"));
    assertThat(journal).exists();

    applied.close();

    assertThat(sysfs.snapshot()).isEqualTo(before);
    assertThat(journal).doesNotExist();
  }

  @Test
  void closingTwicePutsTheOriginalsBackOnlyOnce() throws Exception {
    AppliedKnobs applied = new GuestKnobs(root, journal)
        .apply(profile().setGuestHaltPollNs(200_000).build(), List.of(0, 1));
    applied.close();
    sysfs.set(NS, "12345");

    applied.close();

    assertThat(sysfs.get(NS)).isEqualTo("12345");
  }

  @Test
  void reportsAnIdleStateDisabledOnEveryVcpuOfTheRunAsOne() throws Exception {
    try (AppliedKnobs applied = new GuestKnobs(root, journal)
        .apply(profile().addDisabledIdleStates("haltpoll idle").build(), List.of(0, 1))) {

      assertThat(sysfs.get(state(0, 1, "disable"))).isEqualTo("1");
      assertThat(sysfs.get(state(1, 1, "disable"))).isEqualTo("1");
      assertThat(applied.values()).containsExactly(value("idle_state_disabled:haltpoll idle", "1"));
    }
    assertThat(sysfs.get(state(0, 1, "disable"))).isEqualTo("0");
    assertThat(sysfs.get(state(1, 1, "disable"))).isEqualTo("0");
  }

  @Test
  void anEmptyProfileWritesNothingAndNoJournal() throws Exception {
    ScriptedKnobFiles files = new ScriptedKnobFiles();

    AppliedKnobs applied = new GuestKnobs(root, journal, files)
        .apply(GuestProfile.getDefaultInstance(), List.of(0, 1));
    applied.close();

    assertThat(applied.values()).isEmpty();
    assertThat(files.writes()).isEmpty();
    assertThat(journal).doesNotExist();
  }

  @Test
  void writesTheJournalOfOriginalsBeforeTheFirstKnob() throws Exception {
    ScriptedKnobFiles files = new ScriptedKnobFiles().beforeEachWrite(() ->
        assertThat(journal).content().contains(
            "restore\tguest_halt_poll_ns\t" + NS + "\t0\n",
            "restore\tcpuidle_governor\t" + GOVERNOR + "\thaltpoll\n"));

    new GuestKnobs(root, journal, files).apply(profile().setGuestHaltPollNs(200_000)
        .setCpuidleGovernor("menu").build(), List.of(0));

    assertThat(files.writes()).hasSize(2);
  }

  @Test
  void refusesAKnobTheGuestLacksAndChangesNothing() {
    sysfs.delete("sys/module/haltpoll");

    assertRefused(profile().setGuestHaltPollNs(200_000).setCpuidleGovernor("menu"),
        "guest_halt_poll_ns: cannot set '200000': this guest has no "
            + "/sys/module/haltpoll/parameters/guest_halt_poll_ns (this kernel has no haltpoll "
            + "governor: it comes with CONFIG_CPU_IDLE_GOV_HALTPOLL, for KVM guests only)");
  }

  @Test
  void refusesAValueOutOfTheKernelsRange() {
    assertRefused(profile().setGuestHaltPollNs(5_000_000_000L),
        "guest_halt_poll_ns: '5000000000' is out of range: the kernel takes 0 to 4294967295 "
            + "(an unsigned 32-bit int, about 4.3 s)");
  }

  @Test
  void takesTheLargestValueTheKernelTakes() throws Exception {
    try (AppliedKnobs applied = new GuestKnobs(root, journal)
        .apply(profile().setGuestHaltPollNs(4_294_967_295L).setGuestHaltPollGrow(-1).build(),
            List.of(0))) {
      assertThat(sysfs.get(NS)).isEqualTo("4294967295");
      assertThat(sysfs.get(GROW)).as("uint32 4294967295, not -1").isEqualTo("4294967295");
    }
  }

  @Test
  void refusesAGovernorTheGuestDoesNotHave() {
    assertRefused(profile().setCpuidleGovernor("teo"),
        "cpuidle_governor: 'teo' is not one of the available governors (ladder, menu, haltpoll)");
  }

  @Test
  void refusesAGovernorSwitchOnAKernelWithOnlyTheReadOnlyFile() {
    sysfs.delete(GOVERNOR);

    assertRefused(profile().setCpuidleGovernor("menu"),
        "cpuidle_governor: cannot set 'menu': this kernel only has "
            + "/sys/devices/system/cpu/cpuidle/current_governor_ro (older kernels switch "
            + "governors only when booted with cpuidle_sysfs_switch; or pick one at boot with "
            + "cpuidle.governor=menu)");
  }

  @Test
  void refusesAnIdleStateNameTheRunsVcpusLack() {
    assertRefused(profile().addDisabledIdleStates("C6"),
        "disabled_idle_states: 'C6' is not an idle state of cpu 0, 1 (cpu 0 has POLL, "
            + "haltpoll idle)");
  }

  @Test
  void refusesIdleStatesOnAVcpuWithoutCpuidle() {
    assertRefused(profile().addDisabledIdleStates("POLL"), List.of(0, 5),
        "disabled_idle_states: cannot disable 'POLL' on cpu 5: it has no "
            + "/sys/devices/system/cpu/cpu5/cpuidle (offline, or no cpuidle driver: e.g. booted "
            + "with idle=poll or cpuidle.off=1)");
  }

  // sysfs refuses writes to a file without write bits even to root (kernfs checks the mode), so
  // a 0444 file here stands for the same thing: /sys/module/kvm/parameters/halt_poll_ns is one.
  @Test
  void refusesAReadOnlyFile() throws Exception {
    Files.setPosixFilePermissions(sysfs.path(NS), PosixFilePermissions.fromString("r--r--r--"));

    assertRefused(profile().setGuestHaltPollNs(200_000),
        "guest_halt_poll_ns: cannot set '200000': "
            + "/sys/module/haltpoll/parameters/guest_halt_poll_ns is read-only on this guest");
  }

  // Root can write any 0644 file, so "not root" is stood in for by the seam; the production
  // check behind it is access(2) W_OK (Files.isWritable), which this test does not exercise.
  @Test
  void refusesAFileTheWorkerMayNotWriteSayingItMustRunAsRoot() {
    ScriptedKnobFiles files = new ScriptedKnobFiles()
        .access(sysfs.path(state(0, 1, "disable")), KnobFiles.Access.NO_PERMISSION);

    assertRefused(files, profile().addDisabledIdleStates("haltpoll idle"), List.of(0, 1),
        "disabled_idle_states: cannot disable 'haltpoll idle' on cpu 0: permission denied "
            + "writing /sys/devices/system/cpu/cpu0/cpuidle/state1/disable (the worker must run "
            + "as root to set guest knobs)");
    assertThat(files.writes()).isEmpty();
  }

  @Test
  void reportsEveryProblemAtOnceAndSetsNoneOfTheValidKnobs() {
    assertRefused(profile().setGuestHaltPollNs(200_000).setCpuidleGovernor("teo")
            .addDisabledIdleStates("C6"),
        "cpuidle_governor: 'teo' is not one of the available governors (ladder, menu, haltpoll); "
            + "disabled_idle_states: 'C6' is not an idle state of cpu 0, 1 (cpu 0 has POLL, "
            + "haltpoll idle)");
  }

  @Test
  void aWriteThatFailsMidwayPutsBackWhatWasWrittenAndDeletesTheJournal() {
    ScriptedKnobFiles files = new ScriptedKnobFiles()
        .failWrites(sysfs.path(GOVERNOR), "Invalid argument");
    Map<String, String> before = sysfs.snapshot();

    assertThatThrownBy(() -> new GuestKnobs(root, journal, files).apply(profile()
            .setGuestHaltPollNs(200_000).setGuestHaltPollGrow(4).setCpuidleGovernor("menu").build(),
        List.of(0)))
        .isInstanceOf(KnobException.class)
        .hasMessage("cpuidle_governor: writing 'menu' to "
            + "/sys/devices/system/cpu/cpuidle/current_governor failed: Invalid argument; the 2 "
            + "value(s) set before it were put back");
    assertThat(sysfs.snapshot()).isEqualTo(before);
    assertThat(journal).doesNotExist();
  }

  @Test
  void aKnobThatCannotBePutBackKeepsTheJournalAndIsRetriedOnTheNextClose() throws Exception {
    ScriptedKnobFiles files = new ScriptedKnobFiles();
    AppliedKnobs applied = new GuestKnobs(root, journal, files)
        .apply(profile().setGuestHaltPollNs(200_000).setCpuidleGovernor("menu").build(),
            List.of(0));
    files.failWrites(sysfs.path(NS), "Device or resource busy");

    assertThatThrownBy(applied::close)
        .isInstanceOf(KnobException.class)
        .hasMessage("could not put back guest knobs: guest_halt_poll_ns back to '0' at "
            + "/sys/module/haltpoll/parameters/guest_halt_poll_ns: Device or resource busy; the "
            + "journal " + journal.toAbsolutePath() + " keeps the originals and the worker puts "
            + "them back when it next starts");
    assertThat(sysfs.get(GOVERNOR)).as("the others are put back").isEqualTo("haltpoll");
    assertThat(journal).exists();

    files.succeedWrites(sysfs.path(NS));
    applied.close();

    assertThat(sysfs.get(NS)).isEqualTo("0");
    assertThat(journal).doesNotExist();
  }

  @Test
  void refusesToSetKnobsWhileAnEarlierRunsJournalIsStillThere() throws Exception {
    new GuestKnobs(root, journal).apply(profile().setGuestHaltPollNs(1000).build(), List.of(0));
    sysfs.set(NS, "0");

    assertRefused(profile().setGuestHaltPollNs(200_000),
        "guest knobs: the journal " + journal.toAbsolutePath() + " of an earlier run's original "
            + "values is still there, so they were never put back (the worker's log from its "
            + "start says why); set the values in it by hand and delete it; nothing was changed");
  }

  @Test
  void refusesWhenTheJournalCannotBeWrittenAndChangesNothing() throws Exception {
    Path notADirectory = Files.writeString(stateDir.resolve("file"), "x");
    Path blocked = GuestKnobs.journalIn(notADirectory);
    Map<String, String> before = sysfs.snapshot();

    assertThatThrownBy(() -> new GuestKnobs(root, blocked)
        .apply(profile().setGuestHaltPollNs(200_000).build(), List.of(0)))
        .isInstanceOf(KnobException.class)
        .hasMessageStartingWith("guest knobs: cannot write the journal of original values "
            + blocked.toAbsolutePath())
        .hasMessageEndingWith("; nothing was changed: give the worker a writable --state-dir");
    assertThat(sysfs.snapshot()).isEqualTo(before);
  }

  private void assertRefused(GuestProfile.Builder profile, String message) {
    assertRefused(profile, List.of(0, 1), message);
  }

  private void assertRefused(GuestProfile.Builder profile, List<Integer> cpus, String message) {
    assertRefused(KnobFiles.sysfs(), profile, cpus, message);
  }

  private void assertRefused(KnobFiles files, GuestProfile.Builder profile, List<Integer> cpus,
      String message) {
    Map<String, String> before = sysfs.snapshot();
    boolean hadJournal = Files.exists(journal);

    assertThatThrownBy(() -> new GuestKnobs(root, journal, files).apply(profile.build(), cpus))
        .isInstanceOf(KnobException.class)
        .hasMessage(message);
    assertThat(sysfs.snapshot()).as("nothing changed").isEqualTo(before);
    assertThat(Files.exists(journal)).as("no journal written").isEqualTo(hadJournal);
  }
}
