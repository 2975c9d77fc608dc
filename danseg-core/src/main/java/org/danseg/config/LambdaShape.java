package org.danseg.config;

/** The adversarial weight's ramp: linear, or the sigmoid-shaped ramp-up of Laine and Aila. */
public enum LambdaShape {
    SIGMOID, LINEAR
}
