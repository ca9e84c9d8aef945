package io.orchestry.provisioner.backup;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The user tables of a database and their row counts, keyed by the schema-qualified name as PostgreSQL quotes it
 * ({@code public.orders}, {@code sales."Order Lines"}): what the source held in a dump's snapshot, or what a restore
 * gave back. Comparing two says, table by table, what differs.
 */
public record TableCounts(SortedMap<String, Long> rows) {
    private static final int DIFFERENCES_SHOWN = 5;

    public TableCounts {
        rows = Collections.unmodifiableSortedMap(new TreeMap<>(rows));
    }

    public static TableCounts of(Map<String, Long> rows) {
        return new TableCounts(new TreeMap<>(rows));
    }

    public int tableCount() {
        return rows.size();
    }

    public long rowCount() {
        return rows.values().stream().mapToLong(Long::longValue).sum();
    }

    /**
     * What differs between these counts (expected) and {@code found}: a missing table, a different count, and unless
     * {@code allowExtraTables}, a table that should not be there. Empty when they agree.
     */
    public List<String> differences(TableCounts found, boolean allowExtraTables) {
        List<String> out = new ArrayList<>();
        rows.forEach((table, expected) -> {
            Long actual = found.rows().get(table);
            if (actual == null) {
                out.add("table " + table + " is missing (expected " + expected + " rows)");
            } else if (!actual.equals(expected)) {
                out.add("table " + table + ": expected " + expected + " rows, found " + actual);
            }
        });
        if (!allowExtraTables) {
            found.rows().forEach((table, actual) -> {
                if (!rows.containsKey(table)) {
                    out.add("table " + table + " was not in the source (" + actual + " rows)");
                }
            });
        }
        return out;
    }

    /** The differences as one message, the first few of them; null when there are none. */
    public static String describe(List<String> differences) {
        if (differences.isEmpty()) {
            return null;
        }
        String shown = String.join("; ", differences.subList(0, Math.min(DIFFERENCES_SHOWN, differences.size())));
        int more = differences.size() - DIFFERENCES_SHOWN;
        return more > 0 ? shown + "; and " + more + " more" : shown;
    }

    /** The tables in {@code found} that are not in these counts. */
    public List<String> extraIn(TableCounts found) {
        return found.rows().keySet().stream().filter(t -> !rows.containsKey(t)).toList();
    }
}
