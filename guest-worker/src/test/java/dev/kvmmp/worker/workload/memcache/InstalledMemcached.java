package dev.kvmmp.worker.workload.memcache;

import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/** The memcached the tests start; they skip, saying why, where it is not installed. */
final class InstalledMemcached {

  private InstalledMemcached() {}

  static Path require() {
    var found = Executables.find("memcached", Path.of("/usr/bin/memcached"));
    Assumptions.assumeTrue(found.isPresent(),
        "memcached is not installed (apt-get install memcached)");
    return found.get();
  }
}
