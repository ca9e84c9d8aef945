package io.orchestry.provisioner.domain;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Docker's reference grammar, as the validator applies it to container images. */
class ImageReferenceTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "nginx, true",
            "nginx:1.25, true",
            "library/nginx:latest, true",
            "ghcr.io/acme/web:1.4, true",
            "localhost:5000/team/app, true",
            "registry.example.com:443/a/b-c/d__e.f:v1.2-rc_3, true",
            "nginx@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef, true",
            "Nginx, false",
            "acme/Web, false",
            "Acme/web, false",
            "nginx:, false",
            "nginx@sha256:abc, false",
            "nginx@md5:0123456789abcdef0123456789abcdef, false",
            "-nginx, false",
            "nginx/, false",
            "a b, false",
            "nginx:-tag, false"
    })
    void problem_followsDockersGrammar(String image, boolean valid) {
        assertEquals(valid, ImageReference.problem(image) == null, String.valueOf(ImageReference.problem(image)));
    }
}
