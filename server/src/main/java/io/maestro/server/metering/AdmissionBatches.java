package io.maestro.server.metering;

import io.maestro.core.TenantId;
import io.maestro.metering.Metering;
import io.maestro.metering.Spend;
import io.maestro.store.Database;
import io.maestro.store.TenantScope;
import io.maestro.store.Tx;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;

/**
 * Budget admissions of one tenant decided together (ADR 0052). Every admission must decide under
 * the tenant's budget lock, on what the admissions before it reserved (ADR 0030), so one tenant's
 * admissions run one after the other. Taking that lock, and committing, once per admission made the
 * lock the tenant's start rate: each start held it across its own commit. Here the admissions that
 * queue while one transaction holds the lock are decided and created together in the next
 * transaction, in arrival order, each on the spend and reservations as the ones before it left
 * them; one commit acknowledges them all.
 *
 * <p>Nothing is acknowledged before that commit, so what a caller is answered is exactly what is
 * durable. When any admission of a batch fails, the batch rolls back and each of its admissions is
 * run again in a transaction of its own, so one bad request never fails another's start.
 *
 * <p>The first caller of an idle tenant leads: it runs batches until its own admission is done,
 * then hands the lead to the oldest waiting caller, so no caller works for others for long.
 * Thread-safe.
 */
final class AdmissionBatches {
  /** The most admissions one transaction decides. */
  static final int MAX_BATCH = 32;

  private static final Object LEAD = new Object();

  private final Database db;
  private final Metering metering;
  private final Clock clock;
  private final Map<TenantId, Lane> lanes = new ConcurrentHashMap<>();

  AdmissionBatches(Database db, Metering metering, Clock clock) {
    this.db = db;
    this.metering = metering;
    this.clock = clock;
  }

  /** One admission: decides on the budget as locked and, when allowed, creates the run. */
  @FunctionalInterface
  interface Admission<R> {
    /**
     * @param locked the tenant's spend and reservations under the lock, including what the
     *     admissions before this one in the transaction reserved
     */
    R admit(Tx tx, Spend locked);
  }

  /**
   * Runs {@code admission} under {@code tenant}'s budget lock, batched with others of the tenant,
   * and returns its result once its transaction committed.
   */
  <R> R admit(TenantId tenant, Admission<R> admission) {
    Lane lane = lanes.computeIfAbsent(tenant, t -> new Lane());
    Waiting me = new Waiting(admission);
    boolean lead;
    synchronized (lane) {
      lane.queue.add(me);
      lead = !lane.leading;
      lane.leading = true;
    }
    if (lead || await(me.signal) == LEAD) {
      leadUntilDone(tenant, lane, me);
    }
    @SuppressWarnings("unchecked")
    R result = (R) me.outcome();
    return result;
  }

  private void leadUntilDone(TenantId tenant, Lane lane, Waiting me) {
    while (!me.done) {
      List<Waiting> batch = new ArrayList<>();
      synchronized (lane) {
        while (batch.size() < MAX_BATCH && !lane.queue.isEmpty()) {
          batch.add(lane.queue.poll());
        }
      }
      run(tenant, batch);
    }
    synchronized (lane) {
      Waiting next = lane.queue.peek();
      if (next == null) {
        lane.leading = false;
      } else {
        next.signal.complete(LEAD);
      }
    }
  }

  private void run(TenantId tenant, List<Waiting> batch) {
    List<Object> results;
    try {
      results =
          db.inTransaction(
              TenantScope.of(tenant),
              tx -> {
                List<Object> out = new ArrayList<>(batch.size());
                Spend locked = metering.lockBudget(tx, tenant, clock.instant());
                for (Waiting w : batch) {
                  if (!out.isEmpty()) {
                    // What the admissions before this one reserved, read in this transaction.
                    locked = metering.spend(tx, tenant, clock.instant());
                  }
                  out.add(w.admission.admit(tx, locked));
                }
                return out;
              });
    } catch (RuntimeException | Error e) {
      if (batch.size() == 1) {
        batch.get(0).finish(e);
        return;
      }
      // One admission failed the whole batch: each runs again on its own.
      for (Waiting w : batch) {
        run(tenant, List.of(w));
      }
      return;
    }
    for (int i = 0; i < batch.size(); i++) {
      batch.get(i).finish(results.get(i));
    }
  }

  private static Object await(CompletableFuture<Object> f) {
    boolean interrupted = false;
    try {
      while (true) {
        try {
          return f.get();
        } catch (InterruptedException e) {
          interrupted = true;
        } catch (ExecutionException e) {
          throw new IllegalStateException(e.getCause());
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private static final class Lane {
    private final Deque<Waiting> queue = new ArrayDeque<>();
    private boolean leading;
  }

  /** A queued admission; {@code signal} completes with its outcome, or {@code LEAD}. */
  private static final class Waiting {
    private final Admission<?> admission;
    private final CompletableFuture<Object> signal = new CompletableFuture<>();
    private volatile boolean done;
    private volatile Object result;
    private volatile Throwable failure;

    Waiting(Admission<?> admission) {
      this.admission = admission;
    }

    void finish(Object outcome) {
      result = outcome;
      done = true;
      signal.complete(outcome);
    }

    void finish(Throwable e) {
      failure = e;
      done = true;
      signal.complete(e);
    }

    Object outcome() {
      if (failure instanceof RuntimeException r) {
        throw r;
      }
      if (failure instanceof Error r) {
        throw r;
      }
      return result;
    }
  }
}
