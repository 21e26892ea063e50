package io.maestro.rego.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import io.maestro.rego.EvalOptions;
import io.maestro.rego.PreparedPolicy;
import io.maestro.rego.Rego;
import io.maestro.rego.RegoException;
import io.maestro.rego.ResultSet;
import io.maestro.rego.builtins.Args;
import io.maestro.rego.builtins.Signature;
import io.maestro.rego.builtins.StandardLibrary;
import io.maestro.rego.value.ArrayValue;
import io.maestro.rego.value.NullValue;
import io.maestro.rego.value.ObjectValue;
import io.maestro.rego.value.Value;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Runs one conformance case and judges it the way OPA's runner does. */
final class CaseRunner {
  /**
   * The standard library plus the runner's test-only builtin {@code test.sleep(string)} -> null.
   */
  private static final Map<String, StandardLibrary.Entry> BUILTINS = builtins();

  private CaseRunner() {}

  private static Map<String, StandardLibrary.Entry> builtins() {
    Map<String, StandardLibrary.Entry> out = new HashMap<>(Rego.standardLibrary());
    out.put(
        "test.sleep",
        new StandardLibrary.Entry(
            "test.sleep",
            Signature.parse("(string) => null"),
            (ctx, a) -> {
              Args.string("test.sleep", a, 0);
              return NullValue.INSTANCE;
            }));
    return Map.copyOf(out);
  }

  /** Null when the case passes, else why it failed. */
  static String run(ConformanceCase c) {
    Map<String, String> modules = new LinkedHashMap<>();
    for (int i = 0; i < c.modules().size(); i++) {
      modules.put("test-" + i + ".rego", c.modules().get(i));
    }
    boolean wantsError = c.wantErrorCode() != null || c.wantError() != null;
    ResultSet rs;
    try {
      PreparedPolicy p =
          Rego.compile(
              modules,
              c.data() == null || c.data().isNull() ? null : Value.fromJson(c.data()),
              BUILTINS);
      Value input = null;
      if (c.inputTerm() != null) {
        input =
            Rego.compile(Map.of(), (Value) null).eval("__x = " + c.inputTerm(), null).first("__x");
      } else if (c.input() != null) {
        input = Value.fromJson(c.input());
      }
      EvalOptions opts =
          EvalOptions.defaults()
              .withStrict(c.strictError())
              .withClock(Clock.fixed(Instant.parse("2026-03-19T12:00:00Z"), ZoneOffset.UTC))
              .withTimeout(Duration.ofSeconds(20))
              .withPrint(line -> {});
      rs = p.eval(c.query(), input, opts);
    } catch (RegoException e) {
      if (!wantsError) {
        return "unexpected error: " + e.getMessage();
      }
      if (c.wantErrorCode() != null && !c.wantErrorCode().equals(e.code())) {
        return "want error code " + c.wantErrorCode() + " but got " + e.getMessage();
      }
      if (c.wantError() != null && !e.getMessage().contains(c.wantError())) {
        return "want error containing '" + c.wantError() + "' but got " + e.getMessage();
      }
      return null;
    } catch (RuntimeException | StackOverflowError e) {
      return "crash: " + e;
    }
    if (wantsError) {
      return "want error " + c.wantErrorCode() + " " + c.wantError() + " but got " + rs.toJson();
    }
    Set<Value> got = new HashSet<>();
    for (Map<String, Value> row : rs.rows()) {
      HashMap<Value, Value> m = new HashMap<>();
      row.forEach(
          (k, v) ->
              m.put(Value.fromJava(k), normalize(Value.fromJson(v.toJson()), c.sortBindings())));
      got.add(ObjectValue.wrap(m));
    }
    Set<Value> want = new HashSet<>();
    if (c.wantResult() != null) {
      for (JsonNode row : c.wantResult()) {
        Value v = Value.fromJson(row);
        HashMap<Value, Value> m = new HashMap<>();
        ((ObjectValue) v).unordered().forEach((k, x) -> m.put(k, normalize(x, c.sortBindings())));
        want.add(ObjectValue.wrap(m));
      }
    }
    if (!got.equals(want)) {
      return "want " + want + " but got " + got;
    }
    return null;
  }

  private static Value normalize(Value v, boolean sort) {
    if (sort && v instanceof ArrayValue a) {
      List<Value> items = new ArrayList<>(a.elements());
      items.sort(null);
      return ArrayValue.of(items);
    }
    return v;
  }
}
