package io.orchestry.watch;

import java.util.List;

/**
 * One page of a list RPC.
 *
 * @param nextPageToken   the token of the next page; null or empty on the last page
 * @param resourceVersion the version the source was at when it read this page
 */
public record ListPage<T>(List<T> items, String nextPageToken, long resourceVersion) {
    public ListPage {
        items = List.copyOf(items);
    }

    boolean last() {
        return nextPageToken == null || nextPageToken.isEmpty();
    }
}
