package org.parley.module;

/** A service discovery identity (XEP-0030 §3.1). */
public record Identity(String category, String type, String name) {
}
