package io.maestro.perf;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Commits of the benchmark's database ({@code pg_stat_database.xact_commit}) and WAL flushes of the
 * cluster ({@code pg_stat_wal.wal_sync}), read before and after the sustained phase. Use a database
 * of its own ({@code --pg-url}): the commit count covers every session of that database. The WAL
 * flush count covers the whole cluster, so other databases' writes inflate it.
 */
final class CommitCounter {
  /** PostgreSQL flushes an idle backend's statistics at least this often (PGSTAT_IDLE_INTERVAL). */
  private static final long SETTLE_MS = 11_000;

  private final String url;
  private final String user;

  private CommitCounter(String url, String user) {
    this.url = url;
    this.user = user;
  }

  static CommitCounter open(String url, String user) {
    return new CommitCounter(url, user);
  }

  /** Waits until the backends have reported their statistics, then reads the commit count. */
  long settled() throws SQLException, InterruptedException {
    Thread.sleep(SETTLE_MS);
    return read()[0];
  }

  private long walSyncBefore = -1;

  private long[] read() throws SQLException {
    try (Connection c = DriverManager.getConnection(url, user, "");
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT (SELECT xact_commit FROM pg_stat_database"
                    + " WHERE datname = current_database()), (SELECT wal_sync FROM pg_stat_wal)")) {
      rs.next();
      long[] v = {rs.getLong(1), rs.getLong(2)};
      if (walSyncBefore < 0) {
        walSyncBefore = v[1];
      }
      return v;
    }
  }

  /** Prints commits (and WAL flushes) per completed run and per completed step. */
  void report(long commitsBefore, int runs, int stepsPerRun)
      throws SQLException, InterruptedException {
    long walBefore = walSyncBefore;
    Thread.sleep(SETTLE_MS);
    long[] after = read();
    long commits = after[0] - commitsBefore;
    long syncs = after[1] - walBefore;
    double steps = (double) runs * stepsPerRun;
    System.out.printf(
        "commits: %d in the sustained phase (incl. the gate's reads and the status polls):"
            + " %.2f per completed run, %.2f per completed step;"
            + " WAL flushes (cluster-wide): %.2f per completed step%n",
        commits, commits / (double) runs, commits / steps, syncs / steps);
  }
}
