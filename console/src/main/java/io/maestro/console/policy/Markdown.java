package io.maestro.console.policy;

import java.util.ArrayList;
import java.util.List;

/**
 * The generated policy pages ({@code docs_markdown}) as blocks the template draws with escaping:
 * headings, paragraphs, lists, fenced code and pipe tables, with {@code `code`} spans inline. Only
 * that subset is read; anything else is a paragraph of text. No HTML from the document reaches the
 * page.
 */
public final class Markdown {
  private Markdown() {}

  /** A run of text, drawn as code when it was between backticks. */
  public record Inline(String text, boolean code) {}

  /**
   * One block: {@code h} (with {@code level}), {@code p}, {@code ul} ({@code items}), {@code pre}
   * ({@code text}) or {@code table} ({@code header}, {@code rows}).
   */
  public record Block(
      String kind,
      int level,
      List<Inline> inlines,
      List<List<Inline>> items,
      String text,
      List<List<Inline>> header,
      List<List<List<Inline>>> rows) {
    static Block of(String kind, int level, List<Inline> inlines) {
      return new Block(kind, level, inlines, List.of(), "", List.of(), List.of());
    }
  }

  public static List<Block> blocks(String markdown) {
    List<Block> out = new ArrayList<>();
    String[] lines = markdown.replace("\r\n", "\n").split("\n", -1);
    int i = 0;
    while (i < lines.length) {
      String line = lines[i];
      if (line.isBlank()) {
        i++;
      } else if (line.startsWith("```")) {
        StringBuilder code = new StringBuilder();
        i++;
        while (i < lines.length && !lines[i].startsWith("```")) {
          code.append(lines[i]).append('\n');
          i++;
        }
        i++;
        out.add(new Block("pre", 0, List.of(), List.of(), code.toString(), List.of(), List.of()));
      } else if (line.startsWith("#")) {
        int level = 0;
        while (level < line.length() && line.charAt(level) == '#') {
          level++;
        }
        // The document's title is the view's own h1; its sections keep their levels.
        if (level > 1) {
          out.add(Block.of("h", Math.min(level, 6), inline(line.substring(level).strip())));
        }
        i++;
      } else if (line.startsWith("|")) {
        List<List<List<Inline>>> rows = new ArrayList<>();
        while (i < lines.length && lines[i].startsWith("|")) {
          if (!lines[i].matches("\\|(\\s*:?-+:?\\s*\\|)+\\s*")) {
            rows.add(cells(lines[i]));
          }
          i++;
        }
        List<List<Inline>> header = rows.isEmpty() ? List.of() : rows.removeFirst();
        boolean blankHeader = header.stream().allMatch(List::isEmpty);
        out.add(
            new Block(
                "table", 0, List.of(), List.of(), "", blankHeader ? List.of() : header, rows));
      } else if (line.startsWith("- ") || line.startsWith("* ")) {
        List<List<Inline>> items = new ArrayList<>();
        while (i < lines.length && (lines[i].startsWith("- ") || lines[i].startsWith("* "))) {
          items.add(inline(lines[i].substring(2).strip()));
          i++;
        }
        out.add(new Block("ul", 0, List.of(), items, "", List.of(), List.of()));
      } else {
        StringBuilder p = new StringBuilder(line.strip());
        i++;
        while (i < lines.length
            && !lines[i].isBlank()
            && !lines[i].startsWith("#")
            && !lines[i].startsWith("|")
            && !lines[i].startsWith("```")
            && !lines[i].startsWith("- ")) {
          p.append(' ').append(lines[i].strip());
          i++;
        }
        String text = p.toString();
        // A paragraph in emphasis (_…_, the page's closing note) is drawn as plain text.
        if (text.length() > 2 && text.startsWith("_") && text.endsWith("_")) {
          text = text.substring(1, text.length() - 1);
        }
        out.add(Block.of("p", 0, inline(text)));
      }
    }
    return out;
  }

  private static List<List<Inline>> cells(String row) {
    String r = row.strip();
    r = r.substring(1, r.endsWith("|") && r.length() > 1 ? r.length() - 1 : r.length());
    List<List<Inline>> cells = new ArrayList<>();
    for (String c : r.split("\\|", -1)) {
      cells.add(inline(c.strip()));
    }
    return cells;
  }

  static List<Inline> inline(String text) {
    List<Inline> out = new ArrayList<>();
    String[] parts = text.split("`", -1);
    for (int k = 0; k < parts.length; k++) {
      // An unmatched last backtick leaves its text as plain text.
      boolean code = k % 2 == 1 && k < parts.length - (parts.length % 2 == 0 ? 1 : 0);
      if (!parts[k].isEmpty()) {
        out.add(new Inline(parts[k], code));
      }
    }
    return out;
  }
}
