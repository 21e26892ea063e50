package io.maestro.engine.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.maestro.store.Database;
import io.maestro.store.Migrations;
import io.maestro.store.TenantScope;
import io.maestro.store.testing.Backend;
import io.maestro.store.testing.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The engine's core tables come from one script for both databases; a database that applied the
 * earlier per-database copies still starts.
 */
abstract class EngineSchemaContract {
  /** The checksums the earlier H2 and PostgreSQL copies of the engine core script had. */
  static final int EARLIER_H2 = -267901293;

  static final int EARLIER_POSTGRESQL = 487677523;

  abstract Backend backend();

  TestDatabase tdb;
  Database db;

  @BeforeEach
  void open() {
    tdb = backend().open();
    db = tdb.database();
  }

  @AfterEach
  void close() {
    tdb.close();
  }

  @Test
  void jsonColumns_takeEachDatabasesJsonType() {
    String type =
        db.inTransaction(
            TenantScope.platform(),
            tx ->
                tx.query(
                        "SELECT data_type FROM information_schema.columns WHERE"
                            + " LOWER(table_name) = 'engine_runs' AND LOWER(column_name) = 'inputs'"
                            + " AND table_schema = CURRENT_SCHEMA",
                        rs -> rs.getString(1))
                    .getFirst());
    assertThat(type.toLowerCase(java.util.Locale.ROOT))
        .isEqualTo(backend() == Backend.POSTGRESQL ? "jsonb" : "character varying");
  }

  @Test
  void databaseMigratedByTheEarlierScript_isBroughtUpToDateAndStarts() throws SQLException {
    int current = recordedChecksum();
    setRecordedChecksum(backend() == Backend.POSTGRESQL ? EARLIER_POSTGRESQL : EARLIER_H2);

    assertThat(Migrations.migrate(db)).isZero();

    assertThat(recordedChecksum()).isEqualTo(current);
  }

  @Test
  void anyOtherChecksumMismatch_stillFails() throws SQLException {
    setRecordedChecksum(12345);

    assertThatThrownBy(() -> Migrations.migrate(db)).hasMessageContaining("checksum");
  }

  private int recordedChecksum() throws SQLException {
    try (Connection c = db.dataSource().getConnection();
        ResultSet rs =
            c.createStatement()
                .executeQuery(
                    "SELECT \"checksum\" FROM \"flyway_schema_history\" WHERE \"version\" ="
                        + " '202611221610'")) {
      assertThat(rs.next()).isTrue();
      return rs.getInt(1);
    }
  }

  private void setRecordedChecksum(int checksum) throws SQLException {
    try (Connection c = db.dataSource().getConnection()) {
      c.setAutoCommit(true);
      int n =
          c.createStatement()
              .executeUpdate(
                  "UPDATE \"flyway_schema_history\" SET \"checksum\" = "
                      + checksum
                      + " WHERE \"version\" = '202611221610'");
      assertThat(n).isEqualTo(1);
    }
  }
}
