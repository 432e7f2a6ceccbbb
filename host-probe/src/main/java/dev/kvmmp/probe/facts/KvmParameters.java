package dev.kvmmp.probe.facts;

import dev.kvmmp.proto.v1.KnobValue;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The parameters of the kvm module and of its vendor module, from
 * {@code /sys/module/<module>/parameters/}, named {@code <module>.<parameter>} as on the kernel
 * command line (e.g. {@code kvm.halt_poll_ns}, {@code kvm_intel.enable_apicv}).
 */
final class KvmParameters {

  /**
   * kvm first, then whichever vendor modules are loaded. kvm_pvm is the paravirtual nesting
   * module some cloud guests (Firecracker with {@code nested_pvm=1}) use instead of VMX/SVM.
   */
  private static final List<String> MODULES = List.of("kvm", "kvm_intel", "kvm_amd", "kvm_pvm");

  private KvmParameters() {
  }

  /** Every readable parameter, by module then name; an absent module contributes none. */
  static List<KnobValue> read(Path root) {
    List<KnobValue> knobs = new ArrayList<>();
    for (String module : MODULES) {
      for (Path file : files(root.resolve("sys/module").resolve(module).resolve("parameters"))) {
        // A parameter whose read fails is left out rather than reported with a made-up value.
        FactFiles.read(file).map(String::trim).ifPresent(value -> knobs.add(
            KnobValue.newBuilder()
                .setName(module + "." + file.getFileName())
                .setValue(value)
                .setWritable(FactFiles.isOwnerWritable(file))
                .build()));
      }
    }
    return knobs;
  }

  private static List<Path> files(Path dir) {
    try (Stream<Path> entries = Files.list(dir)) {
      return entries.filter(Files::isRegularFile).sorted().toList();
    } catch (IOException | SecurityException e) {
      return List.of();
    }
  }
}
