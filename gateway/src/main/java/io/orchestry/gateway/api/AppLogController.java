package io.orchestry.gateway.api;

import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.sse.Event;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.orchestry.error.Violations;
import io.orchestry.gateway.auth.Role;
import io.orchestry.gateway.grpc.ServiceStubs;
import io.orchestry.provisioner.v1.GetAppLogsRequest;
import io.orchestry.provisioner.v1.GetAppLogsResponse;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/** {@code GET /api/v1/apps/{app}/logs}: the lines the app's instances wrote, and with {@code follow} new ones as server-sent events. */
@Controller("/api/v1/apps")
@ExecuteOn(TaskExecutors.BLOCKING)
@StandardProblems
@Tag(name = "apps")
public class AppLogController {
    private final ServiceStubs stubs;
    private final AppAccess access;

    public AppLogController(ServiceStubs stubs, AppAccess access) {
        this.stubs = stubs;
        this.access = access;
    }

    /**
     * The last {@code tail} lines of the app (or of one instance), oldest first, as JSON. With
     * {@code follow=true} the answer is a stream of server-sent events instead: one {@code log}
     * event per line (its data a line as JSON), the tail first, then each new line as it is
     * written, until the client goes away (which ends the provisioner's stream too).
     *
     * @param instance one instance's id; absent: every instance, interleaved by time
     * @param tail     lines from the end to send first (default 100; 0: none)
     * @param follow   keep the stream open and send new lines as server-sent events
     * @param since    only lines written at or after this ISO-8601 time
     */
    @Get(value = "/{app}/logs", produces = {MediaType.APPLICATION_JSON, MediaType.TEXT_EVENT_STREAM})
    @ApiResponse(responseCode = "200", description = "The lines as JSON, or with follow=true a text/event-stream of log events",
            content = {@Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = LogLineJson.Lines.class)),
                    @Content(mediaType = MediaType.TEXT_EVENT_STREAM, schema = @Schema(implementation = LogLineJson.class))})
    public HttpResponse<?> logs(HttpRequest<?> request, @PathVariable String app, @Nullable @QueryValue String instance,
                                @QueryValue(defaultValue = "100") int tail, @QueryValue(defaultValue = "false") boolean follow,
                                @Nullable @QueryValue String since) {
        GetAppLogsRequest.Builder query = GetAppLogsRequest.newBuilder().setApp(app).setTailLines(tail).setFollow(follow)
                .setInstanceId(instance == null ? "" : instance);
        if (since != null && !since.isBlank()) {
            Violations violations = new Violations();
            var at = JsonValues.parseInstant(since, "since", violations);
            violations.throwIfAny();
            query.setSince(ProtoTimes.toTimestamp(at));
        }
        access.app(request, app, Role.VIEWER);
        String requestId = RequestIdFilter.requestId(request);
        if (!follow) {
            List<LogLineJson> lines = new ArrayList<>();
            Iterator<GetAppLogsResponse> answers = stubs.provisioner(requestId).getAppLogs(query.build());
            answers.forEachRemaining(answer -> answer.getLinesList().forEach(line -> lines.add(AppJsonMapper.toJson(line))));
            return HttpResponse.ok(new LogLineJson.Lines(lines));
        }
        Flux<Event<LogLineJson>> events = Flux.create(sink -> stubs.provisionerStream(requestId)
                .getAppLogs(query.build(), new Forwarder(sink)));
        return HttpResponse.ok(events).contentType(MediaType.TEXT_EVENT_STREAM_TYPE);
    }

    /** The provisioner's stream into the client's: cancelled when the client goes away. */
    private static final class Forwarder implements ClientResponseObserver<GetAppLogsRequest, GetAppLogsResponse> {
        private final FluxSink<Event<LogLineJson>> sink;

        Forwarder(FluxSink<Event<LogLineJson>> sink) {
            this.sink = sink;
        }

        @Override
        public void beforeStart(ClientCallStreamObserver<GetAppLogsRequest> call) {
            sink.onDispose(() -> call.cancel("the client went away", null));
        }

        @Override
        public void onNext(GetAppLogsResponse answer) {
            answer.getLinesList().forEach(line -> sink.next(Event.of(AppJsonMapper.toJson(line)).name("log")));
        }

        @Override
        public void onError(Throwable failure) {
            sink.error(failure);
        }

        @Override
        public void onCompleted() {
            sink.complete();
        }
    }
}
