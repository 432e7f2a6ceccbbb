package dev.kvmmp.worker.facts;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TickModeTest {

  @TempDir
  Path dir;

  @Test
  void unknownWithoutConfigOrCommandLineEvidence() {
    TickMode tick = TickMode.detect(Optional.empty(), KernelCmdline.parse("root=/dev/vda ro"),
        Optional.empty());

    assertThat(tick.mode()).isEqualTo("unknown");
  }

  @Test
  void nohzFullOnCommandLineIgnoredWhenKernelLacksNoHzFull() throws IOException {
    TickMode tick = TickMode.detect(Optional.empty(), KernelCmdline.parse("nohz_full=1-3"),
        config("CONFIG_NO_HZ_IDLE=y\n# CONFIG_NO_HZ_FULL is not set\n"));

    assertThat(tick.mode()).isEqualTo("idle");
  }

  @Test
  void nohzFullOnCommandLineCountsWithoutConfig() {
    TickMode tick = TickMode.detect(Optional.empty(), KernelCmdline.parse("nohz_full=1-3"),
        Optional.empty());

    assertThat(tick).isEqualTo(new TickMode("full", "1-3"));
  }

  @Test
  void noHzFullKernelWithoutNohzFullCpusIsIdleTickless() throws IOException {
    // sysfs prints "(null)" when the kernel was booted without nohz_full=.
    Files.writeString(dir.resolve("nohz_full"), "(null)\n");

    TickMode tick = TickMode.detect(CpuList.read(dir.resolve("nohz_full")),
        KernelCmdline.parse("ro"), config("CONFIG_NO_HZ_FULL=y\n"));

    assertThat(tick.mode()).isEqualTo("idle");
  }

  @Test
  void initArgumentsAfterDoubleDashAreNotKernelParameters() {
    TickMode tick = TickMode.detect(Optional.empty(), KernelCmdline.parse("ro -- nohz=off"),
        Optional.empty());

    assertThat(tick.mode()).isEqualTo("unknown");
  }

  private Optional<KernelConfig> config(String text) throws IOException {
    Path file = dir.resolve("config");
    Files.writeString(file, text);
    return KernelConfig.read(file);
  }
}
