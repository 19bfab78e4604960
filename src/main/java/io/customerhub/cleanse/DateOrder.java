package io.customerhub.cleanse;

/**
 * How to read an ambiguous numeric date such as {@code 02/03/1990}: sources from different
 * countries write day and month in different orders, and nothing in the value tells them apart.
 * {@code YMD} sources never write a year last, so such values are read day first.
 */
public enum DateOrder {
    DMY, MDY, YMD
}
