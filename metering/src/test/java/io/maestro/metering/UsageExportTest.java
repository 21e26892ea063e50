package io.maestro.metering;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.maestro.core.TenantId;
import io.maestro.core.problem.MaestroException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

class UsageExportTest {
  static final UsageQuery QUERY =
      UsageExport.query(TenantId.of("acme"), "2026-11-01T00:00:00Z", "2026-11-03T00:00:00Z");

  static UsageReport report() {
    LocalDate d1 = LocalDate.parse("2026-11-01");
    LocalDate d2 = LocalDate.parse("2026-11-02");
    List<UsageReport.Line> lines =
        List.of(
            new UsageReport.Line(
                EventType.RUN_STARTED, "hello", "prod", d1, 2, 2, new BigDecimal("0.002000000")),
            new UsageReport.Line(
                EventType.STEP_EXECUTED, "hello", "prod", d2, 3, 4500, new BigDecimal("0.00018")),
            new UsageReport.Line(
                EventType.EVIDENCE_EXPORTED, "", "prod", d2, 1, 1, new BigDecimal("0.05")));
    List<UsageReport.Line> totals =
        List.of(
            new UsageReport.Line(
                EventType.RUN_STARTED, null, null, null, 2, 2, new BigDecimal("0.002")),
            new UsageReport.Line(
                EventType.STEP_EXECUTED, null, null, null, 3, 4500, new BigDecimal("0.00018")),
            new UsageReport.Line(
                EventType.EVIDENCE_EXPORTED, null, null, null, 1, 1, new BigDecimal("0.05")));
    return new UsageReport(QUERY, totals, lines, new BigDecimal("0.05218"));
  }

  @Test
  void csv_isTheSameBytesForTheSameReport_withFixedScaleCosts() {
    UsageExport a = UsageExport.of(report(), UsageExport.Format.CSV);
    UsageExport b = UsageExport.of(report(), UsageExport.Format.CSV);
    assertThat(b.body()).isEqualTo(a.body());
    assertThat(a.sha256()).isEqualTo(PriceBook.sha256(a.body()));
    assertThat(a.snapshotId()).isEqualTo("usage_" + a.sha256().substring(0, 24));
    assertThat(new String(a.body(), StandardCharsets.UTF_8))
        .isEqualTo(
            "day,workflow,env,type,unit,events,quantity,cost_usd\n"
                + "2026-11-01,hello,prod,run_started,run,2,2,0.002000000\n"
                + "2026-11-02,hello,prod,step_executed,step_ms,3,4500,0.000180000\n"
                + "2026-11-02,,prod,evidence_exported,export,1,1,0.050000000\n");
  }

  @Test
  void json_carriesTotalsLinesAndTheExactCost() {
    String json =
        new String(
            UsageExport.of(report(), UsageExport.Format.JSON).body(), StandardCharsets.UTF_8);
    assertThat(json)
        .startsWith("{\"format\":\"maestro.usage.v1\",\"tenant\":\"acme\"")
        .contains("\"cost_usd\":\"0.052180000\"}")
        .endsWith("\n");
  }

  @Test
  void format_otherThanCsvOrJson_isAProblem() {
    assertThatThrownBy(() -> UsageExport.Format.parse("xml"))
        .isInstanceOfSatisfying(
            MaestroException.class,
            e -> assertThat(e.code()).isEqualTo(MeteringErrors.BAD_EXPORT_FORMAT));
  }
}
