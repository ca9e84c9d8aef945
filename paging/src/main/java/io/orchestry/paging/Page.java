package io.orchestry.paging;

import java.util.List;
import java.util.function.Function;

/**
 * One page of a list and the token of the next ("" when this is the last page).
 *
 * @param items         at most the request's size
 * @param nextPageToken opaque; "" when nothing follows
 */
public record Page<T>(List<T> items, String nextPageToken) {
    public Page {
        items = List.copyOf(items);
    }

    /**
     * Makes a page from the rows a store fetched for {@code request}: at most
     * {@link PageRequest#fetchSize()} rows in the list's order. When the extra row is there it is
     * dropped and the token points after the page's last item.
     *
     * @param position the value the list is ordered by (a name, an id), as the store reads it back in {@link PageRequest#after()}
     */
    public static <T> Page<T> of(List<T> fetched, PageRequest request, Function<? super T, String> position) {
        if (fetched.size() <= request.size()) {
            return new Page<>(fetched, "");
        }
        List<T> items = fetched.subList(0, request.size());
        return new Page<>(items, request.tokenAfter(position.apply(items.get(items.size() - 1))));
    }

    /** The same page with every item mapped (e.g. from a domain record to a proto message). */
    public <R> Page<R> map(Function<? super T, ? extends R> mapper) {
        return new Page<>(items.stream().<R>map(mapper).toList(), nextPageToken);
    }

    public boolean hasNext() {
        return !nextPageToken.isEmpty();
    }
}
