package io.orchestry.proxy.fakes;

import io.micronaut.context.annotation.Requires;
import io.orchestry.proxy.domain.ApplyRequests;
import io.orchestry.proxy.domain.ProxyState;
import io.orchestry.proxy.domain.Revision;
import io.orchestry.proxy.domain.RevisionOutcome;
import io.orchestry.proxy.domain.RevisionRepository;
import io.orchestry.proxy.domain.RevisionTrigger;
import jakarta.inject.Singleton;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An apply side for the endpoint's tests (the real apply loop is another part of the service): it stores a revision per
 * request through the real repository, and finishes it APPLIED at once, or leaves it PENDING when {@link #hold} is set.
 * Only in contexts with {@code test.fake-apply=true}.
 */
@Singleton
@Requires(property = "test.fake-apply", value = "true")
public class FakeApply implements ApplyRequests, ProxyState.Source {
    private final RevisionRepository revisions;
    public final List<String> requests = new CopyOnWriteArrayList<>();
    public volatile boolean hold;
    private volatile Revision latest;

    public FakeApply(RevisionRepository revisions) {
        this.revisions = revisions;
    }

    @Override
    public CompletableFuture<Revision> request(RevisionTrigger trigger, String reason) {
        requests.add(trigger + " " + reason);
        latest = revisions.create("# " + reason + "\n", "0".repeat(64), trigger, reason);
        if (hold) {
            return new CompletableFuture<>();
        }
        latest = revisions.finish(latest.number(), RevisionOutcome.APPLIED, "");
        return CompletableFuture.completedFuture(latest);
    }

    @Override
    public Optional<Revision> latest() {
        return Optional.ofNullable(latest);
    }

    @Override
    public ProxyState now() {
        return new ProxyState("RUNNING", "MANAGED", 4242, "1.22.1", "/state/nginx.conf",
                latest == null ? 0 : latest.number(), null, null, "", 0, 0, 1, true);
    }
}
