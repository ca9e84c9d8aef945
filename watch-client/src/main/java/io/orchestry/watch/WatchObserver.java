package io.orchestry.watch;

/**
 * What a watch stream reports to, on the transport's thread: each method returns at once and never
 * runs the listener.
 */
public interface WatchObserver<T> {
    /**
     * The next change. Returns whether the stream may send another one (a transport with flow
     * control asks for exactly one more); false means the stream is no longer wanted: cancel it.
     */
    boolean onEvent(WatchEvent<T> event);

    /** The stream failed; the status says whether to watch again or to list again. */
    void onError(Throwable failure);

    /** The source ended the stream. */
    void onCompleted();
}
