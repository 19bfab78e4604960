package io.customerhub.record;

/** Gender as the store keeps it: male, female, or unknown when a source says nothing usable. */
public enum Gender {
    M, F, U
}
