package io.maestro.engine.manifest;

import io.maestro.core.problem.ErrorCode;
import io.maestro.core.problem.MaestroException;
import io.maestro.engine.EngineErrors;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A manifest that failed to parse or validate, with every problem found (not just the first). */
public final class ManifestException extends MaestroException {
  private static final long serialVersionUID = 1L;

  private final transient List<ManifestProblem> problems;

  public ManifestException(List<ManifestProblem> problems) {
    this(EngineErrors.MANIFEST_INVALID, problems);
  }

  /** Problems reported under another code than {@code manifest_invalid} (e.g. a size limit). */
  public ManifestException(ErrorCode code, List<ManifestProblem> problems) {
    super(
        code,
        problems.size() + " problem(s): " + problems.getFirst(),
        Map.of("errors", problems.stream().map(ManifestException::toMap).toList()),
        false,
        null);
    this.problems = List.copyOf(problems);
  }

  public List<ManifestProblem> problems() {
    return problems;
  }

  private static Map<String, Object> toMap(ManifestProblem p) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("path", p.path());
    m.put("message", p.message());
    p.position()
        .ifPresent(
            pos -> {
              m.put("line", pos.line());
              m.put("column", pos.column());
            });
    return m;
  }
}
