package io.maestro.evidence.withhold;

import com.fasterxml.jackson.databind.JsonNode;
import io.maestro.core.problem.MaestroException;
import io.maestro.evidence.EvidenceErrors;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The JSONPath subset a withhold list is written in: {@code $} followed by member names ({@code
 * .outputs}, {@code ['odd name']}), wildcards ({@code .*}, {@code [*]}) and array indices ({@code
 * [0]}). Enough to name fields of a run and its steps; filters and recursive descent are refused
 * rather than guessed at.
 */
public final class JsonPath {
  private static final Pattern SEGMENT =
      Pattern.compile("\\.([A-Za-z_][A-Za-z0-9_-]*)|\\.\\*|\\[\\*]|\\[(\\d+)]|\\['([^']+)']");

  private final String text;
  private final List<String> segments;

  private JsonPath(String text, List<String> segments) {
    this.text = text;
    this.segments = List.copyOf(segments);
  }

  /** Parses a path; a {@code evidence_withhold_invalid} problem when it is not in the subset. */
  public static JsonPath parse(String text) {
    if (text == null || !text.startsWith("$") || text.length() < 2) {
      throw invalid(text, "a withhold path starts with $ and names at least one member");
    }
    List<String> segments = new ArrayList<>();
    Matcher m = SEGMENT.matcher(text);
    int at = 1;
    while (at < text.length()) {
      if (!m.find(at) || m.start() != at) {
        throw invalid(text, "unsupported syntax at offset " + at);
      }
      if (m.group(1) != null) {
        segments.add("." + m.group(1));
      } else if (m.group(2) != null) {
        segments.add("#" + m.group(2));
      } else if (m.group(3) != null) {
        segments.add("." + m.group(3));
      } else {
        segments.add("*");
      }
      at = m.end();
    }
    return new JsonPath(text, segments);
  }

  private static MaestroException invalid(String text, String why) {
    return MaestroException.of(EvidenceErrors.WITHHOLD_INVALID, "withhold '" + text + "': " + why);
  }

  /** A matched node: its parent container, its member name or index, and its JSON pointer. */
  public record Match(JsonNode parent, String member, int index, String pointer) {
    public boolean isMember() {
      return member != null;
    }
  }

  /** Every node the path selects in {@code root}, in document order. */
  public List<Match> select(JsonNode root) {
    List<Match> current = List.of(new Match(null, null, -1, ""));
    List<JsonNode> nodes = List.of(root);
    for (String seg : segments) {
      List<Match> nextMatches = new ArrayList<>();
      List<JsonNode> nextNodes = new ArrayList<>();
      for (int i = 0; i < nodes.size(); i++) {
        JsonNode node = nodes.get(i);
        String ptr = current.get(i).pointer();
        if (seg.equals("*")) {
          if (node.isObject()) {
            node.fieldNames()
                .forEachRemaining(
                    f -> {
                      nextMatches.add(new Match(node, f, -1, ptr + "/" + escape(f)));
                      nextNodes.add(node.get(f));
                    });
          } else if (node.isArray()) {
            for (int k = 0; k < node.size(); k++) {
              nextMatches.add(new Match(node, null, k, ptr + "/" + k));
              nextNodes.add(node.get(k));
            }
          }
        } else if (seg.startsWith("#")) {
          int k = Integer.parseInt(seg.substring(1));
          if (node.isArray() && k < node.size()) {
            nextMatches.add(new Match(node, null, k, ptr + "/" + k));
            nextNodes.add(node.get(k));
          }
        } else {
          String name = seg.substring(1);
          if (node.isObject() && node.has(name)) {
            nextMatches.add(new Match(node, name, -1, ptr + "/" + escape(name)));
            nextNodes.add(node.get(name));
          }
        }
      }
      current = nextMatches;
      nodes = nextNodes;
    }
    return current;
  }

  private static String escape(String member) {
    return member.replace("~", "~0").replace("/", "~1");
  }

  @Override
  public String toString() {
    return text;
  }
}
