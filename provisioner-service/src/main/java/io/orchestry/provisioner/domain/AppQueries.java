package io.orchestry.provisioner.domain;

import io.orchestry.error.NotFoundException;
import io.orchestry.names.LabelSelector;
import io.orchestry.paging.Page;
import io.orchestry.paging.PageRequest;
import jakarta.inject.Singleton;

import java.util.ArrayList;
import java.util.List;

/** GetApp and ListApps. A deleting app shows state DELETING whatever the reconciler last wrote. */
@Singleton
public class AppQueries {
    public static final String APPS = "apps";
    /** Rows read per round when a label selector filters after the fetch. */
    static final int BATCH = 500;

    private final AppRepository apps;
    private final AppStore store;

    public AppQueries(AppRepository apps, AppStore store) {
        this.apps = apps;
        this.store = store;
    }

    public App get(String name) {
        return view(apps.find(name).orElseThrow(() -> new NotFoundException("app", name)));
    }

    /** Apps by name, of one project if given, whose labels match the selector; the selector filters after the fetch. */
    public Page<App> list(String project, String labelSelector, PageRequest page) {
        LabelSelector selector = LabelSelector.parse(labelSelector, "label_selector");
        List<App> matched = new ArrayList<>();
        String after = page.after();
        while (matched.size() < page.fetchSize()) {
            List<App> rows = store.list(project, new PageRequest(page.list(), after, Math.min(PageRequest.MAX_SIZE, BATCH)));
            for (App app : rows) {
                if (selector.matches(app.labels()) && matched.size() < page.fetchSize()) {
                    matched.add(view(app));
                }
            }
            if (rows.size() < Math.min(PageRequest.MAX_SIZE, BATCH) + 1) {
                break;
            }
            after = rows.get(rows.size() - 1).name();
        }
        return Page.of(matched, page, App::name);
    }

    /** The app as answers show it: a deleting one in state DELETING whatever the reconciler last wrote. */
    public static App view(App app) {
        if (!app.deleting() || app.status().state() == AppState.DELETING) {
            return app;
        }
        AppStatus s = app.status();
        return app.withStatus(new AppStatus(s.observedGeneration(), AppState.DELETING, 0, s.readyReplicas(),
                s.availableReplicas(), s.updatedReplicas(), s.currentRevision(), s.conditions()));
    }
}
