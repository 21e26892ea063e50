package io.maestro.cli.policy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.maestro.cli.UserError;
import io.maestro.core.json.Json;
import io.maestro.policy.tools.PolicySources;
import io.maestro.rego.EvalOptions;
import io.maestro.rego.PreparedPolicy;
import io.maestro.rego.Rego;
import io.maestro.rego.ResultSet;
import io.maestro.rego.ast.Location;
import io.maestro.rego.eval.Tracer;
import io.maestro.rego.value.Value;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code maestro policy eval}: evaluates a query like {@code opa eval}. */
@Command(
    name = "eval",
    mixinStandardHelpOptions = true,
    footerHeading = "%nExamples:%n",
    footer = {"  maestro policy eval -d policies -i input.json data.maestro.authz.decision"},
    description = {
      "Evaluate a Rego query against policies and data, e.g.",
      "  maestro policy eval -d policies -i input.json data.maestro.authz.decision",
      "Prints OPA's JSON result ({\"result\": [...]}; {} when undefined), or with --format pretty"
          + " just the value."
    })
public final class PolicyEvalCommand implements Callable<Integer> {
  private static final ObjectMapper JSON = Json.MAPPER;
  private static final Pattern REF =
      Pattern.compile("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*|\\[\"[^\"]*\"\\])*");

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = {"-d", "--data"},
      paramLabel = "PATH",
      description = "Policy or data file or directory (repeatable).")
  List<Path> data = new ArrayList<>();

  @Option(
      names = {"-i", "--input"},
      paramLabel = "FILE",
      description = "Input document (JSON or YAML).")
  Path input;

  @Option(
      names = "--explain",
      paramLabel = "MODE",
      description = "notes, fails or full: print an explanation of the evaluation.")
  String explain;

  @Option(
      names = {"-f", "--format"},
      paramLabel = "FORMAT",
      description = "json (default) or pretty.")
  String format = "json";

  @Option(names = "--strict-builtin-errors", description = "Make builtin errors fail the query.")
  boolean strict;

  @Parameters(paramLabel = "QUERY", description = "The query, e.g. data.maestro.authz.decision.")
  String query;

  @Override
  public Integer call() {
    return PolicyErrorsOut.guard(this::evaluate);
  }

  private int evaluate() throws IOException {
    if (explain != null && !List.of("notes", "fails", "full").contains(explain)) {
      throw new UserError("--explain must be notes, fails or full", 2);
    }
    PolicySources sources = PolicySources.load(data);
    PreparedPolicy policy = Rego.compile(sources.modules(), sources.data());
    Value in = input == null ? null : Value.fromJson(readInput(input));
    List<String> trace = new ArrayList<>();
    EvalOptions options = EvalOptions.defaults().withStrict(strict);
    if (explain != null) {
      options = options.withTracer(tracer(trace));
    }
    PrintWriter out = spec.commandLine().getOut();
    JsonNode result;
    Value single = null;
    boolean isRef = REF.matcher(query.strip()).matches();
    if (isRef) {
      single = policy.evalRef(query.strip(), in, options);
      result = refResult(single);
    } else {
      result = rowsResult(policy.eval(query, in, options));
    }
    trace.forEach(out::println);
    if ("pretty".equals(format)) {
      if (isRef) {
        out.println(single == null ? "undefined" : single.toJson().toPrettyString());
      } else {
        out.println(
            result.path("result").isMissingNode()
                ? "undefined"
                : result.get("result").toPrettyString());
      }
    } else {
      out.println(result.toPrettyString());
    }
    out.flush();
    return 0;
  }

  private JsonNode refResult(Value v) {
    ObjectNode root = JSON.createObjectNode();
    if (v == null) {
      return root;
    }
    ObjectNode expr = root.putArray("result").addObject().putArray("expressions").addObject();
    expr.set("value", v.toJson());
    expr.put("text", query.strip());
    expr.putObject("location").put("row", 1).put("col", 1);
    return root;
  }

  private static JsonNode rowsResult(ResultSet rs) {
    ObjectNode root = JSON.createObjectNode();
    if (rs.isEmpty()) {
      return root;
    }
    ArrayNode results = root.putArray("result");
    for (var row : rs.rows()) {
      ObjectNode r = results.addObject();
      ObjectNode b = r.putObject("bindings");
      row.forEach((k, v) -> b.set(k, v.toJson()));
    }
    return root;
  }

  private Tracer tracer(List<String> lines) {
    return new Tracer() {
      @Override
      public void enter(Location loc, String what) {
        if ("full".equals(explain)) {
          lines.add("Enter " + where(loc) + " " + what);
        }
      }

      @Override
      public void fail(Location loc, String what) {
        if (!"notes".equals(explain)) {
          lines.add("Fail  " + where(loc) + " " + what);
        }
      }

      @Override
      public void note(Location loc, String message) {
        lines.add("Note  " + where(loc) + " " + message);
      }
    };
  }

  private static String where(Location l) {
    return l == null ? "?" : l.file() + ":" + l.line() + ":" + l.col();
  }

  private static JsonNode readInput(Path p) throws IOException {
    if (!Files.isRegularFile(p)) {
      throw new UserError(p + ": no such file", 1);
    }
    String text = Files.readString(p);
    try {
      return p.toString().endsWith(".yaml") || p.toString().endsWith(".yml")
          ? new com.fasterxml.jackson.dataformat.yaml.YAMLMapper().readTree(text)
          : JSON.readTree(text);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      var loc = e.getLocation();
      throw new UserError(
          p
              + (loc == null ? "" : ":" + loc.getLineNr() + ":" + loc.getColumnNr())
              + ": not valid input: "
              + e.getOriginalMessage(),
          1);
    }
  }
}
