package io.maestro.governance.slo;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.maestro.core.json.Json;
import io.maestro.core.problem.ErrorCode;
import io.maestro.core.problem.MaestroException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A versioned file of SLOs ({@code kind: SLOSet}), in the spirit of OpenSLO and Sloth: each SLO
 * names its SLI, objective, window and, for latency, its threshold. The server ships one per
 * edition; an operator may replace it.
 */
public record SloSet(String edition, List<Slo> slos) {
  public static final ErrorCode SLO_INVALID =
      new ErrorCode("slo_invalid", 422, "The SLO file is malformed");

  private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
  private static final Pattern WINDOW = Pattern.compile("([1-9][0-9]{0,3})([mhd])");

  public SloSet {
    slos = List.copyOf(slos);
  }

  /** The SLOs shipped for {@code edition} ({@code internal}, {@code white-label}, {@code saas}). */
  public static SloSet forEdition(String edition) {
    String resource = edition + ".yaml";
    try (InputStream in = SloSet.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalArgumentException("no SLOs are shipped for edition " + edition);
      }
      return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), resource);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Parses and checks an SLO file; a problem names the file and the SLO. */
  public static SloSet parse(String yaml, String source) {
    JsonNode root;
    try {
      root = Json.YAML.readTree(yaml);
    } catch (JsonProcessingException e) {
      throw invalid(source, "not YAML: " + e.getOriginalMessage());
    }
    if (root == null || !"SLOSet".equals(root.path("kind").asText())) {
      throw invalid(source, "kind must be SLOSet");
    }
    if (!"maestro/v1".equals(root.path("apiVersion").asText())) {
      throw invalid(source, "apiVersion must be maestro/v1");
    }
    List<Slo> slos = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (JsonNode s : root.path("slos")) {
      String name = s.path("name").asText("");
      String at = source + ": slo " + (name.isEmpty() ? "#" + (slos.size() + 1) : name);
      if (!NAME.matcher(name).matches()) {
        throw invalid(at, "name must be lowercase letters, digits and dashes");
      }
      if (!names.add(name)) {
        throw invalid(at, "name is used twice");
      }
      Slo.Sli sli = sli(at, s.path("sli").asText(""));
      BigDecimal objective = objective(at, s.path("objectivePercent"));
      Duration window = window(at, s.path("window").asText("30d"));
      Optional<Duration> threshold = threshold(at, sli, s.path("thresholdSeconds"));
      slos.add(new Slo(name, s.path("description").asText(""), sli, objective, window, threshold));
    }
    if (slos.isEmpty()) {
      throw invalid(source, "slos must list at least one SLO");
    }
    return new SloSet(root.path("edition").asText(""), slos);
  }

  private static Slo.Sli sli(String at, String wire) {
    for (Slo.Sli s : Slo.Sli.values()) {
      if (s.wire().equals(wire)) {
        return s;
      }
    }
    throw invalid(
        at,
        "sli must be workflow_success_rate, start_to_complete_latency or policy_decision_latency,"
            + " not '"
            + wire
            + "'");
  }

  private static BigDecimal objective(String at, JsonNode n) {
    if (!n.isNumber()
        || n.decimalValue().compareTo(BigDecimal.valueOf(50)) < 0
        || n.decimalValue().compareTo(BigDecimal.valueOf(100)) >= 0) {
      throw invalid(at, "objectivePercent must be a number from 50 to below 100");
    }
    return n.decimalValue();
  }

  private static Duration window(String at, String text) {
    Matcher m = WINDOW.matcher(text);
    if (!m.matches()) {
      throw invalid(at, "window must look like 30d, 12h or 90m, not '" + text + "'");
    }
    long n = Long.parseLong(m.group(1));
    Duration d =
        switch (m.group(2)) {
          case "m" -> Duration.ofMinutes(n);
          case "h" -> Duration.ofHours(n);
          default -> Duration.ofDays(n);
        };
    if (d.compareTo(Duration.ofHours(6)) < 0 || d.compareTo(Duration.ofDays(90)) > 0) {
      throw invalid(at, "window must be from 6h to 90d (its burn-rate windows need 6 h)");
    }
    return d;
  }

  private static Optional<Duration> threshold(String at, Slo.Sli sli, JsonNode n) {
    boolean latency = sli != Slo.Sli.WORKFLOW_SUCCESS_RATE;
    if (!latency) {
      if (!n.isMissingNode()) {
        throw invalid(at, "thresholdSeconds applies to latency SLIs only");
      }
      return Optional.empty();
    }
    if (!n.isNumber() || n.doubleValue() <= 0 || n.doubleValue() > 86_400) {
      throw invalid(at, "thresholdSeconds must be a number above 0 and at most 86400");
    }
    return Optional.of(Duration.ofNanos(Math.round(n.doubleValue() * 1e9)));
  }

  private static MaestroException invalid(String at, String message) {
    return MaestroException.of(SLO_INVALID, at + ": " + message);
  }
}
