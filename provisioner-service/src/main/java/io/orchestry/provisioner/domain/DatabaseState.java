package io.orchestry.provisioner.domain;

/** CREATING until it accepts connections with its credentials, then READY; FAILED with the reason; DELETING. */
public enum DatabaseState { CREATING, READY, FAILED, DELETING }
