package io.maestro.core.config;

import static io.maestro.core.config.KeySpec.key;
import static io.maestro.core.config.KeySpec.number;

import java.util.List;

/** The database: where it is, who connects, how many connections, which schema and role. */
public final class DatabaseKeys {
  public static final ConfigKey<String> URL =
      key("db.url", "", ConfigValues::parseJdbcUrl)
          .doc(
              "JDBC URL. Empty: the embedded H2 database `<dataDir>/db/maestro`. PostgreSQL:"
                  + " `jdbc:postgresql://host:5432/db`.");
  public static final ConfigKey<String> USER =
      key("db.user", "", v -> v)
          .doc(
              "Database user. Empty: `postgres` on PostgreSQL unless the URL has `user=`; `sa` on"
                  + " H2.");
  public static final ConfigKey<String> PASSWORD =
      key("db.password", "", v -> v).asSecret().doc("Database password. Never logged.");
  public static final ConfigKey<Integer> POOL_SIZE =
      number("db.poolSize", "10", 1, 500).doc("Maximum connections in the pool.");
  public static final ConfigKey<String> SCHEMA =
      key("db.schema", "", ConfigValues::parseIdentifier)
          .doc(
              "Schema for Maestro's tables (created if missing). Empty: the database default"
                  + " (`public`).");
  public static final ConfigKey<String> RLS_ROLE =
      key("db.rlsRole", "maestro_app", ConfigValues::parseIdentifier)
          .doc(
              "PostgreSQL role (without BYPASSRLS) each transaction switches to, so row-level"
                  + " security applies even when the pool connects as a superuser. Empty: no"
                  + " switch.");

  static final List<ConfigKey<?>> ALL = List.of(URL, USER, PASSWORD, POOL_SIZE, SCHEMA, RLS_ROLE);

  private DatabaseKeys() {}
}
