/* idn.h - internationalised domain names: a name with non-ASCII labels
 * (U-labels, UTF-8) becomes its ASCII form (A-labels, "xn--...") through
 * libidn2, with IDNA2008 and the UTS #46 non-transitional processing
 * (IDN2_NONTRANSITIONAL | IDN2_NFC_INPUT: the flags libidn2's manual
 * recommends for idn2_to_ascii_8z, so "faß.de" is xn--fa-hia.de, not
 * fass.de).
 *
 * libidn2 pulls libunistring in: it is opened with dlopen (IDN2_SONAME,
 * found by configure), like libunbound (src/ub_lib.h), and only when a
 * name has a non-ASCII byte or an "xn--" label.  An all-ASCII name never
 * loads it, so start-up is not slower.
 */
#ifndef SMTPROBE_IDN_H
#define SMTPROBE_IDN_H

#include <stddef.h>

#include "fault.h"

/* Non-zero when name needs libidn2: a byte above 0x7F, or a label that
 * starts with "xn--" (any case), an A-label to show in Unicode too. */
int idn_needed(const char *name);

/* name (UTF-8) in ASCII into ascii (A-labels), and its Unicode form
 * (U-labels, as libidn2 maps them back from the A-labels) into uni.
 * Returns 1 when name needed libidn2 (both filled), 0 when it did not
 * (ascii is a copy, uni is ""), -1 with f filled (FAULT_PROTOCOL) when
 * name is not a valid IDN or libidn2 cannot be loaded; what names the
 * input in the message ("target", "--mx"). */
int idn_convert(const char *name, const char *what, char *ascii, size_t asize, char *uni,
    size_t usize, struct fault *f);

#endif
