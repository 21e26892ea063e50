package io.maestro.governance;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.maestro.core.Actor;
import io.maestro.core.Decision;
import io.maestro.core.TenantId;
import io.maestro.core.problem.MaestroException;
import io.maestro.governance.internal.ControlChanges;
import io.maestro.governance.internal.ControlStore;
import io.maestro.governance.internal.ReceiptSupport;
import io.maestro.provenance.Receipt;
import io.maestro.provenance.ReceiptTypes;
import io.maestro.store.Database;
import io.maestro.store.TenantScope;
import java.math.BigDecimal;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Ramp rules (the caller checks that the workflow exists): set (a receipt with the JSON diff and
 * the decision, and a history row), list and history. A rule is only data; the canon pack {@code
 * maestro.governance} decides with it. Lowering a ramp is the same call as raising it, so a
 * controller can pull a ramp back through {@link #set} with its own decision.
 */
public final class Ramps {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");
  private static final Pattern ACTION = Pattern.compile("[a-z]+\\.[a-z_]+");
  private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);

  private final Database db;
  private final ControlStore store;
  private final ReceiptSupport receipts;
  private final ControlChanges changes;
  private final Clock clock;

  Ramps(
      Database db,
      ControlStore store,
      ReceiptSupport receipts,
      ControlChanges changes,
      Clock clock) {
    this.db = db;
    this.store = store;
    this.receipts = receipts;
    this.changes = changes;
    this.clock = clock;
  }

  /** Checks a percentage: 0 to 100, at most two decimals. */
  public static BigDecimal checkPercent(BigDecimal percent) {
    if (percent == null
        || percent.signum() < 0
        || percent.compareTo(HUNDRED) > 0
        || percent.stripTrailingZeros().scale() > 2) {
      throw MaestroException.of(
          ControlErrors.RAMP_PERCENT_INVALID,
          "percent must be a number from 0 to 100 with at most two decimals, not " + percent);
    }
    return percent.stripTrailingZeros();
  }

  /**
   * Sets the rule for {@code workflow} (at {@code version}, or every version when empty) to {@code
   * percent}; returns the rule as it now is. Setting the same percentage again changes nothing and
   * writes no receipt.
   */
  public Ramp set(
      Actor actor,
      Decision decision,
      TenantId tenant,
      String workflow,
      Optional<String> version,
      Optional<String> action,
      BigDecimal percent) {
    BigDecimal p = checkPercent(percent);
    if (workflow == null || !NAME.matcher(workflow).matches()) {
      throw MaestroException.of(ControlErrors.RAMP_INVALID, "workflow must be a workflow name");
    }
    String v = version.orElse("");
    if (!v.isEmpty() && !NAME.matcher(v).matches()) {
      throw MaestroException.of(ControlErrors.RAMP_INVALID, "version must be a version name");
    }
    String a = action.orElse(Ramp.DEFAULT_ACTION);
    if (!ACTION.matcher(a).matches()) {
      throw MaestroException.of(ControlErrors.RAMP_INVALID, "action must look like workflow.run");
    }
    return db.inTransaction(
        TenantScope.of(tenant),
        tx -> {
          Optional<Ramp> before = store.ramp(tx, tenant.value(), workflow, v, a);
          if (before.isPresent() && before.get().percent().compareTo(p) == 0) {
            return before.get();
          }
          int step = before.map(r -> r.step() + 1).orElse(1);
          Ramp after =
              new Ramp(tenant.value(), workflow, v, a, p, step, actor.subject(), clock.instant());
          store.saveRamp(tx, after, before.isPresent());
          ObjectNode diff = ReceiptSupport.JSON.createObjectNode();
          ObjectNode pd = diff.putObject("percent");
          if (before.isPresent()) {
            pd.put("from", before.get().percent());
          } else {
            pd.putNull("from");
          }
          pd.put("to", p);
          ObjectNode sd = diff.putObject("step");
          sd.put("from", before.map(Ramp::step).orElse(0));
          sd.put("to", step);
          ObjectNode payload = ReceiptSupport.JSON.createObjectNode();
          payload.put("workflow", workflow);
          payload.put("version", v);
          payload.put("action", a);
          payload.put("step", step);
          payload.set("diff", diff);
          Receipt r =
              receipts.append(
                  tx,
                  tenant.value(),
                  ReceiptTypes.RAMP_CHANGED,
                  actor,
                  "ramp.write",
                  "ramp",
                  workflow + (v.isEmpty() ? "" : "@" + v),
                  decision,
                  payload);
          store.addRampChange(
              tx,
              tenant.value(),
              new RampChange(
                  0,
                  workflow,
                  v,
                  a,
                  step,
                  diff.toString(),
                  actor.subject(),
                  after.updatedAt(),
                  decision.id(),
                  r.id()));
          changes.announce(tx, tenant.value());
          return after;
        });
  }

  /**
   * Every tenant's canary ramps that admit anything: rules for one version, above 0 %. The rollback
   * controller watches these.
   */
  public List<Ramp> activeCanaries() {
    return db.inTransaction(TenantScope.platform(), store::activeCanaries);
  }

  public List<Ramp> list(TenantId tenant) {
    return db.inTransaction(TenantScope.of(tenant), tx -> store.ramps(tx, tenant.value()));
  }

  /** The newest changes first, at most {@code limit}, of one workflow or all. */
  public List<RampChange> history(TenantId tenant, Optional<String> workflow, int limit) {
    return db.inTransaction(
        TenantScope.of(tenant),
        tx -> store.rampHistory(tx, tenant.value(), workflow, Math.max(1, Math.min(limit, 500))));
  }
}
