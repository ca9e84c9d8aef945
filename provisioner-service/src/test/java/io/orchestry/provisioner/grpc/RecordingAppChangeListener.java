package io.orchestry.provisioner.grpc;

import io.micronaut.context.annotation.Primary;
import io.orchestry.provisioner.domain.AppChangeListener;
import jakarta.inject.Singleton;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** The reconciler's place in these tests: records which apps the use cases said changed. */
@Singleton
@Primary
class RecordingAppChangeListener implements AppChangeListener {
    final List<String> changed = new CopyOnWriteArrayList<>();

    @Override
    public void changed(String app) {
        changed.add(app);
    }
}
