package dev.kvmmp.probe.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kvmmp.coordinator.CoordinatorMain;
import dev.kvmmp.coordinator.CoordinatorServer;
import dev.kvmmp.coordinator.grpc.ProbeGrpcService;
import dev.kvmmp.probe.knobs.HostKnobs;
import dev.kvmmp.probe.qmp.QemuVm;
import dev.kvmmp.proto.v1.HostSample;
import dev.kvmmp.proto.v1.KnobsApplied;
import dev.kvmmp.proto.v1.SampleKind;
import dev.kvmmp.proto.v1.SnapshotTaken;
import dev.kvmmp.proto.v1.VmCounters;
import dev.kvmmp.proto.v1.VmInfo;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The probe daemon on this host, with a real QEMU/KVM VM and a real coordinator on a loopback
 * port: it registers the VM, answers a run's snapshot with that VM's counters, and refuses
 * halt_poll_ns, which is read-only on this machine.
 */
class ProbeDaemonIT {

  private static final Path HALT_POLL_NS = Path.of("/sys/module/kvm/parameters/halt_poll_ns");

  @TempDir
  Path stateDir;

  @Test
  void registersTheVmAnswersSnapshotsAndRefusesAReadOnlyKnob() throws Exception {
    Assumptions.assumeTrue(Files.exists(HALT_POLL_NS), "no kvm module");
    String hostId = "it-host-" + ProcessHandle.current().pid();
    RecordingSampleSink sink = new RecordingSampleSink();
    try (CoordinatorServer coordinator = CoordinatorMain.start("127.0.0.1", 0,
            Duration.ofSeconds(1));
        QemuVm vm = QemuVm.start()) {
      ProbeGrpcService probes = coordinator.probes();
      ProbeConfig config = new ProbeConfig(Optional.of("127.0.0.1:" + coordinator.port()),
          Optional.empty(), Optional.of(hostId), Duration.ofSeconds(1), Path.of("/"), stateDir,
          "127.0.0.1", OptionalInt.of(0), Duration.ofSeconds(1), ProbeConfig.ALL_KNOBS);
      ProbeDaemon daemon = ProbeDaemon.start(config, registry -> sink);
      Thread runner = new Thread(() -> {
        try {
          daemon.run();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }, "probe-daemon-it");
      runner.start();
      try {
        VmInfo info = awaitVm(probes, hostId, vm.uuid());
        assertThat(info.getName()).isEqualTo(vm.name());
        assertThat(info.getVmmPid()).isEqualTo(vm.process().pid());
        assertThat(info.getVcpuTidsList()).as("two vCPUs, each its own thread of the VM's QEMU")
            .hasSize(2).allSatisfy(tid -> assertThat(Path.of("/proc/" + vm.process().pid()
                + "/task/" + tid)).exists());

        SnapshotTaken start = probes.takeSnapshot(hostId, vm.uuid(), "run-it",
            SampleKind.SAMPLE_KIND_WINDOW_START).get(10, TimeUnit.SECONDS);
        Thread.sleep(500);
        SnapshotTaken end = probes.takeSnapshot(hostId, vm.uuid(), "run-it",
            SampleKind.SAMPLE_KIND_WINDOW_END).get(10, TimeUnit.SECONDS);

        assertThat(start.getError()).isEmpty();
        assertThat(end.getError()).isEmpty();
        VmCounters before = start.getSample().getVms(0);
        VmCounters after = end.getSample().getVms(0);
        assertThat(after.getVmIdentity()).isEqualTo(vm.uuid());
        assertThat(after.getSource()).isEqualTo("qmp");
        assertThat(after.getStatsOrThrow("exits")).isGreaterThan(before.getStatsOrThrow("exits"));
        assertThat(end.getSample().getRunId()).isEqualTo("run-it");
        assertThat(end.getSample().getKnobsList()).anySatisfy(knob -> {
          assertThat(knob.getName()).isEqualTo("halt_poll_ns");
          assertThat(knob.getWritable()).isFalse();
        });
        HostSample published = sink.await(s -> s.getKind() == SampleKind.SAMPLE_KIND_WINDOW_END);
        assertThat(published.getSequence()).isEqualTo(end.getSample().getSequence());

        String haltPollBefore = Files.readString(HALT_POLL_NS).strip();
        KnobsApplied refused = probes.applyKnobs(hostId, dev.kvmmp.proto.v1.HostKnobs
            .newBuilder().setHaltPollNs(0).build()).get(10, TimeUnit.SECONDS);
        Assumptions.assumeTrue(!Files.isWritable(HALT_POLL_NS)
            || refused.getError().contains("read-only"), "halt_poll_ns is writable here");
        assertThat(refused.getError()).startsWith("halt_poll_ns: /sys/module/kvm/parameters/"
            + "halt_poll_ns is read-only on this host (0444: ");
        assertThat(Files.readString(HALT_POLL_NS).strip()).isEqualTo(haltPollBefore);
        assertThat(HostKnobs.journalIn(stateDir)).doesNotExist();

        assertThat(scrape(daemon.metricsPort()))
            .containsPattern("kvmmp_probe_samples_total\\{host_id=\"" + hostId
                + "\",kind=\"window_end\"\\} 1.0")
            .contains("kvmmp_probe_coordinator_connected{host_id=\"" + hostId + "\"} 1.0")
            .contains("kvmmp_probe_knob_requests_total{host_id=\"" + hostId
                + "\",outcome=\"refused\",request=\"apply\"} 1.0");
      } finally {
        daemon.close();
        runner.join(10_000);
      }
      assertThat(sink.closed).isTrue();
      // The coordinator hears the goodbye on its own thread.
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      while (!probes.hosts().isEmpty() && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertThat(probes.hosts()).as("the probe says goodbye").isEmpty();
    }
  }

  private static VmInfo awaitVm(ProbeGrpcService probes, String hostId, String uuid)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    while (System.nanoTime() < deadline) {
      Optional<VmInfo> vm = probes.vms(hostId).stream()
          .filter(v -> v.getVmIdentity().equals(uuid) && v.getVcpuTidsCount() > 0).findFirst();
      if (vm.isPresent()) {
        return vm.get();
      }
      Thread.sleep(50);
    }
    throw new AssertionError("VM " + uuid + " with its vCPU threads not registered within 15 s; "
        + "the coordinator has " + probes.vms(hostId));
  }

  private static String scrape(int port) throws Exception {
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + port + "/metrics"))
        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()).body();
  }
}
