package dev.kvmmp.cli.spec;

import dev.kvmmp.proto.v1.ExperimentSpec;
import dev.kvmmp.spec.ExperimentSpecValidator;
import dev.kvmmp.spec.SpecViolation;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Reads an experiment spec from a YAML file whose keys are the field names of
 * {@code experiment.proto}, and checks it with {@link ExperimentSpecValidator}. Every problem comes
 * back at once, each with the file, line and column it is about. Defaults are not applied: the
 * spec is what the file says.
 */
public final class SpecFileReader {

  private static final Comparator<SpecProblem> FILE_ORDER = Comparator
      .comparingInt((SpecProblem p) -> p.at().line())
      .thenComparingInt(p -> p.at().column());

  /**
   * The valid spec the file describes.
   *
   * @throws SpecFileException listing every problem, as {@code file:line:column: path: message}
   * @throws IOException if the file cannot be read at all; the message names it
   */
  public ExperimentSpec read(Path file) throws SpecFileException, IOException {
    String name = file.toString();
    YamlNode root;
    try {
      root = YamlTreeReader.read(readText(file));
    } catch (YamlSyntaxException e) {
      throw failure(name, new SpecProblem(e.at(), "", e.getMessage()));
    }
    if (root == null || root instanceof YamlNode.Scalar scalar && scalar.isNull()) {
      throw failure(name, new SpecProblem(SourcePosition.START, "",
          "the file is empty; a spec needs at least name, workloads and duration"));
    }
    if (!(root instanceof YamlNode.Mapping mapping)) {
      throw failure(name, new SpecProblem(SourcePosition.START, "",
          "expected a mapping of spec fields (name, workloads, duration, ...), got " + root.kindName()));
    }
    ExperimentSpec.Builder builder = ExperimentSpec.newBuilder();
    YamlToProto.Result mapped = YamlToProto.map(mapping, builder);
    ExperimentSpec spec = builder.build();

    List<SpecProblem> problems = new ArrayList<>(mapped.problems());
    for (SpecViolation violation : ExperimentSpecValidator.validate(spec)) {
      if (!explainedByMappingProblem(violation.path(), mapped.problems())) {
        problems.add(new SpecProblem(mapped.positions().resolve(violation.path()), violation.path(),
            violation.message()));
      }
    }
    if (!problems.isEmpty()) {
      problems.sort(FILE_ORDER);
      throw new SpecFileException(problems.stream().map(p -> p.render(name)).toList());
    }
    return spec;
  }

  /**
   * A field the file got wrong is left unset, so the validator may then call it missing:
   * {@code duration: 10 parsecs} must not also say {@code duration: missing (required)}, nor
   * {@code workloads[0].fio: unknown workload} also {@code workloads[0]: no workload kind set}.
   */
  private static boolean explainedByMappingProblem(String path, List<SpecProblem> mappingProblems) {
    return mappingProblems.stream().map(SpecProblem::path).anyMatch(problemPath ->
        problemPath.equals(path)
            || !path.isEmpty()
                && (problemPath.startsWith(path + ".") || problemPath.startsWith(path + "[")));
  }

  private static String readText(Path file) throws IOException, SpecFileException {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new IOException("cannot read spec file " + file + ": " + reason(e), e);
    }
    String text;
    try {
      text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      throw failure(file.toString(), new SpecProblem(SourcePosition.START, "",
          "the file is not UTF-8 text"));
    }
    // Editors on Windows may start a file with a byte order mark; it is not part of the YAML.
    return text.startsWith("\uFEFF") ? text.substring(1) : text;
  }

  private static String reason(IOException e) {
    if (e instanceof NoSuchFileException) {
      return "no such file";
    }
    if (e instanceof AccessDeniedException) {
      return "permission denied";
    }
    if (e instanceof FileSystemException fileSystem && fileSystem.getReason() != null) {
      return fileSystem.getReason();
    }
    return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
  }

  private static SpecFileException failure(String file, SpecProblem problem) {
    return new SpecFileException(List.of(problem.render(file)));
  }
}
