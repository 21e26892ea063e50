package io.maestro.engine.expr;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelIssue;
import dev.cel.common.CelValidationException;
import dev.cel.common.types.MapType;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import io.maestro.core.json.Json;
import io.maestro.engine.EngineErrors;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Compiles and evaluates the expressions of manifests with CEL (Common Expression Language): a
 * side-effect-free, non-Turing-complete language with no I/O, so an expression cannot loop forever,
 * touch files or reach the network. Each distinct expression is compiled once and cached (prepare
 * once, evaluate many times). Thread-safe.
 */
public final class Expressions {
  private static final ObjectMapper MAPPER = Json.MAPPER;
  // `tasks.build`, `tasks["build"]` or `tasks['build']`; `inputs.name`, `inputs["name"]`; not a
  // field that happens to be called tasks (`outputs.tasks.x`).
  private static final Pattern TASK_REF =
      Pattern.compile(
          "(?<![.\\w])tasks\\s*(?:\\.\\s*([A-Za-z_][A-Za-z0-9_]*)|\\[\\s*[\"']([^\"']+)[\"']\\s*])");
  private static final Pattern INPUT_REF =
      Pattern.compile(
          "(?<![.\\w])inputs\\s*(?:\\.\\s*([A-Za-z_][A-Za-z0-9_]*)|\\[\\s*[\"']([^\"']+)[\"']\\s*])");

  private final CelCompiler compiler;
  private final CelRuntime runtime;
  private final Map<String, CelRuntime.Program> programs = new ConcurrentHashMap<>();

  /** The largest value one expression may produce unless configured otherwise (1 MiB). */
  public static final long DEFAULT_MAX_RESULT_BYTES = 1 << 20;

  private final long maxResultBytes;

  public Expressions() {
    this(DEFAULT_MAX_RESULT_BYTES);
  }

  /**
   * @param maxResultBytes the largest value (as JSON) one expression or template may produce; a
   *     larger one is an {@code output_too_large} failure
   */
  public Expressions(long maxResultBytes) {
    this.maxResultBytes = maxResultBytes;
    MapType dynMap = MapType.create(SimpleType.STRING, SimpleType.DYN);
    this.compiler =
        CelCompilerFactory.standardCelCompilerBuilder()
            .addVar("inputs", dynMap)
            .addVar("tasks", dynMap)
            .addVar("run", dynMap)
            .addVar("result", SimpleType.DYN)
            .build();
    this.runtime = CelRuntimeFactory.standardCelRuntimeBuilder().build();
  }

  /**
   * Compiles {@code source}, caching the program.
   *
   * @throws ExpressionException with CEL's messages (line:column within the expression)
   */
  public void check(String source) {
    program(source);
  }

  private CelRuntime.Program program(String source) {
    CelRuntime.Program cached = programs.get(source);
    if (cached != null) {
      return cached;
    }
    try {
      CelAbstractSyntaxTree ast = compiler.compile(source).getAst();
      CelRuntime.Program p = runtime.createProgram(ast);
      programs.putIfAbsent(source, p);
      return p;
    } catch (CelValidationException e) {
      String why =
          e.getErrors().stream().map(Expressions::describe).collect(Collectors.joining("; "));
      throw new ExpressionException("invalid expression '" + source + "': " + why);
    } catch (dev.cel.common.CelException e) {
      throw new ExpressionException("invalid expression '" + source + "': " + e.getMessage());
    }
  }

  private static String describe(CelIssue issue) {
    var loc = issue.getSourceLocation();
    String at = loc.getLine() > 0 ? " at " + loc.getLine() + ":" + (loc.getColumn() + 1) : "";
    return issue.getMessage() + at;
  }

  /** Evaluates one expression to a JSON-shaped Java value. */
  public Object evaluate(String source, Bindings bindings) {
    try {
      return bounded(source, CelValues.fromCel(program(source).eval(bindings.activation())));
    } catch (CelEvaluationException e) {
      throw new ExpressionException("'" + source + "' failed: " + e.getMessage());
    }
  }

  /** Evaluates an {@code if} condition, with or without {@code ${{ }}}; it must be a boolean. */
  public boolean condition(String source, Bindings bindings) {
    Object v = evaluate(conditionSource(source), bindings);
    if (v instanceof Boolean b) {
      return b;
    }
    throw new ExpressionException(
        "condition '" + source + "' must be a boolean, got " + CelValues.render(v));
  }

  /** The CEL source of a condition written as {@code ${{ x }}} or bare {@code x}. */
  public static String conditionSource(String text) {
    String t = text.strip();
    if (t.startsWith("${{") && t.endsWith("}}")) {
      return t.substring(3, t.length() - 2).strip();
    }
    return t;
  }

  /** Evaluates a template string: a single expression keeps its type, otherwise text. */
  public Object render(String text, Bindings bindings) {
    if (!Template.hasExpressions(text)) {
      return text;
    }
    Template t = Template.parse(text);
    if (t.isSingleExpression()) {
      return evaluate(((Template.Expr) t.parts().getFirst()).source(), bindings);
    }
    StringBuilder sb = new StringBuilder();
    for (Template.Part p : t.parts()) {
      switch (p) {
        case Template.Literal l -> sb.append(l.text());
        case Template.Expr e -> sb.append(CelValues.render(evaluate(e.source(), bindings)));
      }
      if (sb.length() > maxResultBytes) {
        break;
      }
    }
    return bounded(text, sb.toString());
  }

  /** A value within {@code maxResultBytes}, or an {@code output_too_large} failure. */
  private Object bounded(String source, Object value) {
    long size = JsonSize.of(value);
    if (size > maxResultBytes) {
      String shown = source.length() > 80 ? source.substring(0, 80) + "…" : source;
      throw new ExpressionException(
          EngineErrors.OUTPUT_TOO_LARGE,
          EngineErrors.OUTPUT_TOO_LARGE.code()
              + ": '"
              + shown
              + "' produced "
              + size
              + " bytes, more than the limit of "
              + maxResultBytes
              + " (engine.maxExpressionResultBytes)");
    }
    return value;
  }

  /** Resolves every template string inside a JSON tree; returns JSON-shaped Java values. */
  public Object resolve(JsonNode node, Bindings bindings) {
    if (node == null || node.isNull() || node.isMissingNode()) {
      return null;
    }
    if (node.isTextual()) {
      return render(node.textValue(), bindings);
    }
    if (node.isObject()) {
      Map<String, Object> out = new LinkedHashMap<>();
      Iterator<Map.Entry<String, JsonNode>> it = node.properties().iterator();
      while (it.hasNext()) {
        Map.Entry<String, JsonNode> e = it.next();
        out.put(e.getKey(), resolve(e.getValue(), bindings));
      }
      return out;
    }
    if (node.isArray()) {
      List<Object> out = new ArrayList<>();
      node.forEach(n -> out.add(resolve(n, bindings)));
      return out;
    }
    return CelValues.fromCel(CelValues.toCel(MAPPER.convertValue(node, Object.class)));
  }

  /** Task ids an expression refers to through {@code tasks}. */
  public static List<String> taskReferences(String source) {
    return refs(TASK_REF, source);
  }

  /** Input names an expression refers to through {@code inputs}. */
  public static List<String> inputReferences(String source) {
    return refs(INPUT_REF, source);
  }

  private static List<String> refs(Pattern p, String source) {
    List<String> out = new ArrayList<>();
    Matcher m = p.matcher(source);
    while (m.find()) {
      out.add(m.group(1) != null ? m.group(1) : m.group(2));
    }
    return out;
  }
}
