package io.orchestry.proxy.domain;

/** What became of one rendering (the v1 RevisionOutcome without its prefix). */
public enum RevisionOutcome {
    PENDING,
    APPLIED,
    REJECTED_BY_NGINX_TEST,
    RELOAD_FAILED,
    ROLLED_BACK,
    SUPERSEDED;

    public boolean isFinal() {
        return this != PENDING;
    }
}
