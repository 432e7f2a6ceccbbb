package dev.kvmmp.worker.placement;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kvmmp.worker.facts.CpuList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PinnedThreadTest {

  @Test
  void pinsTheCallingThreadAndPutsItsAffinityBack() throws Exception {
    int last = CpuList.online().count() - 1;
    List<Integer> before = CpuMasks.cpus(LinuxThreads.getAffinity(PinnedThread.currentTid()));
    Thread thread = new Thread(() -> {
      try (PinnedThread pinned = PinnedThread.pinCurrentThread(last)) {
        assertThat(pinned.lastCpu()).isEqualTo(last);
        assertThat(pinned.stillPinned()).isTrue();
        assertThat(PinnedThread.confinedTo(pinned.tid(), last)).isTrue();
      }
      assertThat(CpuMasks.cpus(LinuxThreads.getAffinity(PinnedThread.currentTid())))
          .isEqualTo(before);
    });
    thread.start();
    thread.join();
  }
}
