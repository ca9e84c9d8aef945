package io.orchestry.gateway.fake;

import com.google.protobuf.Timestamp;
import io.grpc.stub.ServerCallStreamObserver;
import io.orchestry.provisioner.v1.GetAppLogsRequest;
import io.orchestry.provisioner.v1.GetAppLogsResponse;
import io.orchestry.provisioner.v1.LogLine;
import io.orchestry.provisioner.v1.LogStream;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** The lines the fake's instances "wrote", and the followers of GetAppLogs; tests write lines with {@link #write}. */
public final class FakeLogs {
    private final List<Line> lines = new ArrayList<>();
    private final List<Follower> followers = new CopyOnWriteArrayList<>();
    private final AtomicInteger cancelled = new AtomicInteger();

    private record Line(String app, LogLine line) {
    }

    private record Follower(GetAppLogsRequest request, ServerCallStreamObserver<GetAppLogsResponse> stream) {
    }

    /** One line written by {@code instanceId} of {@code app}, sent at once to the streams that follow it. */
    public void write(String app, String instanceId, String text) {
        Instant now = Instant.now();
        LogLine line = LogLine.newBuilder().setInstanceId(instanceId).setStream(LogStream.LOG_STREAM_STDOUT).setText(text)
                .setTime(Timestamp.newBuilder().setSeconds(now.getEpochSecond()).setNanos(now.getNano())).build();
        synchronized (this) {
            lines.add(new Line(app, line));
        }
        for (Follower follower : followers) {
            if (matches(follower.request(), app, line)) {
                synchronized (follower) {
                    follower.stream().onNext(GetAppLogsResponse.newBuilder().addLines(line).build());
                }
            }
        }
    }

    /** The follow streams open now. */
    public int following() {
        return followers.size();
    }

    /** How many follow streams their client cancelled. */
    public int cancelled() {
        return cancelled.get();
    }

    void serve(GetAppLogsRequest request, ServerCallStreamObserver<GetAppLogsResponse> stream) {
        List<LogLine> tail;
        synchronized (this) {
            List<LogLine> matching = lines.stream().filter(l -> matches(request, l.app(), l.line())).map(Line::line).toList();
            tail = matching.subList(Math.max(0, matching.size() - request.getTailLines()), matching.size());
        }
        if (!tail.isEmpty()) {
            stream.onNext(GetAppLogsResponse.newBuilder().addAllLines(tail).build());
        }
        if (!request.getFollow()) {
            stream.onCompleted();
            return;
        }
        Follower follower = new Follower(request, stream);
        stream.setOnCancelHandler(() -> {
            followers.remove(follower);
            cancelled.incrementAndGet();
        });
        followers.add(follower);
    }

    private static boolean matches(GetAppLogsRequest request, String app, LogLine line) {
        return request.getApp().equals(app)
                && (request.getInstanceId().isEmpty() || request.getInstanceId().equals(line.getInstanceId()))
                && (!request.hasSince() || line.getTime().getSeconds() >= request.getSince().getSeconds());
    }
}
