package io.maestro.core.purge;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.maestro.core.json.CanonicalJson;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * The digest of a database row as it was before a purge: every column, by its lower-case name, as
 * text (binary columns in hex, SQL NULL as JSON null), in RFC 8785 canonical form. Both backends
 * give the same text for the same value of the types Maestro uses.
 */
public final class RowDigest {
  private RowDigest() {}

  /**
   * The current row of {@code rs} as a JSON object of strings, without the columns {@code skip}.
   */
  public static ObjectNode row(ResultSet rs, String... skip) throws SQLException {
    java.util.Set<String> skipped = java.util.Set.of(skip);
    ResultSetMetaData md = rs.getMetaData();
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    for (int i = 1; i <= md.getColumnCount(); i++) {
      String name = md.getColumnLabel(i).toLowerCase(Locale.ROOT);
      if (skipped.contains(name)) {
        continue;
      }
      Object v = rs.getObject(i);
      if (v == null) {
        o.putNull(name);
      } else if (v instanceof byte[] b) {
        o.put(name, HexFormat.of().formatHex(b));
      } else if (v instanceof java.time.temporal.TemporalAccessor || v instanceof java.util.Date) {
        o.put(name, String.valueOf(instant(rs, i)));
      } else {
        o.put(name, v.toString());
      }
    }
    return o;
  }

  /** {@code sha256:<hex>} of the current row of {@code rs}, without the columns {@code skip}. */
  public static String of(ResultSet rs, String... skip) throws SQLException {
    return CanonicalJson.sha256(row(rs, skip));
  }

  private static Object instant(ResultSet rs, int column) throws SQLException {
    java.time.OffsetDateTime t = rs.getObject(column, java.time.OffsetDateTime.class);
    return t == null ? null : t.toInstant();
  }
}
