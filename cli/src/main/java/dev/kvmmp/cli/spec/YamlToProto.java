package dev.kvmmp.cli.spec;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.OneofDescriptor;
import com.google.protobuf.Duration;
import com.google.protobuf.Message;
import dev.kvmmp.spec.DurationText;
import dev.kvmmp.spec.EnumText;
import dev.kvmmp.spec.SpecPath;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Fills a protobuf builder from a YAML tree by walking the message's descriptor, so that the file
 * format is experiment.proto itself: keys are the proto field names, and a field added there can
 * be written in a file without touching this class.
 *
 * <p>It records a problem and carries on wherever it can, so that one pass finds every mistake. It
 * also records where each field path was written, for problems found later on the finished proto.
 * An empty value means "not set", except for a message field, where it means "set, all defaults":
 * {@code tcp_rr:} alone asks for a tcp_rr workload with default parameters.
 */
final class YamlToProto {

  private static final String DURATION = Duration.getDescriptor().getFullName();
  private static final BigInteger UINT32_MAX = BigInteger.ONE.shiftLeft(32).subtract(BigInteger.ONE);
  private static final BigInteger UINT64_MAX = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);

  private final List<SpecProblem> problems = new ArrayList<>();
  private final PathPositions positions = new PathPositions();

  /** The problems met while mapping, and where every mapped field path was written. */
  record Result(List<SpecProblem> problems, PathPositions positions) {}

  private YamlToProto() {}

  /** Sets the fields of {@code builder} from {@code root}, the mapping of a whole message. */
  static Result map(YamlNode.Mapping root, Message.Builder builder) {
    YamlToProto walk = new YamlToProto();
    walk.fill(builder, root, "");
    return new Result(List.copyOf(walk.problems), walk.positions);
  }

  private void fill(Message.Builder builder, YamlNode.Mapping mapping, String path) {
    Descriptor type = builder.getDescriptorForType();
    Map<String, SourcePosition> seen = new HashMap<>();
    for (YamlNode.Entry entry : mapping.entries()) {
      String fieldPath = SpecPath.field(path, entry.key());
      SourcePosition first = seen.putIfAbsent(entry.key(), entry.keyAt());
      if (first != null) {
        problem(entry.keyAt(), fieldPath, "duplicate key (first at " + first + ")");
        continue;
      }
      FieldDescriptor field = type.findFieldByName(entry.key());
      if (field == null) {
        problem(entry.keyAt(), fieldPath, unknownField(type, entry));
        continue;
      }
      YamlNode value = entry.value();
      positions.record(fieldPath, isNull(value) ? entry.keyAt() : value.at());
      if (isNull(value) && !isPlainMessage(field)) {
        continue;
      }
      OneofDescriptor oneof = field.getRealContainingOneof();
      if (oneof != null && builder.hasOneof(oneof)) {
        problem(entry.keyAt(), path, builder.getOneofFieldDescriptor(oneof).getName() + " and "
            + field.getName() + " both set; a " + noun(type) + " has exactly one " + oneof.getName());
        continue;
      }
      set(builder, field, value, fieldPath);
    }
  }

  private void set(Message.Builder builder, FieldDescriptor field, YamlNode node, String path) {
    if (field.isMapField()) {
      if (node instanceof YamlNode.Mapping mapping) {
        fillMap(builder, field, mapping, path);
      } else {
        expected(node, path, "a mapping");
      }
    } else if (field.isRepeated()) {
      if (!(node instanceof YamlNode.Sequence sequence)) {
        expected(node, path, "a list");
        return;
      }
      for (int i = 0; i < sequence.items().size(); i++) {
        YamlNode item = sequence.items().get(i);
        String itemPath = SpecPath.index(path, i);
        positions.record(itemPath, item.at());
        if (isNull(item)) {
          problem(item.at(), itemPath, "empty list entry");
        } else {
          convert(builder, field, item, itemPath).ifPresent(v -> builder.addRepeatedField(field, v));
        }
      }
    } else {
      convert(builder, field, node, path).ifPresent(v -> builder.setField(field, v));
    }
  }

  // A proto map is a repeated entry message with fields "key" and "value".
  private void fillMap(Message.Builder builder, FieldDescriptor field, YamlNode.Mapping mapping,
      String path) {
    FieldDescriptor keyField = field.getMessageType().findFieldByName("key");
    FieldDescriptor valueField = field.getMessageType().findFieldByName("value");
    Map<String, SourcePosition> seen = new HashMap<>();
    for (YamlNode.Entry entry : mapping.entries()) {
      String entryPath = SpecPath.key(path, entry.key());
      SourcePosition first = seen.putIfAbsent(entry.key(), entry.keyAt());
      if (first != null) {
        problem(entry.keyAt(), entryPath, "duplicate key (first at " + first + ")");
        continue;
      }
      positions.record(entryPath, entry.keyAt());
      Message.Builder mapEntry = builder.newBuilderForField(field);
      YamlNode key = new YamlNode.Scalar(entry.key(), entry.key(), entry.keyAt());
      Optional<Object> keyValue = convert(mapEntry, keyField, key, entryPath);
      // An empty value is the value type's default: "label: " selects the empty label value.
      Optional<Object> value = isNull(entry.value())
          ? Optional.of(mapEntry.getField(valueField))
          : convert(mapEntry, valueField, entry.value(), entryPath);
      if (keyValue.isPresent() && value.isPresent()) {
        mapEntry.setField(keyField, keyValue.get()).setField(valueField, value.get());
        builder.addRepeatedField(field, mapEntry.build());
      }
    }
  }

  /** The value for one (non-repeated) occurrence of {@code field}; empty after a problem. */
  private Optional<Object> convert(Message.Builder parent, FieldDescriptor field, YamlNode node,
      String path) {
    if (field.getJavaType() == FieldDescriptor.JavaType.MESSAGE && !isDuration(field)) {
      Message.Builder message = parent.newBuilderForField(field);
      if (node instanceof YamlNode.Mapping mapping) {
        fill(message, mapping, path);
      } else if (!isNull(node)) {
        expected(node, path, "a mapping");
        return Optional.empty();
      }
      return Optional.of(message.build());
    }
    if (!(node instanceof YamlNode.Scalar scalar)) {
      expected(node, path, "a single value");
      return Optional.empty();
    }
    return switch (field.getJavaType()) {
      case STRING -> Optional.of(scalar.text());
      case BOOLEAN -> bool(scalar, path);
      case INT, LONG -> integer(field, scalar, path);
      case FLOAT, DOUBLE -> decimal(field, scalar, path);
      case ENUM -> enumValue(field, scalar, path);
      case MESSAGE -> duration(scalar, path);
      case BYTE_STRING -> fail(scalar, path, "bytes fields cannot be set from a spec file");
    };
  }

  private Optional<Object> bool(YamlNode.Scalar scalar, String path) {
    if (scalar.value() instanceof Boolean b) {
      return Optional.of(b);
    }
    String text = scalar.text().strip();
    if (text.equalsIgnoreCase("true") || text.equalsIgnoreCase("false")) {
      return Optional.of(Boolean.parseBoolean(text));
    }
    return fail(scalar, path, "'" + scalar.text() + "' is not true or false");
  }

  private Optional<Object> integer(FieldDescriptor field, YamlNode.Scalar scalar, String path) {
    BigInteger number;
    if (scalar.value() instanceof BigInteger parsed) {
      number = parsed; // YAML's forms too: 0x10, 1_000
    } else {
      try {
        number = new BigInteger(scalar.text().strip());
      } catch (NumberFormatException e) {
        return fail(scalar, path, "'" + scalar.text() + "' is not a whole number");
      }
    }
    BigInteger min;
    BigInteger max;
    switch (field.getType()) {
      case UINT32, FIXED32 -> { min = BigInteger.ZERO; max = UINT32_MAX; }
      case UINT64, FIXED64 -> { min = BigInteger.ZERO; max = UINT64_MAX; }
      case INT32, SINT32, SFIXED32 -> {
        min = BigInteger.valueOf(Integer.MIN_VALUE);
        max = BigInteger.valueOf(Integer.MAX_VALUE);
      }
      default -> { min = BigInteger.valueOf(Long.MIN_VALUE); max = BigInteger.valueOf(Long.MAX_VALUE); }
    }
    if (number.compareTo(min) < 0) {
      return fail(scalar, path, number + " is below the minimum " + min);
    }
    if (number.compareTo(max) > 0) {
      return fail(scalar, path, number + " is above the maximum " + max);
    }
    // intValue/longValue keep the low bits, which is how Java holds unsigned proto integers.
    return Optional.of(field.getJavaType() == FieldDescriptor.JavaType.INT
        ? (Object) number.intValue()
        : (Object) number.longValue());
  }

  private Optional<Object> decimal(FieldDescriptor field, YamlNode.Scalar scalar, String path) {
    try {
      double number = Double.parseDouble(scalar.text().strip());
      return Optional.of(field.getJavaType() == FieldDescriptor.JavaType.FLOAT
          ? (Object) (float) number
          : (Object) number);
    } catch (NumberFormatException e) {
      return fail(scalar, path, "'" + scalar.text() + "' is not a number");
    }
  }

  private Optional<Object> enumValue(FieldDescriptor field, YamlNode.Scalar scalar, String path) {
    Optional<EnumValueDescriptor> value = EnumText.parse(field.getEnumType(), scalar.text());
    if (value.isPresent()) {
      return Optional.of(value.get());
    }
    return fail(scalar, path, "'" + scalar.text() + "' is not one of: "
        + EnumText.choices(field.getEnumType()));
  }

  private Optional<Object> duration(YamlNode.Scalar scalar, String path) {
    try {
      return Optional.of(DurationText.parse(scalar.text()));
    } catch (IllegalArgumentException e) {
      return fail(scalar, path, e.getMessage());
    }
  }

  /**
   * For a message with a oneof of messages, such as Workload's kind, a key holding a mapping was
   * most likely meant as a new member: "unknown workload 'fio'" says more than "unknown field".
   */
  private static String unknownField(Descriptor type, YamlNode.Entry entry) {
    if (entry.value() instanceof YamlNode.Mapping || isNull(entry.value())) {
      for (OneofDescriptor oneof : type.getRealOneofs()) {
        boolean ofMessages = oneof.getFields().stream()
            .allMatch(f -> f.getJavaType() == FieldDescriptor.JavaType.MESSAGE);
        if (ofMessages) {
          return "unknown " + noun(type) + " '" + entry.key() + "' (known: "
              + names(oneof.getFields()) + ")";
        }
      }
    }
    return "unknown field (known: " + names(type.getFields()) + ")";
  }

  private static String names(List<FieldDescriptor> fields) {
    return fields.stream().map(FieldDescriptor::getName).collect(Collectors.joining(", "));
  }

  /** {@code Workload} → {@code workload}, {@code GuestProfile} → {@code guest profile}. */
  private static String noun(Descriptor type) {
    return type.getName().replaceAll("([a-z0-9])([A-Z])", "$1 $2").toLowerCase(Locale.ROOT);
  }

  private static boolean isDuration(FieldDescriptor field) {
    return field.getJavaType() == FieldDescriptor.JavaType.MESSAGE
        && field.getMessageType().getFullName().equals(DURATION);
  }

  private static boolean isPlainMessage(FieldDescriptor field) {
    return field.getJavaType() == FieldDescriptor.JavaType.MESSAGE && !field.isRepeated()
        && !isDuration(field);
  }

  private static boolean isNull(YamlNode node) {
    return node instanceof YamlNode.Scalar scalar && scalar.isNull();
  }

  private void expected(YamlNode node, String path, String kind) {
    problem(node.at(), path, "expected " + kind + ", got " + node.kindName());
  }

  private Optional<Object> fail(YamlNode node, String path, String message) {
    problem(node.at(), path, message);
    return Optional.empty();
  }

  private void problem(SourcePosition at, String path, String message) {
    problems.add(new SpecProblem(at, path, message));
  }
}
