package io.granary.adapter.postgres;
/** placeholder */
final class Placeholder {}
