package org.danseg.config;

/** {@code GRADIENT}: the adversarial gradient rescaled to lambda times the supervised one's norm; {@code NONE}: the paper's plain sum. */
public enum AdversarialBalance {
    NONE, GRADIENT
}
