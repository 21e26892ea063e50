package io.maestro.engine.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.maestro.engine.EngineErrors;
import io.maestro.engine.expr.ExpressionException;
import io.maestro.engine.expr.Expressions;
import io.maestro.engine.expr.Template;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * Reads and validates workflow manifests: manifest v1 ({@code apiVersion: maestro/v1}, {@code kind:
 * Workflow}) and the seed's minimal form ({@code {name, version, region, tasks[{id, uses,
 * with}]}}). Validation collects <em>every</em> problem with its path and, for source text, its
 * line:column: unknown fields and task types, duplicate ids, unknown or cyclic {@code needs},
 * expressions that do not compile or that reference tasks that are not upstream or inputs that are
 * not declared. Thread-safe.
 */
public final class ManifestLoader {
  public static final String API_VERSION = "maestro/v1";
  private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,99}");
  private static final Pattern VERSION = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._+-]{0,63}");
  private static final Pattern TASK_ID = Pattern.compile("[A-Za-z_][A-Za-z0-9_-]{0,62}");
  private static final Set<String> TOP = Set.of("apiVersion", "kind", "metadata", "spec");
  private static final Set<String> METADATA =
      Set.of("name", "version", "region", "labels", "risk", "resourceClass", "description");
  private static final Set<String> SPEC = Set.of("inputs", "tasks", "schedules");
  private static final Set<String> SCHEDULE =
      Set.of("id", "cron", "timeZone", "overlap", "catchUpSeconds", "jitterSeconds", "inputs");
  private static final Set<String> TASK =
      Set.of(
          "id", "uses", "with", "needs", "if", "retry", "timeout", "outputs", "onFailure", "name");
  private static final Set<String> RETRY = Set.of("max", "backoff", "on");
  private static final Set<String> SEED = Set.of("name", "version", "region", "tasks", "labels");

  /** The most tasks a workflow may have unless configured otherwise ({@code engine.maxTasks}). */
  public static final int DEFAULT_MAX_TASKS = 1000;

  private final TaskCatalog catalog;
  private final Expressions expressions;
  private final int maxTasks;

  public ManifestLoader(TaskCatalog catalog, Expressions expressions) {
    this(catalog, expressions, DEFAULT_MAX_TASKS);
  }

  /**
   * @param maxTasks the most tasks a manifest may have; a larger one is refused with {@code
   *     manifest_too_many_tasks} before its tasks are validated
   */
  public ManifestLoader(TaskCatalog catalog, Expressions expressions, int maxTasks) {
    this.catalog = catalog;
    this.expressions = expressions;
    this.maxTasks = maxTasks;
  }

  /**
   * Parses and validates manifest text (YAML or JSON).
   *
   * @throws ManifestException listing every problem
   */
  public Manifest load(String text) {
    return load(SourceTree.parse(text));
  }

  /** Validates an already parsed tree (e.g. the stored canonical JSON). */
  public Manifest load(SourceTree tree) {
    Check c = new Check(tree);
    JsonNode root = tree.root();
    if (!root.isObject()) {
      c.add("", "a manifest is an object with apiVersion, kind, metadata and spec");
      throw c.failure();
    }
    boolean seed = !root.has("apiVersion") && !root.has("kind") && root.has("tasks");
    Manifest m = seed ? seedForm(root, c) : v1Form(root, c);
    if (!c.problems.isEmpty()) {
      throw c.failure();
    }
    return m;
  }

  private Manifest seedForm(JsonNode root, Check c) {
    c.unknownFields(root, "", SEED);
    ObjectNode v1 = JsonNodeFactory.instance.objectNode();
    v1.put("apiVersion", API_VERSION);
    v1.put("kind", "Workflow");
    ObjectNode md = v1.putObject("metadata");
    for (String k : List.of("name", "version", "region", "labels")) {
      if (root.has(k)) {
        md.set(k, root.get(k));
      }
    }
    ObjectNode spec = v1.putObject("spec");
    spec.set("tasks", root.get("tasks"));
    return build(v1, c, "", "");
  }

  private Manifest v1Form(JsonNode root, Check c) {
    c.unknownFields(root, "", TOP);
    String api = c.text(root, "apiVersion", "apiVersion", true).orElse(API_VERSION);
    if (!API_VERSION.equals(api)) {
      c.add("apiVersion", "unsupported apiVersion '" + api + "'; expected " + API_VERSION);
    }
    String kind = c.text(root, "kind", "kind", true).orElse("Workflow");
    if (!"Workflow".equals(kind)) {
      c.add("kind", "unsupported kind '" + kind + "'; expected Workflow");
    }
    return build(root, c, "metadata", "spec");
  }

  /**
   * Builds the manifest from a v1-shaped tree. {@code metaPath}/{@code specPath} are the paths of
   * metadata and spec in the source (empty for the seed form, whose fields sit at the top).
   */
  private Manifest build(JsonNode root, Check c, String metaPath, String specPath) {
    JsonNode md = root.path("metadata");
    if (!md.isObject()) {
      c.add("metadata", "metadata must be an object with at least name and version");
      md = JsonNodeFactory.instance.objectNode();
    } else if (!metaPath.isEmpty()) {
      c.unknownFields(md, metaPath, METADATA);
    }
    String name = c.text(md, "name", join(metaPath, "name"), true).orElse("");
    if (!name.isEmpty() && !NAME.matcher(name).matches()) {
      c.add(
          join(metaPath, "name"),
          "name '" + name + "' must be 1-100 lower-case letters, digits, '.', '_' or '-'");
    }
    String version = c.scalar(md, "version", join(metaPath, "version"), true).orElse("");
    if (!version.isEmpty() && !VERSION.matcher(version).matches()) {
      c.add(join(metaPath, "version"), "version '" + version + "' has characters not allowed");
    }
    Optional<String> region = c.text(md, "region", join(metaPath, "region"), false);
    Map<String, String> labels = new LinkedHashMap<>();
    JsonNode lab = md.path("labels");
    if (!lab.isMissingNode()) {
      if (!lab.isObject()) {
        c.add(join(metaPath, "labels"), "labels must be a map of strings");
      } else {
        lab.properties()
            .iterator()
            .forEachRemaining(
                e -> {
                  if (e.getValue().isValueNode() && !e.getValue().isNull()) {
                    labels.put(e.getKey(), e.getValue().asText());
                  } else {
                    c.add(join(metaPath, "labels." + e.getKey()), "a label value must be a string");
                  }
                });
      }
    }
    Risk risk = Risk.LOW;
    Optional<String> riskText = c.text(md, "risk", join(metaPath, "risk"), false);
    if (riskText.isPresent()) {
      try {
        risk = Risk.valueOf(riskText.get().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        c.add(join(metaPath, "risk"), "risk must be low, medium or high");
      }
    }
    Optional<String> resourceClass =
        c.text(md, "resourceClass", join(metaPath, "resourceClass"), false);

    JsonNode spec = root.path("spec");
    if (!spec.isObject()) {
      c.add("spec", "spec must be an object with tasks");
      spec = JsonNodeFactory.instance.objectNode();
    } else if (!specPath.isEmpty()) {
      c.unknownFields(spec, specPath, SPEC);
    }
    JsonNode inputs = spec.path("inputs");
    Set<String> inputNames = new HashSet<>();
    if (inputs.isMissingNode() || inputs.isNull()) {
      inputs = JsonNodeFactory.instance.objectNode().put("type", "object");
    } else if (!inputs.isObject()) {
      c.add(join(specPath, "inputs"), "inputs must be a JSON Schema object");
      inputs = JsonNodeFactory.instance.objectNode();
    } else {
      JsonNode props = inputs.path("properties");
      if (!props.isMissingNode() && !props.isObject()) {
        c.add(join(specPath, "inputs.properties"), "properties must be an object");
      }
      props.fieldNames().forEachRemaining(inputNames::add);
    }

    List<TaskSpec> tasks = tasks(spec.path("tasks"), join(specPath, "tasks"), c, inputNames);

    ObjectNode canonical = JsonNodeFactory.instance.objectNode();
    canonical.put("apiVersion", API_VERSION);
    canonical.put("kind", "Workflow");
    ObjectNode cmd = canonical.putObject("metadata");
    cmd.put("name", name);
    cmd.put("version", version);
    region.ifPresent(r -> cmd.put("region", r));
    if (!labels.isEmpty()) {
      ObjectNode l = cmd.putObject("labels");
      labels.forEach(l::put);
    }
    cmd.put("risk", risk.name().toLowerCase(Locale.ROOT));
    resourceClass.ifPresent(r -> cmd.put("resourceClass", r));
    ObjectNode cspec = canonical.putObject("spec");
    cspec.set("inputs", inputs);
    cspec.set("tasks", spec.path("tasks").isArray() ? spec.get("tasks") : cspec.arrayNode());
    JsonNode schedules = spec.path("schedules");
    if (!schedules.isMissingNode() && !schedules.isNull()) {
      schedules(schedules, join(specPath, "schedules"), c);
      cspec.set("schedules", schedules);
    }
    return new Manifest(
        name, version, region, labels, risk, resourceClass, inputs, tasks, canonical);
  }

  /**
   * The form of {@code spec.schedules}: a list of objects with a unique {@code id} and a {@code
   * cron} text. Their meaning (the expression, the time zone, the minimum interval) is checked when
   * the version is published, where the server's settings are known (docs/schedules.md).
   */
  private static void schedules(JsonNode arr, String path, Check c) {
    if (!arr.isArray()) {
      c.add(path, "schedules must be a list");
      return;
    }
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < arr.size(); i++) {
      String at = path + "[" + i + "]";
      JsonNode s = arr.get(i);
      if (!s.isObject()) {
        c.add(at, "a schedule must be an object with id and cron");
        continue;
      }
      c.unknownFields(s, at, SCHEDULE);
      if (!s.path("id").isTextual()) {
        c.add(join(at, "id"), "id is required");
      } else if (!ids.add(s.get("id").asText())) {
        c.add(join(at, "id"), "duplicate schedule id " + s.get("id").asText());
      }
      if (!s.path("cron").isTextual()) {
        c.add(join(at, "cron"), "cron is required");
      }
    }
  }

  private List<TaskSpec> tasks(JsonNode arr, String path, Check c, Set<String> inputNames) {
    if (!arr.isArray() || arr.isEmpty()) {
      c.add(path, "tasks must be a non-empty list");
      return List.of();
    }
    if (arr.size() > maxTasks) {
      throw new ManifestException(
          EngineErrors.MANIFEST_TOO_MANY_TASKS,
          List.of(
              new ManifestProblem(
                  path,
                  "a workflow may have at most "
                      + maxTasks
                      + " tasks (this one has "
                      + arr.size()
                      + ")",
                  c.positionOf(path))));
    }
    List<TaskSpec> out = new ArrayList<>();
    Map<String, String> idPaths = new HashMap<>();
    for (int i = 0; i < arr.size(); i++) {
      JsonNode t = arr.get(i);
      String tp = path + "[" + i + "]";
      if (!t.isObject()) {
        c.add(tp, "a task must be an object with id and uses");
        continue;
      }
      c.unknownFields(t, tp, TASK);
      String id = c.text(t, "id", tp + ".id", true).orElse("");
      if (!id.isEmpty()) {
        if (!TASK_ID.matcher(id).matches()) {
          c.add(tp + ".id", "task id '" + id + "' must be letters, digits, '_' or '-'");
        }
        if (idPaths.putIfAbsent(id, tp) != null) {
          c.add(tp + ".id", "duplicate task id '" + id + "' (first at " + idPaths.get(id) + ")");
        }
      }
      String uses = c.text(t, "uses", tp + ".uses", true).orElse("");
      JsonNode with = t.path("with");
      if (with.isMissingNode() || with.isNull()) {
        with = JsonNodeFactory.instance.objectNode();
      } else if (!with.isObject()) {
        c.add(tp + ".with", "with must be an object");
        with = JsonNodeFactory.instance.objectNode();
      }
      if (!uses.isEmpty()) {
        Optional<String> unavailable = catalog.unavailable(uses);
        if (unavailable.isPresent()) {
          c.unavailable = true;
          c.add(
              tp + ".uses",
              "task type '" + uses + "' is unavailable on this server: " + unavailable.get());
        } else if (!catalog.knows(uses)) {
          c.add(
              tp + ".uses",
              "unknown task type '" + uses + "'; known: " + String.join(", ", catalog.types()));
        } else {
          for (TaskCatalog.Problem p : catalog.check(uses, with)) {
            c.add(p.key().isEmpty() ? tp + ".with" : tp + ".with." + p.key(), p.message());
          }
        }
      }
      List<String> needs = ids(t, "needs", tp, c);
      List<String> onFailure = ids(t, "onFailure", tp, c);
      Optional<String> cond = Optional.empty();
      JsonNode iff = t.path("if");
      if (iff.isBoolean()) {
        cond = Optional.of(iff.asText());
      } else if (iff.isTextual()) {
        cond = Optional.of(iff.textValue());
      } else if (!iff.isMissingNode()) {
        c.add(tp + ".if", "if must be an expression");
      }
      RetryPolicy retry = retry(t.path("retry"), tp + ".retry", c);
      Optional<Duration> timeout = Optional.empty();
      if (t.has("timeout")) {
        timeout = c.duration(t.get("timeout"), tp + ".timeout");
      }
      Map<String, String> outputs = new LinkedHashMap<>();
      JsonNode o = t.path("outputs");
      if (o.isObject()) {
        o.properties()
            .iterator()
            .forEachRemaining(
                e -> {
                  if (e.getValue().isTextual()) {
                    outputs.put(e.getKey(), e.getValue().textValue());
                  } else {
                    c.add(tp + ".outputs." + e.getKey(), "an output is an expression string");
                  }
                });
      } else if (!o.isMissingNode()) {
        c.add(tp + ".outputs", "outputs must map names to expressions");
      }
      out.add(new TaskSpec(id, uses, with, needs, cond, retry, timeout, outputs, onFailure));
    }
    Map<String, Integer> index = new HashMap<>();
    for (int i = 0; i < out.size(); i++) {
      index.putIfAbsent(out.get(i).id(), i);
    }
    checkGraph(out, index, path, c);
    Compensations.check(out, index, path, c::add);
    for (int i = 0; i < out.size(); i++) {
      TaskSpec t = out.get(i);
      checkExpressions(
          t,
          path + "[" + i + "]",
          c,
          new Scope(index::containsKey, ref -> isUpstream(t, ref, out, index), inputNames));
    }
    return out;
  }

  /** A task's {@code field} that names tasks: one task id or a list of them. */
  private static List<String> ids(JsonNode t, String field, String tp, Check c) {
    List<String> ids = new ArrayList<>();
    JsonNode n = t.path(field);
    if (n.isTextual()) {
      ids.add(n.textValue());
    } else if (n.isArray()) {
      for (int j = 0; j < n.size(); j++) {
        if (n.get(j).isTextual()) {
          ids.add(n.get(j).textValue());
        } else {
          c.add(tp + "." + field + "[" + j + "]", field + " lists task ids");
        }
      }
    } else if (!n.isMissingNode()) {
      c.add(tp + "." + field, field + " must be a task id or a list of task ids");
    }
    return ids;
  }

  private RetryPolicy retry(JsonNode r, String path, Check c) {
    if (r.isMissingNode() || r.isNull()) {
      return RetryPolicy.NONE;
    }
    if (!r.isObject()) {
      c.add(path, "retry must be an object with max, backoff and on");
      return RetryPolicy.NONE;
    }
    c.unknownFields(r, path, RETRY);
    int max = 0;
    if (r.has("max")) {
      if (r.get("max").canConvertToInt() && r.get("max").isIntegralNumber()) {
        max = r.get("max").intValue();
        if (max < 0 || max > 100) {
          c.add(path + ".max", "max must be between 0 and 100");
          max = 0;
        }
      } else {
        c.add(path + ".max", "max must be an integer");
      }
    }
    Duration backoff =
        r.has("backoff")
            ? c.duration(r.get("backoff"), path + ".backoff").orElse(Duration.ofSeconds(1))
            : Duration.ofSeconds(1);
    Set<ErrorKind> on = EnumSet.of(ErrorKind.PLATFORM, ErrorKind.TIMEOUT);
    JsonNode onNode = r.path("on");
    if (!onNode.isMissingNode()) {
      on = EnumSet.noneOf(ErrorKind.class);
      List<JsonNode> items = new ArrayList<>();
      if (onNode.isArray()) {
        onNode.forEach(items::add);
      } else {
        items.add(onNode);
      }
      for (int i = 0; i < items.size(); i++) {
        try {
          on.add(ErrorKind.ofWord(items.get(i).asText()));
        } catch (IllegalArgumentException e) {
          c.add(path + ".on", "retry.on takes error, platform and timeout");
        }
      }
    }
    return new RetryPolicy(max, backoff, on);
  }

  /**
   * Unknown and self needs, then cycles. Iterative depth-first search, so a long chain cannot
   * overflow the stack; linear in tasks plus needs. Each cycle is reported once, at the task that
   * closes it.
   */
  private static void checkGraph(
      List<TaskSpec> tasks, Map<String, Integer> index, String path, Check c) {
    for (int i = 0; i < tasks.size(); i++) {
      TaskSpec t = tasks.get(i);
      for (int j = 0; j < t.needs().size(); j++) {
        String need = t.needs().get(j);
        String np = path + "[" + i + "].needs[" + j + "]";
        if (need.equals(t.id())) {
          c.add(np, "task '" + t.id() + "' needs itself");
        } else if (!index.containsKey(need)) {
          c.add(np, "needs unknown task '" + need + "'");
        }
      }
    }
    Map<String, Integer> state = new HashMap<>(); // 1 = on the stack, 2 = done
    Set<String> reported = new HashSet<>();
    for (TaskSpec root : tasks) {
      if (state.containsKey(root.id())) {
        continue;
      }
      // The path from the root, and for each task on it the next of its needs to visit.
      List<String> stack = new ArrayList<>();
      List<Integer> next = new ArrayList<>();
      Map<String, Integer> depth = new HashMap<>();
      stack.add(root.id());
      next.add(0);
      depth.put(root.id(), 0);
      state.put(root.id(), 1);
      while (!stack.isEmpty()) {
        int top = stack.size() - 1;
        String id = stack.get(top);
        List<String> needs = tasks.get(index.get(id)).needs();
        int k = next.get(top);
        if (k == needs.size()) {
          state.put(id, 2);
          depth.remove(id);
          stack.removeLast();
          next.removeLast();
          continue;
        }
        next.set(top, k + 1);
        String need = needs.get(k);
        if (!index.containsKey(need) || need.equals(id)) {
          continue;
        }
        Integer s = state.get(need);
        if (s == null) {
          state.put(need, 1);
          depth.put(need, stack.size());
          stack.add(need);
          next.add(0);
        } else if (s == 1) {
          List<String> cycle = new ArrayList<>(stack.subList(depth.get(need), stack.size()));
          if (reported.add(String.join(">", new LinkedHashSet<>(cycle)))) {
            cycle.add(need);
            c.add(
                path + "[" + index.get(need) + "].needs",
                "cycle in needs: " + String.join(" -> ", cycle));
          }
        }
      }
    }
  }

  /**
   * Whether {@code ref} is upstream of {@code task} (among its needs, transitively). The direct
   * needs answer most references at once; otherwise a search that stops when it finds {@code ref}.
   */
  private static boolean isUpstream(
      TaskSpec task, String ref, List<TaskSpec> tasks, Map<String, Integer> index) {
    if (task.needs().contains(ref)) {
      return true;
    }
    Set<String> seen = new HashSet<>();
    List<String> todo = new ArrayList<>(task.needs());
    while (!todo.isEmpty()) {
      String n = todo.removeLast();
      if (n.equals(ref)) {
        return true;
      }
      Integer i = index.get(n);
      if (seen.add(n) && i != null) {
        todo.addAll(tasks.get(i).needs());
      }
    }
    return false;
  }

  /**
   * What an expression of one task may refer to: which task ids exist, which of them are upstream
   * of the task, and the declared inputs.
   */
  private record Scope(Predicate<String> exists, Predicate<String> upstream, Set<String> inputs) {}

  private void checkExpressions(TaskSpec t, String tp, Check c, Scope scope) {
    t.condition()
        .ifPresent(cond -> checkOne(Expressions.conditionSource(cond), tp + ".if", c, scope));
    walk(t.with(), tp + ".with", c, scope);
    t.outputs()
        .forEach(
            (k, v) -> {
              String p = tp + ".outputs." + k;
              if (Template.hasExpressions(v)) {
                walkText(v, p, c, scope);
              } else {
                checkOne(v, p, c, scope);
              }
            });
  }

  private void walk(JsonNode n, String path, Check c, Scope scope) {
    if (n.isTextual()) {
      walkText(n.textValue(), path, c, scope);
    } else if (n.isObject()) {
      Iterator<Map.Entry<String, JsonNode>> it = n.properties().iterator();
      while (it.hasNext()) {
        var e = it.next();
        walk(e.getValue(), path + "." + e.getKey(), c, scope);
      }
    } else if (n.isArray()) {
      for (int i = 0; i < n.size(); i++) {
        walk(n.get(i), path + "[" + i + "]", c, scope);
      }
    }
  }

  private void walkText(String text, String path, Check c, Scope scope) {
    if (!Template.hasExpressions(text)) {
      return;
    }
    try {
      for (String e : Template.parse(text).expressions()) {
        checkOne(e, path, c, scope);
      }
    } catch (ExpressionException e) {
      c.add(path, e.detail());
    }
  }

  private void checkOne(String source, String path, Check c, Scope scope) {
    try {
      expressions.check(source);
    } catch (ExpressionException e) {
      c.add(path, e.detail());
      return;
    }
    for (String ref : Expressions.taskReferences(source)) {
      if (!scope.exists().test(ref)) {
        c.add(path, "expression refers to unknown task '" + ref + "'");
      } else if (!scope.upstream().test(ref)) {
        c.add(
            path,
            "expression refers to task '" + ref + "', which is not upstream: add it to needs");
      }
    }
    for (String ref : Expressions.inputReferences(source)) {
      if (!scope.inputs().contains(ref)) {
        c.add(path, "expression refers to undeclared input '" + ref + "'");
      }
    }
  }

  private static String join(String base, String key) {
    return base.isEmpty() ? key : base + "." + key;
  }

  /** Collects problems, attaching source positions (the nearest known ancestor's, if needed). */
  private static final class Check {
    final SourceTree tree;
    final List<ManifestProblem> problems = new ArrayList<>();

    /** A task uses a type this server knows but cannot run: the failure says so by its code. */
    boolean unavailable;

    Check(SourceTree tree) {
      this.tree = tree;
    }

    void add(String path, String message) {
      problems.add(new ManifestProblem(path, message, positionOf(path)));
    }

    Optional<SourcePosition> positionOf(String path) {
      String p = path;
      while (true) {
        Optional<SourcePosition> pos = tree.position(p);
        if (pos.isPresent() || p.isEmpty()) {
          return pos;
        }
        int cut = Math.max(p.lastIndexOf('.'), p.lastIndexOf('['));
        p = cut < 0 ? "" : p.substring(0, cut);
      }
    }

    ManifestException failure() {
      return new ManifestException(
          unavailable ? EngineErrors.TASK_TYPE_UNAVAILABLE : EngineErrors.MANIFEST_INVALID,
          problems);
    }

    void unknownFields(JsonNode obj, String path, Set<String> allowed) {
      obj.fieldNames()
          .forEachRemaining(
              f -> {
                if (!allowed.contains(f)) {
                  add(join(path, f), "unknown field '" + f + "'");
                }
              });
    }

    Optional<String> text(JsonNode obj, String field, String path, boolean required) {
      JsonNode v = obj.path(field);
      if (v.isMissingNode() || v.isNull()) {
        if (required) {
          add(path, field + " is required");
        }
        return Optional.empty();
      }
      if (!v.isTextual()) {
        add(path, field + " must be a string");
        return Optional.empty();
      }
      return Optional.of(v.textValue());
    }

    /** A string or number written as text (YAML reads {@code version: 1} as a number). */
    Optional<String> scalar(JsonNode obj, String field, String path, boolean required) {
      JsonNode v = obj.path(field);
      if (v.isNumber()) {
        return Optional.of(v.asText());
      }
      return text(obj, field, path, required);
    }

    Optional<Duration> duration(JsonNode v, String path) {
      if (!v.isTextual()) {
        add(path, "a duration is a string such as 30s, 5m or PT1H");
        return Optional.empty();
      }
      try {
        return Optional.of(Durations.parse(v.textValue()));
      } catch (IllegalArgumentException e) {
        add(path, e.getMessage());
        return Optional.empty();
      }
    }
  }
}
