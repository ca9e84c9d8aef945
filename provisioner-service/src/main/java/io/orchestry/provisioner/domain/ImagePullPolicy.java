package io.orchestry.provisioner.domain;

/** Whether the driver may pull an image: by default it never does, and a missing image is an error. */
public enum ImagePullPolicy {
    NEVER, IF_NOT_PRESENT, ALWAYS
}
