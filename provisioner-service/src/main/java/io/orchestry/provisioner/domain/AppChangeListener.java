package io.orchestry.provisioner.domain;

/**
 * Told after a use case commits a change of an app (or one of its instances is deleted by a user), so the reconciler
 * looks at it now instead of at its next resync. The reconciler implements it; the use cases call it.
 */
public interface AppChangeListener {
    void changed(String app);
}
