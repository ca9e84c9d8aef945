package io.orchestry.provisioner.domain;

/** The registry's projects, as far as the provisioner needs them. */
public interface Projects {

    /** NOT_FOUND naming the project when the registry has none by that name; UNAVAILABLE when it cannot be asked. */
    void requireExists(String project);

    /** The organization that owns the project; NOT_FOUND / UNAVAILABLE as {@link #requireExists}. */
    String organizationOf(String project);

    /**
     * Sets ({@code held}) or releases this provisioner's hold on the project under {@code holder} (e.g. "database"):
     * the registry refuses to delete a held project unless forced. Idempotent; NOT_FOUND / UNAVAILABLE.
     */
    void hold(String project, String holder, boolean held);
}
