package dev.kvmmp.spec;

import com.google.protobuf.Descriptors.EnumDescriptor;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * How users write proto enum values: lower case, hyphenated, without the type prefix
 * ({@code cross-cpu} for {@code PLACEMENT_CROSS_CPU}). Parsing is forgiving about case, {@code -}
 * versus {@code _} and the prefix; the {@code *_UNSPECIFIED} value is never accepted, because a user
 * who means "the default" leaves the field out.
 */
public final class EnumText {

  private static final String UNSPECIFIED = "UNSPECIFIED";

  private EnumText() {}

  /** The user-facing name: {@code PLACEMENT_CROSS_CPU} → {@code cross-cpu}. */
  public static String name(EnumValueDescriptor value) {
    String full = value.getName();
    String prefix = prefix(value.getType());
    String bare = full.startsWith(prefix) ? full.substring(prefix.length()) : full;
    return bare.toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /** The values a user may write, e.g. {@code unpinned, same-cpu, cross-cpu}. */
  public static String choices(EnumDescriptor type) {
    return type.getValues().stream()
        .filter(v -> !isUnspecified(v))
        .map(EnumText::name)
        .collect(Collectors.joining(", "));
  }

  /**
   * The value {@code text} names ({@code cross-cpu}, {@code CROSS_CPU}, {@code PLACEMENT_CROSS_CPU}),
   * or empty if it names none or names the unspecified value.
   */
  public static Optional<EnumValueDescriptor> parse(EnumDescriptor type, String text) {
    String normal = text.strip().toUpperCase(Locale.ROOT).replace('-', '_');
    if (normal.isEmpty()) {
      return Optional.empty();
    }
    EnumValueDescriptor value = type.findValueByName(prefix(type) + normal);
    if (value == null) {
      value = type.findValueByName(normal);
    }
    return Optional.ofNullable(value).filter(v -> !isUnspecified(v));
  }

  // The proto style guide prefixes every value with the type's name, which the zero value shows.
  private static String prefix(EnumDescriptor type) {
    String zero = type.findValueByNumber(0).getName();
    return zero.endsWith(UNSPECIFIED) ? zero.substring(0, zero.length() - UNSPECIFIED.length()) : "";
  }

  private static boolean isUnspecified(EnumValueDescriptor value) {
    return value.getNumber() == 0 && value.getName().endsWith(UNSPECIFIED);
  }
}
