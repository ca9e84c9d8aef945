package io.orchestry.gateway.api;

import io.orchestry.error.Problem;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The error answers every endpoint can give, for the OpenAPI document: each an RFC 9457 problem.
 * Put on a controller class; its operations inherit them.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
@ApiResponse(responseCode = "400", description = "Invalid input: every bad field is listed in errors[]",
        content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class),
                examples = @ExampleObject(name = "invalid", value = """
                        {"type": "urn:orchestry:problem:invalid-argument", "title": "Invalid input", "status": 400,
                         "detail": "invalid request: name: must be a DNS label", "instance": "/api/v1/nodes",
                         "reason": "INVALID_ARGUMENT",
                         "errors": [{"field": "name", "message": "must be a DNS label: ^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$"}]}""")))
@ApiResponse(responseCode = "401", description = "No token, or one that is unknown, expired or revoked",
        content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class),
                examples = @ExampleObject(name = "unauthenticated", value = """
                        {"type": "urn:orchestry:problem:unauthenticated", "title": "Not authenticated", "status": 401,
                         "detail": "the token is unknown, expired or revoked", "instance": "/api/v1/nodes",
                         "reason": "UNAUTHENTICATED", "errors": []}""")))
@ApiResponse(responseCode = "403", description = "The token's role or scope does not allow this",
        content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class),
                examples = @ExampleObject(name = "denied", value = """
                        {"type": "urn:orchestry:problem:permission-denied", "title": "Not allowed", "status": 403,
                         "detail": "this needs the admin role; token tok_0193a1b2c3d4e5f6a7b8 has viewer",
                         "instance": "/api/v1/tokens", "reason": "PERMISSION_DENIED", "errors": []}""")))
@ApiResponse(responseCode = "404", description = "No such resource (or one of another organization)",
        content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class),
                examples = @ExampleObject(name = "missing", value = """
                        {"type": "urn:orchestry:problem:not-found", "title": "Not found", "status": 404,
                         "detail": "node 'web-9' not found", "instance": "/api/v1/nodes/web-9", "reason": "NOT_FOUND",
                         "errors": []}""")))
@ApiResponse(responseCode = "409", description = "Already exists, a stale version, or a state that does not allow it",
        content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class),
                examples = @ExampleObject(name = "conflict", value = """
                        {"type": "urn:orchestry:problem:version-conflict", "title": "Version conflict", "status": 409,
                         "detail": "node 'web-1' is at version 4, not 3", "instance": "/api/v1/nodes/web-1",
                         "reason": "VERSION_CONFLICT", "errors": []}""")))
@ApiResponse(responseCode = "503", description = "A service or the database is not answering; retry after Retry-After seconds",
        content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class),
                examples = @ExampleObject(name = "unavailable", value = """
                        {"type": "urn:orchestry:problem:unavailable", "title": "A dependency is unavailable", "status": 503,
                         "detail": "registry is unavailable", "instance": "/api/v1/nodes", "reason": "UNAVAILABLE",
                         "errors": []}""")))
public @interface StandardProblems {
}
