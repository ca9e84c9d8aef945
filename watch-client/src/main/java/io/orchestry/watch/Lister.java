package io.orchestry.watch;

/** How to read one page of a list: a blocking call with its own deadline (see {@link GrpcWatch#lister}). */
@FunctionalInterface
public interface Lister<T> {
    /** The page that {@code pageToken} names; the empty token is the first page. */
    ListPage<T> list(String pageToken) throws Exception;
}
