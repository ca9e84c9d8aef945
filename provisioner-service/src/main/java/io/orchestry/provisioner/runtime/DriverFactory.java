package io.orchestry.provisioner.runtime;

import io.orchestry.provisioner.domain.DriverKind;

/** Makes the driver for a node of one kind; one bean per kind, chosen by the node's driver kind. */
public interface DriverFactory {
    DriverKind kind();

    /** Opens a driver for the node; does not contact it yet (a down node still gets a driver, whose fingerprint says so). */
    RuntimeDriver open(NodeTarget node);
}
