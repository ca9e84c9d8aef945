package io.orchestry.provisioner.runtime.docker;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ImageReferenceTest {

    @ParameterizedTest
    @CsvSource({
            "orchestry/demo-app:dev, orchestry/demo-app, dev",
            "nginx, nginx, latest",
            "registry.local:5000/team/app, registry.local:5000/team/app, latest",
            "registry.local:5000/team/app:1.2, registry.local:5000/team/app, 1.2",
            "app@sha256:abc, app, sha256:abc"})
    void parse_splitsRepositoryAndTag(String image, String repository, String tag) {
        assertEquals(new ImagePolicy.ImageReference(repository, tag), ImagePolicy.ImageReference.parse(image));
    }
}
