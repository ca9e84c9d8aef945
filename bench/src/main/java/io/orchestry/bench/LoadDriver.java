package io.orchestry.bench;

import org.HdrHistogram.Histogram;

import com.google.common.util.concurrent.ListenableFuture;
import com.google.common.util.concurrent.MoreExecutors;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongFunction;

/**
 * Drives asynchronous calls and records their latency. Closed loop: a fixed number in flight, as
 * fast as the server answers (throughput). Open loop: calls at a fixed rate, latency counted from
 * when each call was due, so a stalled server cannot hide its stall (no coordinated omission).
 */
final class LoadDriver {
    /** What one run did. */
    record Result(long calls, long errors, double seconds, Histogram latency) {
        double perSecond() {
            return calls / seconds;
        }
    }

    private LoadDriver() {
    }

    /** A gRPC future as a CompletableFuture. */
    static <T> CompletableFuture<T> of(ListenableFuture<T> future) {
        CompletableFuture<T> result = new CompletableFuture<>();
        future.addListener(() -> {
            try {
                result.complete(future.get());
            } catch (java.util.concurrent.ExecutionException e) {
                result.completeExceptionally(e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                result.completeExceptionally(e);
            }
        }, MoreExecutors.directExecutor());
        return result;
    }

    /** @param call starts call number i and returns its future */
    static Result closedLoop(Duration length, int inFlight, LongFunction<CompletableFuture<?>> call) throws InterruptedException {
        return closedLoop(length, Long.MAX_VALUE, inFlight, call);
    }

    /** At most {@code total} calls, and no longer than {@code length}. */
    static Result closedLoop(Duration length, long total, int inFlight, LongFunction<CompletableFuture<?>> call)
            throws InterruptedException {
        Histogram latency = Latencies.histogram();
        Semaphore slots = new Semaphore(inFlight);
        AtomicLong errors = new AtomicLong();
        AtomicLong done = new AtomicLong();
        long start = System.nanoTime();
        long end = start + length.toNanos();
        long i = 0;
        while (i < total && System.nanoTime() < end) {
            if (!slots.tryAcquire(100, TimeUnit.MILLISECONDS)) {
                continue;
            }
            long sent = System.nanoTime();
            // the callback records the outcome, failures included: nothing is lost by not keeping the future
            @SuppressWarnings("FutureReturnValueIgnored")
            var unused = call.apply(i++).whenComplete((value, failure) -> {
                long took = System.nanoTime() - sent;
                if (failure == null) {
                    synchronized (latency) {
                        latency.recordValue(took);
                    }
                    done.incrementAndGet();
                } else {
                    errors.incrementAndGet();
                }
                slots.release();
            });
        }
        slots.acquire(inFlight);
        double seconds = (System.nanoTime() - start) / 1e9;
        return new Result(done.get(), errors.get(), seconds, latency);
    }

    /** Calls at {@code perSecond} for {@code length}; a call that would exceed {@code maxInFlight} counts as an error. */
    static Result openLoop(Duration length, int perSecond, int maxInFlight, LongFunction<CompletableFuture<?>> call)
            throws InterruptedException {
        Histogram latency = Latencies.histogram();
        Semaphore slots = new Semaphore(maxInFlight);
        AtomicLong errors = new AtomicLong();
        AtomicLong done = new AtomicLong();
        long interval = 1_000_000_000L / perSecond;
        long total = length.toSeconds() * perSecond;
        long start = System.nanoTime();
        for (long i = 0; i < total; i++) {
            long due = start + i * interval;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            if (!slots.tryAcquire()) {
                errors.incrementAndGet();
                continue;
            }
            // the callback records the outcome, failures included: nothing is lost by not keeping the future
            @SuppressWarnings("FutureReturnValueIgnored")
            var unused = call.apply(i).whenComplete((value, failure) -> {
                long took = System.nanoTime() - due;
                if (failure == null) {
                    synchronized (latency) {
                        latency.recordValue(Math.max(took, 0));
                    }
                    done.incrementAndGet();
                } else {
                    errors.incrementAndGet();
                }
                slots.release();
            });
        }
        slots.acquire(maxInFlight);
        double seconds = (System.nanoTime() - start) / 1e9;
        return new Result(done.get(), errors.get(), seconds, latency);
    }
}
