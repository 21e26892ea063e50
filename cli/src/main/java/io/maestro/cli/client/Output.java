package io.maestro.cli.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;
import picocli.CommandLine.Option;

/**
 * {@code --output table|json|yaml} for commands that print data: a table (or a command's own
 * readable form) for people, the server's JSON or YAML for scripts. Add it with {@code @Mixin
 * Output output;}.
 */
public final class Output {
  /** The formats {@code --output} accepts. */
  public enum Format {
    table,
    json,
    yaml
  }

  /** A table column: its header and how to read its cell from one item. */
  public record Column(String header, Function<JsonNode, String> value) {
    /** A column showing the item's text field {@code field} ("-" when missing). */
    public static Column of(String header, String field) {
      return new Column(header, n -> n.path(field).isMissingNode() ? "-" : text(n.path(field)));
    }
  }

  @Option(
      names = "--output",
      paramLabel = "FORMAT",
      defaultValue = "table",
      description = "table, json or yaml (default: ${DEFAULT-VALUE}).")
  Format format = Format.table;

  public Format format() {
    return format;
  }

  /** Prints {@code items} as a table with {@code columns}, or as JSON/YAML. */
  public void list(PrintWriter out, JsonNode items, List<Column> columns) {
    if (format != Format.table) {
      data(out, items);
      return;
    }
    List<String[]> rows = new ArrayList<>();
    rows.add(
        columns.stream()
            .map(c -> c.header().toUpperCase(java.util.Locale.ROOT))
            .toArray(String[]::new));
    for (JsonNode item : items) {
      rows.add(columns.stream().map(c -> c.value().apply(item)).toArray(String[]::new));
    }
    int[] width = new int[columns.size()];
    for (String[] row : rows) {
      for (int i = 0; i < row.length; i++) {
        width[i] = Math.max(width[i], row[i].length());
      }
    }
    for (String[] row : rows) {
      StringBuilder sb = new StringBuilder();
      for (int i = 0; i < row.length; i++) {
        sb.append(row[i]);
        if (i < row.length - 1) {
          sb.append(" ".repeat(width[i] - row[i].length() + 2));
        }
      }
      out.println(sb.toString().stripTrailing());
    }
    if (items.isEmpty()) {
      out.println("(none)");
    }
  }

  /** Prints one object: in table format with {@code readable}, else as JSON/YAML. */
  public void one(PrintWriter out, JsonNode value, Consumer<PrintWriter> readable) {
    if (format == Format.table) {
      readable.accept(out);
    } else {
      data(out, value);
    }
  }

  /** Prints {@code value} as JSON or YAML (JSON when the format is table). */
  public void data(PrintWriter out, JsonNode value) {
    try {
      if (format == Format.yaml) {
        out.print(
            YAMLMapper.builder()
                .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                .build()
                .writeValueAsString(value));
      } else {
        out.println(ApiClient.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(value));
      }
      out.flush();
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * A JSON value as one cell of text: strings as they are, numbers in plain notation (an amount of
   * {@code 8E-7} USD prints as {@code 0.0000008}), anything else as compact JSON.
   */
  public static String text(JsonNode n) {
    if (n == null || n.isMissingNode() || n.isNull()) {
      return "-";
    }
    if (n.isNumber()) {
      String s = n.asText();
      return s.contains("E") ? n.decimalValue().stripTrailingZeros().toPlainString() : s;
    }
    return n.isValueNode() ? n.asText() : n.toString();
  }
}
