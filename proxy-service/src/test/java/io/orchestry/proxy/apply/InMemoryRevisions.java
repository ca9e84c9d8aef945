package io.orchestry.proxy.apply;

import io.orchestry.proxy.domain.Revision;
import io.orchestry.proxy.domain.RevisionOutcome;
import io.orchestry.proxy.domain.RevisionRepository;
import io.orchestry.proxy.domain.RevisionTrigger;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** RevisionRepository in memory, with the same rules as the JDBC one: numbers 1, 2, ...; a create supersedes PENDING. */
final class InMemoryRevisions implements RevisionRepository {
    private final List<Revision> revisions = new ArrayList<>();

    @Override
    public synchronized Revision create(String config, String checksum, RevisionTrigger trigger, String reason) {
        revisions.replaceAll(r -> r.outcome() == RevisionOutcome.PENDING ? with(r, RevisionOutcome.SUPERSEDED, "") : r);
        Revision revision = new Revision("rev-" + (revisions.size() + 1), revisions.size() + 1L, config, checksum,
                RevisionOutcome.PENDING, "", trigger, reason, Instant.EPOCH, null);
        revisions.add(revision);
        return revision;
    }

    @Override
    public synchronized Revision finish(long number, RevisionOutcome outcome, String error) {
        Revision done = with(get(number).orElseThrow(), outcome, error);
        revisions.set((int) number - 1, done);
        return done;
    }

    @Override
    public synchronized Optional<Revision> get(long number) {
        return number < 1 || number > revisions.size() ? Optional.empty() : Optional.of(revisions.get((int) number - 1));
    }

    @Override
    public synchronized Optional<Revision> current() {
        return revisions.stream().filter(r -> r.outcome() == RevisionOutcome.APPLIED)
                .max(Comparator.comparingLong(Revision::number));
    }

    @Override
    public synchronized List<Revision> list(int limit, long beforeNumber, Set<RevisionOutcome> outcomes) {
        return revisions.stream().sorted(Comparator.comparingLong(Revision::number).reversed())
                .filter(r -> outcomes.isEmpty() || outcomes.contains(r.outcome())).limit(limit).toList();
    }

    synchronized List<Revision> all() {
        return List.copyOf(revisions);
    }

    private static Revision with(Revision r, RevisionOutcome outcome, String error) {
        return new Revision(r.id(), r.number(), r.config(), r.checksum(), outcome, error, r.trigger(), r.reason(),
                r.createTime(), Instant.EPOCH);
    }
}
