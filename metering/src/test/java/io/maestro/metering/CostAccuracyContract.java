package io.maestro.metering;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.maestro.core.TenantId;
import io.maestro.store.Database;
import io.maestro.store.TenantScope;
import io.maestro.store.testing.Backend;
import io.maestro.store.testing.TestDatabase;
import java.io.InputStream;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Cost attribution checked against a second, naive ledger: the test reads the price book YAML
 * itself, dedupes the raw events by (tenant, type, key) as a billing clerk would, prices each with
 * plain arithmetic and sums per tenant, workflow, environment, day and run. The attributed totals
 * (usage API and run costs, from rollups and cost lines) must agree with it to the cent.
 */
abstract class CostAccuracyContract {
  abstract Backend backend();

  static final Instant T0 = Instant.parse("2026-11-01T00:00:00Z");
  static final List<String> WORKFLOWS = List.of("hello", "deploy", "nightly-report");
  static final List<String> ENVS = List.of("prod", "staging");
  static final List<String> CLASSES = List.of("small", "standard", "large");
  static final List<TenantId> TENANTS = List.of(TenantId.of("acme"), TenantId.of("globex"));

  TestDatabase testDb;
  Database db;
  final Metering metering = Metering.standard();

  @BeforeEach
  void open() {
    testDb = backend().open();
    db = testDb.database();
  }

  @AfterEach
  void close() {
    testDb.close();
  }

  @Test
  void attributedCosts_agreeWithANaiveLedgerToTheCent() throws Exception {
    List<MeteredEvent> raw = syntheticEvents(new Random(20261203), 4000);
    for (int i = 0; i < raw.size(); ) {
      MeteredEvent first = raw.get(i);
      int end = Math.min(raw.size(), i + 1 + (i % 37));
      List<MeteredEvent> batch = new ArrayList<>();
      for (int j = i; j < end && raw.get(j).tenant().equals(first.tenant()); j++) {
        batch.add(raw.get(j));
      }
      db.useTransaction(TenantScope.of(first.tenant()), tx -> metering.recordAll(tx, batch));
      i += batch.size();
    }

    NaiveLedger ledger = new NaiveLedger(raw);
    int compared = 0;
    int agreed = 0;
    for (TenantId tenant : TENANTS) {
      UsageQuery q =
          UsageQuery.parse(
              tenant,
              T0.toString(),
              T0.plus(Duration.ofDays(30)).toString(),
              "workflow,env",
              "day");
      UsageReport report = db.inTransaction(TenantScope.of(tenant), tx -> metering.usage(tx, q));

      Map<String, BigDecimal> attributed = new TreeMap<>();
      for (UsageReport.Line l : report.breakdown()) {
        attributed.merge(
            l.workflow() + "|" + l.env() + "|" + l.day(), l.costUsd(), BigDecimal::add);
      }
      Map<String, BigDecimal> expected = ledger.byGroup(tenant);
      assertThat(attributed.keySet()).isEqualTo(expected.keySet());
      for (String group : expected.keySet()) {
        compared++;
        if (cents(attributed.get(group)).equals(cents(expected.get(group)))) {
          agreed++;
        }
      }
      assertThat(cents(report.costUsd()))
          .as("tenant %s total", tenant)
          .isEqualTo(cents(ledger.total(tenant)));

      for (Map.Entry<String, BigDecimal> run : ledger.byRun(tenant).entrySet()) {
        compared++;
        RunCost cost =
            db.inTransaction(
                TenantScope.of(tenant), tx -> metering.runCost(tx, tenant, run.getKey()));
        if (cents(cost.costUsd()).equals(cents(run.getValue()))) {
          agreed++;
        }
      }
    }
    double agreement = agreed / (double) compared;
    assertThat(compared).isGreaterThan(100);
    assertThat(agreement).as("share of groups and runs that agree to the cent").isEqualTo(1.0);
  }

  static BigDecimal cents(BigDecimal usd) {
    return usd.setScale(2, RoundingMode.HALF_EVEN);
  }

