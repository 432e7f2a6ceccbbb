package dev.kvmmp.probe.qmp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kvmmp.proto.v1.VmCounters;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Against a real QEMU/KVM VM on this machine (skipped without /dev/kvm or QEMU). */
class QmpStatsSourceIT {

  private static final Logger log = LoggerFactory.getLogger(QmpStatsSourceIT.class);
  private static final Duration TIMEOUT = Duration.ofSeconds(2);

  @Test
  void countersGrowWhileTheVmRunsAndReadingFailsPromptlyOnceItIsGone() throws Exception {
    QmpStatsSource source = new QmpStatsSource();
    QmpClient qmp;
    Path socket;
    try (QemuVm vm = QemuVm.start()) {
      socket = vm.qmpSocket();
      qmp = QmpClient.connect(vm.qmpSocket(), TIMEOUT);
      VmCounters first = source.read(qmp);
      Thread.sleep(1_000);
      VmCounters second = source.read(qmp);
      log.info("QEMU {}: vm_identity={} source={} stats={}", qmp.qemuVersion(),
          second.getVmIdentity(), second.getSource(), new TreeMap<>(second.getStatsMap()));
      log.info("moved in 1 s: {}", second.getStatsMap().entrySet().stream()
          .filter(e -> !e.getValue().equals(first.getStatsMap().get(e.getKey())))
          .map(e -> e.getKey() + "+" + (e.getValue() - first.getStatsMap().get(e.getKey())))
          .sorted().collect(Collectors.joining(" ")));

      assertThat(second.getVmIdentity()).isEqualTo(vm.uuid());
      assertThat(second.getSource()).isEqualTo("qmp");
      // Every emulated stretch of SeaBIOS ends in an exit, and a vCPU always sleeps in a halt (the
      // AP parked, the BSP between boot retries). halt_exits and irq_injections move too, but by
      // as little as 1 in the first second of POST: not asserted.
      for (String counter : new String[] {"exits", "halt_wait_ns"}) {
        assertThat(second.getStatsOrThrow(counter)).as(counter)
            .isGreaterThan(first.getStatsOrThrow(counter));
      }
    }

    try (QmpClient gone = qmp) {
      long start = System.nanoTime();
      assertThatThrownBy(() -> source.read(gone)).isInstanceOf(IOException.class)
          .hasMessageContaining(socket.toString());
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(TIMEOUT.plusSeconds(1));
    }
  }
}
