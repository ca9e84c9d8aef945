package io.orchestry.provisioner.runtime.docker;

import com.github.dockerjava.api.command.PullImageResultCallback;
import com.github.dockerjava.api.exception.DockerClientException;
import com.github.dockerjava.api.exception.DockerException;
import io.orchestry.error.FailedPreconditionException;
import io.orchestry.provisioner.runtime.NotOnNodeException;
import io.orchestry.provisioner.domain.ImagePullPolicy;
import io.orchestry.provisioner.domain.Runtime;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** Makes sure a container's image is on the node as its pull policy says: by default never pulled, and missing is an error. */
final class ImagePolicy {
    static final Duration PULL_TIMEOUT = Duration.ofMinutes(5);

    private final DockerEngine engine;
    private final String node;

    ImagePolicy(DockerEngine engine, String node) {
        this.engine = engine;
        this.node = node;
    }

    /** Before a create: ALWAYS pulls (a newer image under the same tag); the others use what is on the node. */
    void beforeCreate(Runtime.Container container) {
        if (policy(container) == ImagePullPolicy.ALWAYS) {
            pull(container.image());
        }
    }

    /** The engine said the image is not on the node: pulls it when the policy allows, else says so. */
    void whenMissing(Runtime.Container container) {
        if (policy(container) == ImagePullPolicy.NEVER) {
            throw new NotOnNodeException(NotOnNodeException.Missing.IMAGE, "image " + container.image()
                    + " is not on node " + node + " (pull policy never)");
        }
        pull(container.image());
    }

    private static ImagePullPolicy policy(Runtime.Container container) {
        return container.pullPolicy() == null ? ImagePullPolicy.NEVER : container.pullPolicy();
    }

    private void pull(String image) {
        ImageReference reference = ImageReference.parse(image);
        try {
            boolean done = engine.call(() -> {
                try {
                    return engine.streams().pullImageCmd(reference.repository()).withTag(reference.tag())
                            .exec(new PullImageResultCallback())
                            .awaitCompletion(PULL_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while pulling " + image, interrupted);
                }
            });
            if (!done) {
                throw new FailedPreconditionException("image " + image + " did not pull on node " + node + " within "
                        + PULL_TIMEOUT.toMinutes() + " minutes");
            }
        } catch (DockerException | DockerClientException refused) {
            throw new FailedPreconditionException("image " + image + " could not be pulled on node " + node + ": "
                    + DockerEngine.firstLine(refused.getMessage()));
        }
    }

    /** {@code repo[:tag]}, or {@code repo@digest}; a port in the registry host is not a tag. */
    record ImageReference(String repository, String tag) {
        static ImageReference parse(String image) {
            int at = image.indexOf('@');
            if (at >= 0) {
                return new ImageReference(image.substring(0, at), image.substring(at + 1));
            }
            int colon = image.lastIndexOf(':');
            if (colon > image.lastIndexOf('/')) {
                return new ImageReference(image.substring(0, colon), image.substring(colon + 1));
            }
            return new ImageReference(image, "latest");
        }
    }
}
