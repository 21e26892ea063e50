package io.maestro.cli.usage;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** Renders a usage report (the JSON of the usage API) as a text table or CSV. */
final class UsageTables {
  private UsageTables() {}

  static final List<String> COLUMNS =
      List.of("day", "workflow", "env", "type", "unit", "events", "quantity", "costUsd");

  /** The totals, then the breakdown if there is one, then the total cost. */
  static String table(JsonNode usage) {
    StringBuilder sb = new StringBuilder();
    sb.append("Usage of ")
        .append(usage.path("tenant").asText())
        .append(" from ")
        .append(usage.path("from").asText())
        .append(" to ")
        .append(usage.path("to").asText())
        .append(" (price book ")
        .append(usage.path("priceBook").asText())
        .append(")\n\n");
    render(sb, usage.path("totals"));
    if (!usage.path("breakdown").isEmpty()) {
      sb.append('\n');
      render(sb, usage.path("breakdown"));
    }
    sb.append("\nTotal cost: USD ").append(usage.path("costUsdRounded").asText()).append('\n');
    return sb.toString();
  }

  /** The breakdown if the query asked for one, else the totals; one header line. */
  static String csv(JsonNode usage) {
    JsonNode lines =
        usage.path("breakdown").isEmpty() ? usage.path("totals") : usage.path("breakdown");
    List<String> cols = columns(lines);
    StringBuilder sb = new StringBuilder(String.join(",", cols)).append('\n');
    for (JsonNode l : lines) {
      List<String> cells = new ArrayList<>();
      for (String c : cols) {
        cells.add(csvCell(l.path(c).asText("")));
      }
      sb.append(String.join(",", cells)).append('\n');
    }
    return sb.toString();
  }

  private static void render(StringBuilder sb, JsonNode lines) {
    List<String> cols = columns(lines);
    List<List<String>> rows = new ArrayList<>();
    rows.add(cols.stream().map(c -> c.equals("costUsd") ? "COST_USD" : c.toUpperCase()).toList());
    for (JsonNode l : lines) {
      rows.add(cols.stream().map(c -> display(l, c)).toList());
    }
    int[] widths = new int[cols.size()];
    for (List<String> r : rows) {
      for (int i = 0; i < r.size(); i++) {
        widths[i] = Math.max(widths[i], r.get(i).length());
      }
    }
    for (List<String> r : rows) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < r.size(); i++) {
        boolean numeric = i >= cols.indexOf("events");
        String cell = r.get(i);
        String pad = " ".repeat(widths[i] - cell.length());
        line.append(numeric ? pad + cell : cell + pad).append("  ");
      }
      sb.append(line.toString().stripTrailing()).append('\n');
    }
  }

  private static String display(JsonNode l, String column) {
    String v = l.path(column).asText("");
    if (column.equals("workflow") && v.isEmpty()) {
      return "-";
    }
    return v;
  }

  /** The columns present in the lines, in the fixed order. */
  private static List<String> columns(JsonNode lines) {
    List<String> cols = new ArrayList<>();
    for (String c : COLUMNS) {
      boolean always = List.of("type", "unit", "events", "quantity", "costUsd").contains(c);
      boolean present = false;
      for (JsonNode l : lines) {
        present |= l.has(c);
      }
      if (always || present) {
        cols.add(c);
      }
    }
    return cols;
  }

  private static String csvCell(String v) {
    return v.contains(",") || v.contains("\"") || v.contains("\n")
        ? "\"" + v.replace("\"", "\"\"") + "\""
        : v;
  }
}
