package dev.kvmmp.worker.facts;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The most stable identity a guest can see: the SMBIOS product UUID (QEMU's {@code -uuid}, also
 * known to the host), else the machine-id, else the hostname.
 *
 * @param value  the identity, empty when nothing was found
 * @param source "smbios", "machine-id", "hostname", or empty
 */
record VmIdentity(String value, String source) {

  private static final Pattern UUID =
      Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
  private static final Pattern MACHINE_ID = Pattern.compile("[0-9a-f]{32}");
  // Firmware that fills SMBIOS from a template ships these; many machines share them.
  private static final Set<String> PLACEHOLDER_UUIDS = Set.of(
      "00000000-0000-0000-0000-000000000000",
      "ffffffff-ffff-ffff-ffff-ffffffffffff",
      "03000200-0400-0500-0006-000700080009");

  static VmIdentity resolve(Path root, String hostname) {
    // product_uuid is mode 0400: a non-root worker falls through to machine-id.
    Optional<String> uuid = FactFiles.readTrimmed(root.resolve("sys/class/dmi/id/product_uuid"))
        .map(s -> s.toLowerCase(Locale.ROOT))
        .filter(s -> UUID.matcher(s).matches() && !PLACEHOLDER_UUIDS.contains(s));
    if (uuid.isPresent()) {
      return new VmIdentity(uuid.get(), "smbios");
    }
    // systemd writes "uninitialized" early in first boot; a cloned image may carry zeros.
    Optional<String> machineId = FactFiles.readTrimmed(root.resolve("etc/machine-id"))
        .map(s -> s.toLowerCase(Locale.ROOT))
        .filter(s -> MACHINE_ID.matcher(s).matches() && !s.chars().allMatch(c -> c == '0'));
    if (machineId.isPresent()) {
      return new VmIdentity(machineId.get(), "machine-id");
    }
    return hostname.isEmpty() ? new VmIdentity("", "") : new VmIdentity(hostname, "hostname");
  }
}
