package io.orchestry.provisioner.domain;

import java.util.List;

/** What a replica runs: a local OS process or a container image. */
public sealed interface Runtime permits Runtime.Process, Runtime.Container {

    /** The driver kind that can run it. */
    DriverKind driverKind();

    /**
     * A local OS process.
     *
     * @param command    an executable path or a name looked up on the node's PATH
     * @param workingDir empty: a directory of its own under the node's work directory
     */
    record Process(String command, List<String> args, String workingDir) implements Runtime {
        public Process {
            args = List.copyOf(args);
        }

        @Override
        public DriverKind driverKind() {
            return DriverKind.PROCESS;
        }
    }

    /**
     * A container image.
     *
     * @param command empty: the image's entrypoint
     * @param args    empty: the image's CMD
     */
    record Container(String image, String command, List<String> args, ImagePullPolicy pullPolicy) implements Runtime {
        public Container {
            args = List.copyOf(args);
        }

        @Override
        public DriverKind driverKind() {
            return DriverKind.DOCKER;
        }
    }
}
