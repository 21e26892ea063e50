package io.maestro.evidence.bundle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The bundle's {@code index.json}: every event of the window (a request's decision, a receipt) as
 * one entry saying who did what to which subject, whether and why it was allowed and what changed,
 * with the file that proves it; and the entries of each subject ({@code run:<id>}, {@code
 * tenant:<id>}, …) and each actor. {@code maestro compliance explain} answers from it alone.
 */
public final class BundleIndex {
  private final List<ObjectNode> entries = new ArrayList<>();

  /** Adds an entry; it is listed under each of {@code subjects} and under its {@code actor}. */
  public void add(ObjectNode entry, List<String> subjects) {
    ObjectNode e = entry.deepCopy();
    ArrayNode s = e.putArray("subjects");
    new TreeSet<>(subjects).forEach(s::add);
    entries.add(e);
  }

  public int size() {
    return entries.size();
  }

  /** The index document: entries in time order (ties by file), then the lookups. */
  public ObjectNode toJson() {
    List<ObjectNode> sorted = new ArrayList<>(entries);
    sorted.sort(
        Comparator.comparing((ObjectNode e) -> e.path("time").asText())
            .thenComparing(e -> e.path("file").asText())
            .thenComparing(e -> e.path("decision").asText()));
    Map<String, List<Integer>> bySubject = new TreeMap<>();
    Map<String, List<Integer>> byActor = new TreeMap<>();
    ObjectNode out = JsonNodeFactory.instance.objectNode();
    out.put("format", BundleFormat.FORMAT);
    ArrayNode list = out.putArray("entries");
    for (int i = 0; i < sorted.size(); i++) {
      ObjectNode e = sorted.get(i);
      list.add(e);
      for (JsonNode s : e.path("subjects")) {
        bySubject.computeIfAbsent(s.asText(), k -> new ArrayList<>()).add(i);
      }
      byActor.computeIfAbsent(e.path("actor").asText(), k -> new ArrayList<>()).add(i);
    }
    out.set("subjects", lookup(bySubject));
    out.set("actors", lookup(byActor));
    return out;
  }

  private static ObjectNode lookup(Map<String, List<Integer>> map) {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    map.forEach(
        (k, v) -> {
          ArrayNode a = o.putArray(k);
          v.forEach(a::add);
        });
    return o;
  }
}
