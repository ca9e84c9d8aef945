package io.orchestry.provisioner.fakes;

import io.orchestry.provisioner.domain.AppChangeListener;

import java.util.ArrayList;
import java.util.List;

/** Records the apps it is told of, in order. */
public class RecordingAppChangeListener implements AppChangeListener {
    private final List<String> changed = new ArrayList<>();

    @Override
    public synchronized void changed(String app) {
        changed.add(app);
    }

    public synchronized List<String> changed() {
        return List.copyOf(changed);
    }

    public synchronized void clear() {
        changed.clear();
    }
}