  /** Events over 30 days for two tenants; about one in twenty is a redelivery of an earlier one. */
  static List<MeteredEvent> syntheticEvents(Random random, int count) {
    List<MeteredEvent> out = new ArrayList<>();
    EventType[] types = EventType.values();
    for (int i = 0; i < count; i++) {
      if (i > 0 && random.nextInt(20) == 0) {
        out.add(out.get(random.nextInt(out.size())));
        continue;
      }
      TenantId tenant = TENANTS.get(random.nextInt(TENANTS.size()));
      EventType type = types[random.nextInt(types.length)];
      String workflow = WORKFLOWS.get(random.nextInt(WORKFLOWS.size()));
      WorkflowRef ref =
          type == EventType.EVIDENCE_EXPORTED
              ? WorkflowRef.NONE
              : WorkflowRef.run(workflow, "1.0.0", workflow + "-run-" + random.nextInt(40));
      long quantity =
          switch (type) {
            case STEP_EXECUTED -> random.nextInt(600_000);
            case STORAGE_BYTES_WRITTEN -> random.nextLong(5_000_000_000L);
            default -> 1;
          };
      Instant time = T0.plusSeconds(random.nextLong(Duration.ofDays(30).toSeconds()));
      out.add(
          MeteredEvent.of(
                  type,
                  "key-" + i,
                  time,
                  tenant,
                  ENVS.get(random.nextInt(ENVS.size())),
                  ActorType.values()[random.nextInt(3)],
                  ref,
                  "run/" + ref.runId(),
                  quantity)
              .withResourceClass(CLASSES.get(random.nextInt(CLASSES.size()))));
    }
    return out;
  }

  /** The second implementation: no rollups, no cost lines, just the raw events and the YAML. */
  static final class NaiveLedger {
    final List<MeteredEvent> billable = new ArrayList<>();
    final JsonNode prices;

    NaiveLedger(List<MeteredEvent> raw) throws Exception {
      Set<String> seen = new HashSet<>();
      for (MeteredEvent e : raw) {
        if (seen.add(e.tenant().value() + "/" + e.type().wire() + "/" + e.idempotencyKey())) {
          billable.add(e);
        }
      }
      try (InputStream in =
          getClass()
              .getClassLoader()
              .getResourceAsStream("io/maestro/metering/pricebook/pricebook-2026-12-01.yaml")) {
        prices = new ObjectMapper(new YAMLFactory()).readTree(in).path("skus").path("standard");
      }
    }

    BigDecimal cost(MeteredEvent e) {
      JsonNode p = prices.path("prices").path(e.type().wire());
      BigDecimal usd = new BigDecimal(p.path("usd").asText());
      BigDecimal per = new BigDecimal(p.path("per").asText());
      BigDecimal weight =
          e.type() == EventType.STEP_EXECUTED
              ? new BigDecimal(prices.path("resource_classes").path(e.resourceClass()).asText())
              : BigDecimal.ONE;
      // Exact: no rounding until the sums are compared in cents.
      return usd.multiply(weight)
          .multiply(BigDecimal.valueOf(e.quantity()))
          .divide(per, 20, RoundingMode.UNNECESSARY);
    }

    Map<String, BigDecimal> byGroup(TenantId tenant) {
      Map<String, BigDecimal> out = new TreeMap<>();
      for (MeteredEvent e : billable) {
        if (e.tenant().equals(tenant)) {
          LocalDate day = LocalDate.ofInstant(e.time(), ZoneOffset.UTC);
          out.merge(e.workflow().name() + "|" + e.env() + "|" + day, cost(e), BigDecimal::add);
        }
      }
      return out;
    }

    Map<String, BigDecimal> byRun(TenantId tenant) {
      Map<String, BigDecimal> out = new HashMap<>();
      for (MeteredEvent e : billable) {
        if (e.tenant().equals(tenant) && !e.workflow().isNone()) {
          out.merge(e.workflow().runId(), cost(e), BigDecimal::add);
        }
      }
      return out;
    }

    BigDecimal total(TenantId tenant) {
      return billable.stream()
          .filter(e -> e.tenant().equals(tenant))
          .map(this::cost)
          .reduce(BigDecimal.ZERO, BigDecimal::add);
    }
  }
}
