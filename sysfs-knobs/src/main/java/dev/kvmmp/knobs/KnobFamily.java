package dev.kvmmp.knobs;

import java.util.Objects;
import java.util.function.Predicate;

/**
 * Which knobs a journal holds, named for its messages, and the only files it may restore. The
 * process that restores runs as root, so a journal naming any file outside {@code allowedFiles}
 * is corrupt: a damaged or edited journal must not talk it into writing elsewhere.
 *
 * @param knob what one knob is called in messages, e.g. {@code guest knob}
 * @param owner the process that sets and restores them, e.g. {@code worker}
 * @param allowedFiles whether a file, relative to the root, may be written, e.g.
 *     {@code sys/module/kvm/parameters/halt_poll_ns}
 */
public record KnobFamily(String knob, String owner, Predicate<String> allowedFiles) {

  public KnobFamily {
    Objects.requireNonNull(allowedFiles, "allowedFiles");
    if (knob.isBlank() || owner.isBlank()) {
      throw new IllegalArgumentException("knob and owner must name something: '" + knob
          + "', '" + owner + "'");
    }
  }

  /** e.g. {@code guest knobs}. */
  public String knobs() {
    return knob + "s";
  }

  /** e.g. {@code kvmmp guest-knobs journal v1}: one family's journal is no other's. */
  public String journalHeader() {
    return "kvmmp " + knobs().replace(' ', '-') + " journal v1";
  }

  public boolean allows(String relativeFile) {
    return allowedFiles.test(relativeFile);
  }
}
