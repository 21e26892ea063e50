package io.maestro.architecture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.maestro.store.Database;
import io.maestro.store.Migrations;
import io.maestro.store.testing.Backend;
import io.maestro.store.testing.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every migration whose H2 and PostgreSQL copies became one script ({@link Migrations#REWRITTEN},
 * ADR 0040): a database that applied either earlier copy still starts, with the checksum it
 * recorded brought up to date, and a checksum no earlier copy had still fails.
 */
abstract class RewrittenMigrationsContract {
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
  void databaseMigratedByAnEarlierCopy_isBroughtUpToDateAndStarts() throws SQLException {
    assertThat(Migrations.REWRITTEN).containsKeys("202611221610", "202611221643", "202611221708");
    for (Map.Entry<String, Set<Integer>> e : Migrations.REWRITTEN.entrySet()) {
      int current = recordedChecksum(e.getKey());
      for (int earlier : e.getValue()) {
        setRecordedChecksum(e.getKey(), earlier);

        assertThat(Migrations.migrate(db)).isZero();

        assertThat(recordedChecksum(e.getKey())).as(e.getKey()).isEqualTo(current);
      }
    }
  }

  @Test
  void allRewrittenScriptsRecordedWithEarlierChecksums_atOnce_areAllRealigned()
      throws SQLException {
    Map<String, Integer> current = new java.util.HashMap<>();
    for (Map.Entry<String, Set<Integer>> e : Migrations.REWRITTEN.entrySet()) {
      current.put(e.getKey(), recordedChecksum(e.getKey()));
      setRecordedChecksum(e.getKey(), e.getValue().iterator().next());
    }

    assertThat(Migrations.migrate(db)).isZero();

    for (Map.Entry<String, Integer> e : current.entrySet()) {
      assertThat(recordedChecksum(e.getKey())).as(e.getKey()).isEqualTo(e.getValue());
    }
  }

  @Test
  void aChecksumNoEarlierCopyHad_stillFails() throws SQLException {
    setRecordedChecksum("202611221643", 12345);

    assertThatThrownBy(() -> Migrations.migrate(db)).hasMessageContaining("checksum");
  }

  private int recordedChecksum(String version) throws SQLException {
    try (Connection c = db.dataSource().getConnection();
        ResultSet rs =
            c.createStatement()
                .executeQuery(
                    "SELECT \"checksum\" FROM \"flyway_schema_history\" WHERE \"version\" = '"
                        + version
                        + "'")) {
      assertThat(rs.next()).as("migration " + version + " applied").isTrue();
      return rs.getInt(1);
    }
  }

  private void setRecordedChecksum(String version, int checksum) throws SQLException {
    try (Connection c = db.dataSource().getConnection()) {
      c.setAutoCommit(true);
      int n =
          c.createStatement()
              .executeUpdate(
                  "UPDATE \"flyway_schema_history\" SET \"checksum\" = "
                      + checksum
                      + " WHERE \"version\" = '"
                      + version
                      + "'");
      assertThat(n).isEqualTo(1);
    }
  }
}
