package dev.kvmmp.probe.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class QemuCommandLineTest {

  static Path fixture(String name) throws URISyntaxException {
    return Path.of(QemuCommandLineTest.class.getClassLoader().getResource(name).toURI());
  }

  private static QemuCommandLine parseFixture(String name) throws Exception {
    return QemuCommandLine.parse(Files.readAllBytes(fixture(name)));
  }

  @Test
  void readsUuidNameAndQmpSocketOfTheTestVm() throws Exception {
    QemuCommandLine cmd = parseFixture("proc/two-qemus/30656/cmdline");

    assertThat(cmd.uuid()).contains("3f2504e0-4f89-11d3-9a0c-0305e82c3301");
    assertThat(cmd.name()).contains("kvmmp-test-1");
    assertThat(cmd.qmpSocket()).contains(Path.of("/tmp/kq.Z6un/qmp.sock"));
  }

  @Test
  void readsLibvirtStyleMonitorChardevAndGuestName() throws Exception {
    // Hand-written, libvirt-shaped: see src/test/resources/proc/README.txt.
    QemuCommandLine cmd = parseFixture("proc/two-qemus/2817/cmdline");

    assertThat(cmd.uuid()).contains("6b29fc40-ca47-1067-b31d-00dd010662da");
    assertThat(cmd.name()).contains("web-1");
    assertThat(cmd.qmpSocket())
        .contains(Path.of("/var/lib/libvirt/qemu/domain-3-web-1/monitor.sock"));
  }

  @Test
  void acceptsOldStyleQmpFlagsAndDoubleDashOptions() {
    QemuCommandLine cmd = QemuCommandLine.parse(List.of("qemu-system-aarch64", "--name", "a,,b",
        "-qmp", "unix:/run/q,,1.sock,server,nowait"));

    assertThat(cmd.name()).contains("a,b");
    assertThat(cmd.qmpSocket()).contains(Path.of("/run/q,1.sock"));
    assertThat(cmd.uuid()).isEmpty();
  }

  @Test
  void plainUnixQmpWithoutFlags() {
    assertThat(QemuCommandLine.parse(List.of("qemu", "-qmp", "unix:/run/vm.qmp")).qmpSocket())
        .contains(Path.of("/run/vm.qmp"));
  }

  @Test
  void ignoresHumanMonitorsTcpQmpAndFdPassedSockets() {
    QemuCommandLine cmd = QemuCommandLine.parse(List.of("qemu",
        // An HMP monitor: -mon without mode=control.
        "-chardev", "socket,id=hmp,path=/run/hmp.sock,server=on,wait=off", "-mon", "chardev=hmp",
        "-qmp", "tcp:127.0.0.1:4444,server=on,wait=off",
        // libvirt >= 7 passes the monitor socket as an inherited fd: no path to connect to.
        "-chardev", "socket,id=charmonitor,fd=35,server=on,wait=off",
        "-mon", "chardev=charmonitor,id=monitor,mode=control"));

    assertThat(cmd.qmpSocket()).isEmpty();
  }

  @Test
  void optionValueThatLooksLikeAnOptionIsNotParsedAsOne() {
    // "-uuid" here is the value of -name, not an option: a VM can be named anything.
    QemuCommandLine cmd = QemuCommandLine.parse(List.of("qemu", "-name", "-uuid", "-m", "64"));

    assertThat(cmd.name()).contains("-uuid");
    assertThat(cmd.uuid()).isEmpty();
  }

  @Test
  void emptyCommandLineGivesNothing() throws IOException {
    assertThat(QemuCommandLine.parse(new byte[0]))
        .isEqualTo(new QemuCommandLine(Optional.empty(), Optional.empty(), Optional.empty()));
  }
}
