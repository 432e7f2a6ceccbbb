package dev.kvmmp.coordinator;

import java.security.SecureRandom;
import java.util.HexFormat;

/** Short random experiment ids, e.g. "e-7f3a9c1b": unique enough, and easy to type. */
final class ExperimentIds {

  private static final SecureRandom random = new SecureRandom();

  private ExperimentIds() {}

  static String next() {
    byte[] bytes = new byte[4];
    random.nextBytes(bytes);
    return "e-" + HexFormat.of().formatHex(bytes);
  }
}
