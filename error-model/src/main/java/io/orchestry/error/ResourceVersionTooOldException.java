package io.orchestry.error;

import java.util.Map;

/**
 * A watch asked to resume after a resource version that is no longer kept. Every v1 watch answers
 * this as {@code OUT_OF_RANGE} (as etcd does for a compacted revision); the caller lists again and
 * watches from the list's resource version.
 */
public final class ResourceVersionTooOldException extends OrchestryException {
    private final long requested;
    private final long oldest;

    public ResourceVersionTooOldException(long requested, long oldest) {
        super(ErrorReason.RESOURCE_VERSION_TOO_OLD, "resource version " + requested
                + " is too old to replay (the oldest kept is " + oldest + "): list again and watch from its resource version", null);
        this.requested = requested;
        this.oldest = oldest;
    }

    public long requested() {
        return requested;
    }

    public long oldest() {
        return oldest;
    }

    @Override
    public Map<String, String> metadata() {
        return Map.of("requested", Long.toString(requested), "oldest", Long.toString(oldest));
    }
}
